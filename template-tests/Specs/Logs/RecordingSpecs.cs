using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Logs;

public class RecordingSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new()
    {
        ["Accounts:LockoutFailures"] = "2",
        ["Accounts:IpFailureLimit"] = "100000",
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Every_account_event_is_recorded_once_with_its_details()
    {
        using var browser = _app.NewBrowser();
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (Windows NT 10.0) Firefox/140.0");
        browser.Client.DefaultRequestHeaders.Add(PeerAddress.Header, "203.0.113.7");

        await browser.RegisterAsync("Grace.Hopper@example.com");
        await browser.ChangePasswordAsync(Browser.StrongPassword, "a second strong passphrase");
        await browser.SignOutAsync();
        await browser.SignInAsync("nobody@example.com", "whatever it is");
        await browser.SignInAsync("grace.hopper@example.com", "wrong password one");
        await browser.SignInAsync("grace.hopper@example.com", "wrong password two");
        _app.Clock.Advance(TimeSpan.FromMinutes(16));
        await browser.SignInAsync("grace.hopper@example.com", "a second strong passphrase");

        var events = await _app.EventsAsync();
        Assert.Equal(
            [
                ("Registered", true, null), ("SignedIn", true, "Password"), ("PasswordChanged", true, null), ("SignedOut", true, null),
                ("SignInFailed", false, "UnknownUser"), ("SignInFailed", false, "BadPassword"),
                ("SignInFailed", false, "BadPassword"), ("LockedOut", false, null), ("SignedIn", true, "Password"),
            ],
            events.Select(e => (e.EventType, e.Succeeded, e.Reason)).ToArray());
        var userId = await _app.QueryAsync(db => Task.FromResult(db.Users.Single().Id));
        Assert.All(events.Where(e => e.Reason != "UnknownUser"), e => Assert.Equal(userId, e.UserId));
        Assert.Null(events[4].UserId);
        Assert.Equal("nobody@example.com", events[4].Email);
        Assert.Equal("grace.hopper@example.com", events[5].Email);
        Assert.Equal("Grace.Hopper@example.com", events[0].Email);
        Assert.All(events, e =>
        {
            Assert.Equal("203.0.113.7", e.ClientIp);
            Assert.Equal("Mozilla/5.0 (Windows NT 10.0) Firefox/140.0", e.UserAgent);
            Assert.Equal(DateTimeKind.Utc, e.OccurredAt.Kind);
            Assert.False(string.IsNullOrEmpty(e.TraceId));
        });
        Assert.Equal("/Accounts/Login", events[5].Path);
        Assert.Equal(_app.Clock.GetUtcNow().UtcDateTime, events[^1].OccurredAt);
        Assert.Equal(events[0].OccurredAt.AddMinutes(16), events[^1].OccurredAt);
        Assert.DoesNotContain(events, e => (e.Reason ?? "").Contains("password", StringComparison.OrdinalIgnoreCase) && e.Reason is not ("BadPassword" or SignInMethods.Password));
    }

    [Fact]
    public async Task Wrong_current_passwords_while_signed_in_are_recorded_with_the_lock_they_cause()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("mary@example.com");

        await browser.ChangePasswordAsync("a first wrong guess", "a second strong passphrase");
        await browser.ChangePasswordAsync("a second wrong guess", "a second strong passphrase");
        await browser.ChangePasswordAsync(Browser.StrongPassword, "a second strong passphrase");

        var events = await _app.EventsAsync();
        Assert.Equal(
            [
                ("Registered", true, null), ("SignedIn", true, "Password"),
                ("ReauthenticationFailed", false, "WrongAnswer"), ("ReauthenticationFailed", false, "WrongAnswer"), ("LockedOut", false, null),
                ("ReauthenticationFailed", false, "LockedOut"),
            ],
            events.Select(e => (e.EventType, e.Succeeded, e.Reason)).ToArray());
        Assert.All(events[2..], e => Assert.Equal("/Accounts/ChangePassword", e.Path));
    }

    [Fact]
    public async Task Refusals_for_an_inactive_account_and_a_blocked_address_are_recorded_with_their_reasons()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1" });
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("retired@example.com");
        await browser.SignOutAsync();
        await app.SaveAsync(db => db.Users.ForEachAsync(u => u.IsActive = false));

        await browser.SignInAsync("retired@example.com");
        await browser.SignInAsync("retired@example.com", "a wrong guess");
        await browser.SignInAsync("retired@example.com");

        var failures = (await app.EventsAsync()).Where(e => e.EventType == AuthEventTypes.SignInFailed).Select(e => e.Reason);
        Assert.Equal(["Inactive", "BadPassword", "TooManyAttemptsFromIp"], failures);
    }

    [Fact]
    public async Task Admins_made_outside_a_request_are_recorded_without_request_details()
    {
        await using (var scope = _app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<UserAccounts>()
                .RegisterAsync("root@example.com", Browser.StrongPassword, [Roles.Admin], CancellationToken.None);
        }

        var events = await _app.EventsAsync();

        Assert.Equal(["Registered", "AdminCreated"], events.Select(e => e.EventType));
        Assert.All(events, e => Assert.Null(e.ClientIp));
    }

    [Fact]
    public async Task Overlong_browser_names_are_cut_and_passwords_never_stored()
    {
        using var browser = _app.NewBrowser();
        browser.Client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", new string('u', 3000));

        await browser.SignInAsync("someone@example.com", "my secret guess 123");

        var recorded = Assert.Single(await _app.EventsAsync());
        // The README's number, not the app's constant: a change to either must be seen.
        Assert.Equal(new string('u', 512), recorded.UserAgent);
        var everything = string.Join("|", typeof(AuthEvent).GetProperties().Select(p => p.GetValue(recorded)?.ToString()));
        Assert.DoesNotContain("my secret guess", everything);
    }

    [Fact]
    public async Task An_email_is_recorded_as_typed_up_to_254_characters()
    {
        using var browser = _app.NewBrowser();
        var longest = new string('m', 254 - "@Example.com".Length) + "@Example.com";

        await browser.SignInAsync(longest, "a wrong guess");
        var tooLong = await browser.SignInAsync("m" + longest, "a wrong guess");

        var recorded = Assert.Single(await _app.EventsAsync());
        Assert.Equal(longest, recorded.Email);
        Assert.Contains("An email address has at most 254 characters.", await Browser.HtmlAsync(tooLong));
    }

    [Fact]
    public async Task Two_hundred_parallel_sign_in_attempts_give_two_hundred_rows()
    {
        // Twenty clients, each on its own network (one address may post only so many sign-ins a minute).
        var browsers = Enumerable.Range(0, 20).Select(b => _app.NewBrowser($"198.51.100.{b + 1}")).ToList();

        await Task.WhenAll(browsers.Select(async (browser, b) =>
        {
            for (var i = 0; i < 10; i++)
            {
                await browser.SignInAsync($"crowd-{b}-{i}@example.com", "not a real account");
            }
        }));

        var events = await _app.EventsAsync();
        Assert.Equal(200, events.Count(e => e.EventType == AuthEventTypes.SignInFailed));
        Assert.Equal(200, events.Select(e => e.Email).Distinct().Count());
        browsers.ForEach(b => b.Dispose());
    }
}
