using System.Diagnostics.Metrics;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Accounts;

public partial class SignInFailureSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "1000" });
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("alan@example.com");
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_wrong_password_and_an_unknown_email_get_the_same_answer()
    {
        using var browser = _app.NewBrowser();

        var wrongPassword = await browser.SignInAsync("alan@example.com", "not the right password");
        var unknownEmail = await browser.SignInAsync("nobody@example.com", "not the right password");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(wrongPassword.StatusCode, unknownEmail.StatusCode);
        var wrongPasswordHtml = WithoutTokens(await Browser.HtmlAsync(wrongPassword)).Replace("alan@example.com", "EMAIL");
        var unknownEmailHtml = WithoutTokens(await Browser.HtmlAsync(unknownEmail)).Replace("nobody@example.com", "EMAIL");
        Assert.Contains("The email or password is not correct.", wrongPasswordHtml);
        Assert.Equal(wrongPasswordHtml, unknownEmailHtml);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Five_failures_lock_the_account_until_the_period_has_passed()
    {
        using var browser = _app.NewBrowser();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var failed = await browser.SignInAsync("alan@example.com", $"wrong password {attempt}");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var fifth = await browser.SignInAsync("alan@example.com", "wrong password 5");
        Assert.Equal("/Accounts/Lockout", fifth.Headers.Location?.OriginalString);

        var rightPasswordWhileLocked = await browser.SignInAsync("alan@example.com");
        Assert.Equal("/Accounts/Lockout", rightPasswordWhileLocked.Headers.Location?.OriginalString);
        Assert.False(await browser.IsSignedInAsync());

        _app.Clock.Advance(TimeSpan.FromMinutes(14));
        await browser.SignInAsync("alan@example.com");
        Assert.False(await browser.IsSignedInAsync());

        _app.Clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await browser.SignInAsync("alan@example.com");
        Assert.True(await browser.IsSignedInAsync());
        var user = await _app.QueryAsync(db => db.Users.SingleAsync());
        Assert.Equal(0, user.FailedSignInCount);
        Assert.Null(user.LockoutEnd);
    }

    [Fact]
    public async Task Wrong_current_passwords_on_the_change_password_page_lock_the_account_like_wrong_sign_ins()
    {
        using var session = _app.NewBrowser();
        await session.SignInAsync("alan@example.com");
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var wrong = await session.ChangePasswordAsync($"wrong password {attempt}", "a brand new passphrase");
            Assert.Contains("The current password is not correct.", await Browser.HtmlAsync(wrong));
        }

        var fifth = await session.ChangePasswordAsync("wrong password 5", "a brand new passphrase");
        Assert.Contains("too many failed attempts for this account", await Browser.HtmlAsync(fifth));
        var rightWhileLocked = await session.ChangePasswordAsync(Browser.StrongPassword, "a brand new passphrase");
        Assert.Contains("too many failed attempts for this account", await Browser.HtmlAsync(rightWhileLocked));
        using var elsewhere = _app.NewBrowser();
        Assert.Equal("/Accounts/Lockout", (await elsewhere.SignInAsync("alan@example.com")).Headers.Location?.OriginalString);

        _app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var afterThePause = await session.ChangePasswordAsync(Browser.StrongPassword, "a brand new passphrase");
        Assert.True(afterThePause.IsRedirect());
        await elsewhere.SignInAsync("alan@example.com", "a brand new passphrase");
        Assert.True(await elsewhere.IsSignedInAsync());
    }

    [Fact]
    public async Task An_unknown_email_locks_out_exactly_like_a_real_account()
    {
        using var browser = _app.NewBrowser();
        var real = new List<string?>();
        var unknown = new List<string?>();
        for (var attempt = 1; attempt <= 6; attempt++)
        {
            real.Add((await browser.SignInAsync("alan@example.com", $"wrong password {attempt}")).Headers.Location?.OriginalString);
            unknown.Add((await browser.SignInAsync("nobody@example.com", $"wrong password {attempt}")).Headers.Location?.OriginalString);
        }

        Assert.Equal(real, unknown);
        Assert.Equal([null, null, null, null, "/Accounts/Lockout", "/Accounts/Lockout"], real);
    }

    [Fact]
    public async Task A_successful_sign_in_resets_the_failure_count()
    {
        using var browser = _app.NewBrowser();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await browser.SignInAsync("alan@example.com", $"wrong password {attempt}");
        }
        await browser.SignInAsync("alan@example.com");
        await browser.SignOutAsync();

        var afterReset = await browser.SignInAsync("alan@example.com", "wrong password again");

        Assert.Equal(HttpStatusCode.OK, afterReset.StatusCode);
        Assert.Equal(1, await _app.QueryAsync(db => db.Users.Select(u => u.FailedSignInCount).SingleAsync()));
    }

    [Fact]
    public async Task A_deactivated_account_cannot_sign_in_and_its_sessions_end()
    {
        using var session = _app.NewBrowser();
        await session.SignInAsync("alan@example.com");
        Assert.True(await session.IsSignedInAsync());
        await _app.SaveAsync(db => db.Users.ForEachAsync(u => u.IsActive = false));
        _app.Clock.Advance(TimeSpan.FromMinutes(1));

        using var browser = _app.NewBrowser();
        var response = await browser.SignInAsync("alan@example.com");

        Assert.Contains("The email or password is not correct.", await Browser.HtmlAsync(response));
        Assert.False(await browser.IsSignedInAsync());
        Assert.False(await session.IsSignedInAsync());
    }

    [Fact]
    public async Task An_unknown_email_a_wrong_password_and_an_inactive_account_each_cost_one_argon2_verification()
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync("retired@example.com");
        }
        await _app.SaveAsync(db => db.Users.Where(u => u.Email == "retired@example.com").ForEachAsync(u => u.IsActive = false));
        using var argon2 = new Argon2Computations(_app);
        using var browser = _app.NewBrowser();

        // The first unknown email after the start too: nothing is prepared on the first request.
        var work = new List<(string Attempt, long Computations)>();
        foreach (var (attempt, email, password) in new[]
        {
            ("first unknown email", "nobody@example.com", "a wrong guess"),
            ("wrong password", "alan@example.com", "a wrong guess"),
            ("inactive, right password", "retired@example.com", Browser.StrongPassword),
            ("inactive, wrong password", "retired@example.com", "a wrong guess"),
            ("another unknown email", "nobody.else@example.com", "a wrong guess"),
        })
        {
            var before = argon2.Count;
            await browser.SignInAsync(email, password);
            work.Add((attempt, argon2.Count - before));
        }

        Assert.All(work, w => Assert.True(w.Computations == 1, $"{w.Attempt}: {w.Computations} Argon2 computations"));
    }

    // Counts the app's Argon2id computations (its accounts.argon2.computations counter).
    private sealed class Argon2Computations : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _count;

        public Argon2Computations(TestApp app)
        {
            var meters = app.Services.GetRequiredService<IMeterFactory>();
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Scope == meters && instrument.Name == "accounts.argon2.computations")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, _, _) => Interlocked.Add(ref _count, value));
            _listener.Start();
        }

        public long Count => Interlocked.Read(ref _count);

        public void Dispose() => _listener.Dispose();
    }

    private static string WithoutTokens(string html) => AntiforgeryValue().Replace(html, "TOKEN");

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex AntiforgeryValue();
}

public class IpThrottleSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "8" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Many_failures_from_one_address_pause_sign_in_from_it_for_the_window()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("joan@example.com");
        await browser.SignOutAsync();
        for (var attempt = 1; attempt <= 8; attempt++)
        {
            await browser.SignInAsync($"guess{attempt}@example.com", "some guessed password");
        }

        var response = await browser.SignInAsync("joan@example.com");

        Assert.Contains("Too many failed sign-ins from your network", await Browser.HtmlAsync(response));
        Assert.False(await browser.IsSignedInAsync());

        _app.Clock.Advance(TimeSpan.FromMinutes(15));
        await browser.SignInAsync("joan@example.com");
        Assert.True(await browser.IsSignedInAsync());
    }
}
