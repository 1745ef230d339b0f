using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

// Posts per client address on the pages that cost the server work or let a client guess.
public class PostRateLimitSpecs
{
    [Fact]
    public async Task Registrations_from_one_address_beyond_the_limit_get_a_429_page_and_create_nothing()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:RegistrationLimit"] = "3" });
        for (var i = 1; i <= 3; i++)
        {
            using var browser = app.NewBrowser();
            Assert.True((await browser.RegisterAsync($"person{i}@example.com")).IsRedirect());
        }

        using var fourth = app.NewBrowser();
        var refused = await fourth.RegisterAsync("person4@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After says when to come back");
        var page = await Browser.HtmlAsync(refused);
        Assert.Contains("Too many requests from your network", page);
        Assert.Contains("<title>Too many requests - ", page);
        Assert.Equal(3, await app.QueryAsync(db => db.Users.CountAsync()));

        using var elsewhere = app.NewBrowser("198.51.100.20");
        Assert.True((await elsewhere.RegisterAsync("person5@example.com")).IsRedirect());
    }

    [Fact]
    public async Task Pages_that_ask_for_the_password_again_are_limited_per_address()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:FormPostLimit"] = "2", ["Accounts:IpFailureLimit"] = "1000" });
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("alan@example.com");

        await browser.ChangePasswordAsync("a wrong password one", "a brand new passphrase");
        await browser.ChangePasswordAsync("a wrong password two", "a brand new passphrase");
        var refused = await browser.ChangePasswordAsync(Browser.StrongPassword, "a brand new passphrase");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        var hash = await app.QueryAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync());
        using var again = app.NewBrowser("198.51.100.21");
        await again.SignInAsync("alan@example.com");
        Assert.True(await again.IsSignedInAsync(), "the refused change did not change the password");
        Assert.Equal(hash, await app.QueryAsync(db => db.Users.Select(u => u.PasswordHash).SingleAsync()));
    }

    [Fact]
    public async Task The_limit_lifts_after_its_window()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:RegistrationLimit"] = "1", ["Accounts:RegistrationWindow"] = "00:10:00" });
        using (var first = app.NewBrowser())
        {
            await first.RegisterAsync("first@example.com");
        }
        using var browser = app.NewBrowser();
        var tooSoon = await browser.RegisterAsync("second@example.com");
        app.Clock.Advance(TimeSpan.FromMinutes(9));
        var stillTooSoon = await browser.RegisterAsync("second@example.com");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var afterTheWindow = await browser.RegisterAsync("second@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, tooSoon.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(10), tooSoon.Headers.RetryAfter?.Delta);
        Assert.Equal(TimeSpan.FromMinutes(1), stillTooSoon.Headers.RetryAfter?.Delta);
        Assert.True(afterTheWindow.IsRedirect(), $"registered after the window, got {(int)afterTheWindow.StatusCode}");
    }

    [Fact]
    public async Task Sign_ins_from_one_address_are_limited_even_with_the_right_password()
    {
        // Each sign-in costs an Argon2 hash: a client that knows one password must not keep the server busy.
        await using var app = await TestApp.StartAsync(new() { ["Accounts:SignInLimit"] = "3" });
        using (var owner = app.NewBrowser("198.51.100.30"))
        {
            await owner.RegisterAsync("alan@example.com");
        }
        using var browser = app.NewBrowser();
        for (var i = 0; i < 3; i++)
        {
            Assert.True((await browser.SignInAsync("alan@example.com")).IsRedirect());
            await browser.SignOutAsync();
        }

        var refused = await browser.SignInAsync("alan@example.com");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
    }
}

// The failure limit per client address: IPv6 clients by network, and a bounded table.
public class AddressThrottleSpecs
{
    [Fact]
    public async Task Addresses_of_one_ipv6_network_share_the_failure_limit()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "3" });
        foreach (var host in new[] { "2001:db8:5:6::1", "2001:db8:5:6::2", "2001:db8:5:6:abcd::3" })
        {
            using var guesser = app.NewBrowser(host);
            await guesser.SignInAsync("nobody@example.com", "some guessed password");
        }

        using var sameNetwork = app.NewBrowser("2001:db8:5:6:ffff:ffff:ffff:fffe");
        var refused = await sameNetwork.SignInAsync("other@example.com", "another guessed password");
        using var nextNetwork = app.NewBrowser("2001:db8:5:7::1");
        var allowed = await nextNetwork.SignInAsync("other@example.com", "another guessed password");

        Assert.Contains("Too many failed sign-ins from your network", await Browser.HtmlAsync(refused));
        Assert.DoesNotContain("Too many failed sign-ins from your network", await Browser.HtmlAsync(allowed));
    }

    [Fact]
    public void The_per_address_counters_have_a_hard_cap()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new AccountsOptions());
        var throttle = new LoginThrottle(options, TimeProvider.System);
        var limits = new PostRateLimits(options, TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<PostRateLimits>.Instance);
        var last = IPAddress.None;

        for (var i = 0; i < FixedWindowCounters.MaxKeys + 5_000; i++)
        {
            last = new IPAddress(BitConverter.GetBytes(0x0A000000 + i));
            throttle.TryCountAddress(last);
            limits.TryAcquire(PostLimit.Registration, last, out _);
        }

        Assert.InRange(throttle.Count, 1, FixedWindowCounters.MaxKeys);
        Assert.InRange(limits.Count(PostLimit.Registration), 1, FixedWindowCounters.MaxKeys);
        // The newest addresses stay counted: room is made from the oldest.
        for (var i = 1; i < 10; i++)
        {
            limits.TryAcquire(PostLimit.Registration, last, out _);
        }
        Assert.False(limits.TryAcquire(PostLimit.Registration, last, out _));
    }
}

