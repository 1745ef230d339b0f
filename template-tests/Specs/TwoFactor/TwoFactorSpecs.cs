using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OtpNet;
using Specs.Support;

namespace Specs.TwoFactor;

public partial class TwoFactorSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "100000" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Turning_on_needs_a_code_from_the_shown_key_and_gives_ten_single_use_recovery_codes()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, form) = await TwoFactorSupport.OpenSetupAsync(browser);
        Assert.Equal(20, secret.Length);
        form["Input.Password"] = Browser.StrongPassword;

        form["Input.Code"] = "000000" == TwoFactorSupport.Code(secret, _app) ? "111111" : "000000";
        var wrong = await browser.PostAsync("/TwoFactor/Enable", form);
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        var wrongPage = await Browser.HtmlAsync(wrong);
        Assert.Contains("That code does not match", wrongPage);
        // The page keeps the key the app was given, so a mistyped code needs no new scan.
        Assert.Equal(Convert.ToHexString(secret), Convert.ToHexString(Base32Encoding.ToBytes(TwoFactorSupport.KeyOnPage(wrongPage))));

        form = Browser.ReadForm(await wrong.Content.ReadAsStringAsync(), "/TwoFactor/Enable");
        form["Input.Password"] = Browser.StrongPassword;
        form["Input.Code"] = TwoFactorSupport.Code(secret, _app);
        var right = await browser.PostAsync("/TwoFactor/Enable", form);
        Assert.Equal("/TwoFactor/RecoveryCodes", right.Headers.Location?.OriginalString);
        var (_, codesPage) = await browser.GetAsync("/TwoFactor/RecoveryCodes");
        var codes = TwoFactorSupport.RecoveryCodesOn(codesPage);
        Assert.Equal(10, codes.Distinct().Count());
        var (_, again) = await browser.GetAsync("/TwoFactor/RecoveryCodes");
        Assert.Empty(TwoFactorSupport.RecoveryCodesOn(again));
        var (_, status) = await browser.GetAsync("/TwoFactor");
        Assert.Contains("Two-factor authentication is on", status.Replace("<strong>", "").Replace("</strong>", ""));
    }

    [Fact]
    public async Task The_qr_code_is_drawn_on_the_server_from_the_exact_otpauth_uri()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);

        var (_, html) = await browser.GetAsync("/TwoFactor/Enable");

        var key = TwoFactorSupport.KeyOnPage(html);
        var uri = OtpAuthLink().Match(html).Groups[1].Value;
        var issuer = Uri.EscapeDataString(typeof(Program).Assembly.GetName().Name!);
        Assert.Equal($"otpauth://totp/{issuer}:ada%40example.com?secret={key}&issuer={issuer}&digits=6&period=30", uri);
        var svg = QrCode().Match(html).Groups[1].Value.Trim();
        Assert.StartsWith("<svg", svg);
        Assert.Equal(TwoFactorService.QrCodeSvg(uri), svg);
        var main = html[html.IndexOf("<main", StringComparison.Ordinal)..html.IndexOf("</main>", StringComparison.Ordinal)];
        Assert.DoesNotContain("<script", main);
    }

    [Fact]
    public async Task The_database_never_holds_the_secret_in_the_clear()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, codes) = await browser.EnableTwoFactorAsync(_app);

        var stored = await _app.QueryAsync(db => db.Authenticators.SingleAsync());
        var storedCodes = await _app.QueryAsync(db => db.RecoveryCodes.Select(c => c.CodeHash).ToListAsync());

        Assert.DoesNotContain(Base32Encoding.ToString(secret).TrimEnd('='), stored.ProtectedSecret);
        Assert.DoesNotContain(Convert.ToBase64String(secret), stored.ProtectedSecret);
        Assert.False(Convert.FromBase64String(stored.ProtectedSecret).AsSpan().IndexOf(secret) >= 0);
        Assert.All(codes, code => Assert.DoesNotContain(storedCodes, hash => hash.Contains(code.Replace("-", ""))));
    }

    [Fact]
    public async Task Signing_in_then_needs_the_code_after_the_password()
    {
        var secret = await EnabledAccountAsync();
        using var browser = _app.NewBrowser();

        var password = await browser.SignInAsync(Email, returnUrl: "/Accounts/ChangePassword");

        Assert.Equal("/TwoFactor/Verify?returnUrl=%2FAccounts%2FChangePassword", password.Headers.Location?.OriginalString);
        Assert.False(await browser.IsSignedInAsync());
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var code = await browser.VerifyAsync(TwoFactorSupport.Code(secret, _app), returnUrl: "/Accounts/ChangePassword");
        Assert.Equal("/Accounts/ChangePassword", code.Headers.Location?.OriginalString);
        Assert.True(await browser.IsSignedInAsync());
    }

    [Theory]
    [InlineData(299, true)]
    [InlineData(301, false)]
    public async Task After_the_password_the_code_is_awaited_for_five_minutes(int seconds, bool accepted)
    {
        var secret = await EnabledAccountAsync();
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);
        var form = await browser.ReadFormAsync("/TwoFactor/Verify");

        _app.Clock.Advance(TimeSpan.FromSeconds(seconds));
        form["Input.Code"] = TwoFactorSupport.Code(secret, _app);
        var response = await browser.PostAsync("/TwoFactor/Verify", form);

        Assert.Equal(accepted, await browser.IsSignedInAsync());
        var location = new Uri(Browser.BaseAddress, response.Headers.Location ?? new Uri("", UriKind.Relative));
        Assert.Equal(accepted ? "/" : "/Accounts/Login", location.AbsolutePath);
    }

    [Fact]
    public async Task The_issuer_setting_names_the_app_in_the_authenticator()
    {
        await using var app = _app.Restart(new() { ["TwoFactor:Issuer"] = "Acme Shop: Staff" });
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);

        var (_, html) = await browser.GetAsync("/TwoFactor/Enable");

        var key = TwoFactorSupport.KeyOnPage(html);
        Assert.Equal($"otpauth://totp/Acme%20Shop%3A%20Staff:ada%40example.com?secret={key}&issuer=Acme%20Shop%3A%20Staff&digits=6&period=30",
            OtpAuthLink().Match(html).Groups[1].Value);
    }

    [Fact]
    public async Task The_code_page_without_a_password_first_sends_to_sign_in()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.Client.GetAsync("/TwoFactor/Verify");

        Assert.StartsWith("/Accounts/Login?", response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task A_code_is_accepted_once_even_when_sent_twice_at_the_same_moment()
    {
        var secret = await EnabledAccountAsync();
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        using var first = _app.NewBrowser();
        using var second = _app.NewBrowser();
        await first.SignInAsync(Email);
        await second.SignInAsync(Email);
        var code = TwoFactorSupport.Code(secret, _app);

        var results = await Task.WhenAll(first.VerifyAsync(code), second.VerifyAsync(code));

        Assert.Single(results, r => r.IsRedirect() && r.Headers.Location?.OriginalString == "/");
        Assert.Single(results, r => r.StatusCode == HttpStatusCode.OK);
        using var third = _app.NewBrowser();
        await third.SignInAsync(Email);
        var replay = await third.VerifyAsync(code);
        Assert.Contains("That code is not valid, or was already used", await Browser.HtmlAsync(replay));
    }

    [Theory]
    [InlineData(-1, true)]
    [InlineData(1, true)]
    [InlineData(-2, false)]
    [InlineData(2, false)]
    public async Task Codes_one_step_away_are_accepted_and_two_steps_away_refused(int steps, bool accepted)
    {
        var secret = await EnabledAccountAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(10));
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);

        await browser.VerifyAsync(TwoFactorSupport.Code(secret, _app, steps));

        Assert.Equal(accepted, await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task A_recovery_code_signs_in_once()
    {
        await EnabledAccountAsync();
        var code = _recoveryCodes[3];
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);

        var used = await browser.VerifyAsync(recoveryCode: code.ToLowerInvariant().Replace("-", " "));

        Assert.True(used.IsRedirect());
        Assert.True(await browser.IsSignedInAsync());
        using var later = _app.NewBrowser();
        await later.SignInAsync(Email);
        var reused = await later.VerifyAsync(recoveryCode: code);
        Assert.Equal(HttpStatusCode.OK, reused.StatusCode);
        Assert.False(await later.IsSignedInAsync());
        Assert.Equal(9, await _app.QueryAsync(db => db.RecoveryCodes.CountAsync(c => c.UsedAt == null)));
    }

    [Fact]
    public async Task Wrong_codes_lock_the_account_like_wrong_passwords()
    {
        var secret = await EnabledAccountAsync();
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);
        var wrong = TwoFactorSupport.Code(secret, _app) == "123456" ? "654321" : "123456";

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.VerifyAsync(wrong)).StatusCode);
        }
        var fifth = await browser.VerifyAsync(wrong);

        Assert.Equal("/Accounts/Lockout", fifth.Headers.Location?.OriginalString);
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var rightButLocked = await browser.VerifyAsync(TwoFactorSupport.Code(secret, _app));
        Assert.Equal("/Accounts/Lockout", rightButLocked.Headers.Location?.OriginalString);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Theory]
    [InlineData("password")]
    [InlineData("code")]
    public async Task Turning_off_needs_the_password_or_a_current_code(string proof)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, _) = await browser.EnableTwoFactorAsync(_app);
        var usedToTurnOn = TwoFactorSupport.Code(secret, _app);

        foreach (var refused in new Dictionary<string, string>[]
        {
            new() { ["Input.Password"] = "" },
            new() { ["Input.Password"] = "not my password" },
            new() { ["Input.Code"] = TwoFactorSupport.Code(secret, _app, steps: 10) },
            new() { ["Input.Code"] = usedToTurnOn },
        })
        {
            var response = await browser.SubmitAsync("/TwoFactor", refused, "/TwoFactor?handler=Disable");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
        Assert.Equal(1, await _app.QueryAsync(db => db.Authenticators.CountAsync()));

        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        var off = await browser.SubmitAsync("/TwoFactor", proof == "password"
            ? new() { ["Input.Password"] = Browser.StrongPassword }
            : new() { ["Input.Code"] = TwoFactorSupport.Code(secret, _app) }, "/TwoFactor?handler=Disable");

        Assert.True(off.IsRedirect());
        Assert.Equal(0, await _app.QueryAsync(db => db.Authenticators.CountAsync()));
        Assert.Equal(0, await _app.QueryAsync(db => db.RecoveryCodes.CountAsync()));
        using var later = _app.NewBrowser();
        await later.SignInAsync(Email);
        Assert.True(await later.IsSignedInAsync());
    }

    [Fact]
    public async Task Guessing_the_password_to_turn_it_off_locks_the_account_and_then_even_the_right_one_waits()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.EnableTwoFactorAsync(_app);
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = $"not my password {attempt}" }, "/TwoFactor?handler=Disable");
        }

        var rightWhileLocked = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");
        Assert.Contains("too many failed attempts for this account", await Browser.HtmlAsync(rightWhileLocked));
        Assert.Equal(1, await _app.QueryAsync(db => db.Authenticators.CountAsync()));

        _app.Clock.Advance(TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(1));
        var afterThePause = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");
        Assert.True(afterThePause.IsRedirect());
        Assert.Equal(0, await _app.QueryAsync(db => db.Authenticators.CountAsync()));
    }

    [Fact]
    public async Task New_recovery_codes_need_the_password_and_replace_the_old_ones()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (_, oldCodes) = await browser.EnableTwoFactorAsync(_app);

        var refused = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = "not my password" }, "/TwoFactor?handler=Regenerate");
        Assert.Contains("The password is not correct.", await Browser.HtmlAsync(refused));
        var replaced = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Regenerate");
        Assert.Equal("/TwoFactor/RecoveryCodes", replaced.Headers.Location?.OriginalString);
        var (_, page) = await browser.GetAsync("/TwoFactor/RecoveryCodes");
        var newCodes = TwoFactorSupport.RecoveryCodesOn(page);

        Assert.Equal(10, newCodes.Count);
        Assert.Empty(newCodes.Intersect(oldCodes));
        using var later = _app.NewBrowser();
        await later.SignInAsync(Email);
        Assert.Equal(HttpStatusCode.OK, (await later.VerifyAsync(recoveryCode: oldCodes[0])).StatusCode);
        Assert.True((await later.VerifyAsync(recoveryCode: newCodes[0])).IsRedirect());
    }

    [Fact]
    public async Task After_a_restart_two_factor_sign_in_still_works()
    {
        var secret = await EnabledAccountAsync();

        await using var restarted = _app.Restart();
        using var browser = restarted.NewBrowser();
        await browser.SignInAsync(Email);
        restarted.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.VerifyAsync(TwoFactorSupport.Code(secret, restarted));

        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Users_without_two_factor_sign_in_with_the_password_alone()
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync("plain@example.com");
        }
        using var browser = _app.NewBrowser();

        var response = await browser.SignInAsync("plain@example.com");

        Assert.Equal("/", response.Headers.Location?.OriginalString);
        Assert.True(await browser.IsSignedInAsync());
    }

    private IReadOnlyList<string> _recoveryCodes = [];

    private async Task<byte[]> EnabledAccountAsync()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, codes) = await browser.EnableTwoFactorAsync(_app);
        _recoveryCodes = codes;
        await browser.SignOutAsync();
        return secret;
    }


    [GeneratedRegex(@"<a href=""(otpauth://[^""]+)"" id=""otpauth-link"">")]
    private static partial Regex OtpAuthLink();

    [GeneratedRegex(@"id=""qr-code"">(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex QrCode();
}