// Unknown emails lock like real accounts, in the database, so no restart or instance tells them apart.
public class UnknownEmailLockoutSpecs
{
    [Fact]
    public async Task An_unknown_email_stays_locked_after_a_restart_and_on_another_instance_like_a_real_account()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1000" });
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync("alan@example.com");
            await owner.SignOutAsync();
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                await owner.SignInAsync("alan@example.com", $"wrong password {attempt}");
                await owner.SignInAsync("nobody@example.com", $"wrong password {attempt}");
            }
        }

        await using var restarted = app.Restart();
        using var browser = restarted.NewBrowser();
        var real = await browser.SignInAsync("alan@example.com", "one more wrong password");
        var unknown = await browser.SignInAsync("nobody@example.com", "one more wrong password");

        Assert.Equal("/Accounts/Lockout", real.Headers.Location?.OriginalString);
        Assert.Equal(real.Headers.Location, unknown.Headers.Location);
        var stored = await restarted.QueryAsync(db => db.UnknownEmailLockouts.AsNoTracking().ToListAsync());
        Assert.Single(stored);
        Assert.DoesNotContain("nobody", stored[0].EmailHash, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_unknown_email_nobody_tried_for_thirty_days_is_forgotten()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1000" });
        using var browser = app.NewBrowser();
        await browser.SignInAsync("nobody@example.com", "a wrong password");
        await browser.SignInAsync("recent@example.com", "a wrong password");

        app.Clock.Advance(UnknownEmailLockouts.ForgetAfter - TimeSpan.FromDays(1));
        await browser.SignInAsync("recent@example.com", "a wrong password");
        app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(16));
        // A new unknown email makes room.
        await browser.SignInAsync("newcomer@example.com", "a wrong password");

        Assert.Equal(2, await app.QueryAsync(db => db.UnknownEmailLockouts.CountAsync()));
        Assert.Equal([1, 2], await app.QueryAsync(db => db.UnknownEmailLockouts.Select(l => l.FailedSignInCount).OrderBy(c => c).ToListAsync()));
    }

    [Fact]
    public async Task An_unknown_email_is_counted_in_the_database_and_its_lock_lifts_like_a_real_one()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1000" });
        using var browser = app.NewBrowser();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await browser.SignInAsync("nobody@example.com", $"wrong password {attempt}");
        }
        Assert.Equal("/Accounts/Lockout", (await browser.SignInAsync("nobody@example.com", "again")).Headers.Location?.OriginalString);

        app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var afterThePause = await browser.SignInAsync("nobody@example.com", "again");

        Assert.Equal(HttpStatusCode.OK, afterThePause.StatusCode);
        Assert.Contains("The email or password is not correct.", await Browser.HtmlAsync(afterThePause));
        Assert.Equal(1, await app.QueryAsync(db => db.UnknownEmailLockouts.Select(l => l.FailedSignInCount).SingleAsync()));
    }
}

// A burst beyond what password hashing can take gets a fast answer instead of a long wait.
public class HashingQueueSpecs
{
    [Fact]
    public async Task A_burst_of_sign_ins_beyond_the_hashing_queue_gets_a_fast_503_page()
    {
        // Slow hashes and room for one running and one waiting: most of a burst must be turned away.
        await using var app = await TestApp.StartAsync(new()
        {
            ["Accounts:IpFailureLimit"] = "1000",
            ["Accounts:Argon2:Iterations"] = "12",
            ["Accounts:Argon2:MaxConcurrentHashes"] = "1",
            ["Accounts:Argon2:MaxQueuedHashes"] = "1",
        });
        var browsers = Enumerable.Range(0, 12).Select(_ => app.NewBrowser()).ToList();

        var responses = await Task.WhenAll(browsers.Select((b, i) => b.SignInAsync($"person{i}@example.com", "a guessed password")));

        var busy = responses.Where(r => r.StatusCode == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(busy);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, $"got {(int)r.StatusCode}"));
        Assert.Equal(TimeSpan.FromSeconds(5), busy[0].Headers.RetryAfter?.Delta);
        var page = await Browser.HtmlAsync(busy[0]);
        Assert.Contains("The server is busy", page);
        Assert.Contains("<title>Server busy - ", page);
        browsers.ForEach(b => b.Dispose());
    }
}
