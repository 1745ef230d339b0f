using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.TwoFactor;

// What someone who knows the password, or who has a signed-in browser, must not get past.
public class TwoFactorAttackSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private readonly RecordedEvents _events = new();
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "100000" }, _events.Register);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Signing_in_again_between_wrong_codes_does_not_reset_the_count()
    {
        var secret = await EnabledAccountAsync();
        var wrong = WrongCode(secret);

        for (var round = 0; round < 2; round++)
        {
            using var browser = _app.NewBrowser();
            Assert.StartsWith("/TwoFactor/Verify", (await browser.SignInAsync(Email)).Headers.Location?.OriginalString);
            var tries = round == 0 ? 4 : 1;
            for (var attempt = 1; attempt <= tries; attempt++)
            {
                var response = await browser.VerifyAsync(wrong);
                if (round == 1)
                {
                    Assert.Equal("/Accounts/Lockout", response.Headers.Location?.OriginalString);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                }
            }
        }

        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        using var owner = _app.NewBrowser();
        Assert.Equal("/Accounts/Lockout", (await owner.SignInAsync(Email)).Headers.Location?.OriginalString);
        Assert.False(await owner.IsSignedInAsync());
    }

    [Fact]
    public async Task Posts_to_the_code_page_are_limited_per_address_even_with_the_right_code()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:FormPostLimit"] = "4", ["Accounts:LockoutFailures"] = "50" });
        byte[] secret;
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
            (secret, _) = await owner.EnableTwoFactorAsync(app);
            await owner.SignOutAsync();
        }
        using var browser = app.NewBrowser("198.51.100.9");
        await browser.SignInAsync(Email);
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            Assert.Equal(HttpStatusCode.OK, (await browser.VerifyAsync(WrongCode(secret))).StatusCode);
        }

        var refused = await browser.VerifyAsync(TwoFactorSupport.Code(secret, app));

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Wrong_codes_count_toward_the_limit_of_the_address()
    {
        await using var app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "3", ["Accounts:LockoutFailures"] = "50" });
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
            await owner.EnableTwoFactorAsync(app);
            await owner.SignOutAsync();
        }
        using var browser = app.NewBrowser();
        await browser.SignInAsync(Email);
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await browser.VerifyAsync("000000");
            await browser.VerifyAsync("111111");
        }

        using var another = app.NewBrowser();
        var response = await another.SignInAsync("someone@example.com", "any guess at all");
        Assert.Contains("Too many failed sign-ins from your network", await Browser.HtmlAsync(response));
    }

    [Fact]
    public async Task Turning_on_needs_the_password()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, form) = await TwoFactorSupport.OpenSetupAsync(browser);
        form["Input.Code"] = TwoFactorSupport.Code(secret, _app);

        form["Input.Password"] = "";
        var withoutPassword = await browser.PostAsync("/TwoFactor/Enable", form);
        form["Input.Password"] = "not my password at all";
        var wrongPassword = await browser.PostAsync("/TwoFactor/Enable", form);

        Assert.Equal(HttpStatusCode.OK, withoutPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Contains("The password is not correct.", await Browser.HtmlAsync(wrongPassword));
        Assert.Equal(1, _events.Count("ReauthenticationFailed:WrongAnswer"));
        Assert.Equal(0, await _app.QueryAsync(db => db.Authenticators.CountAsync(a => a.EnabledAt != null)));
    }

    [Fact]
    public async Task Each_set_up_offers_a_new_key_that_only_this_browser_can_confirm()
    {
        using var browser = _app.NewBrowser();
        using var elsewhere = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await elsewhere.SignInAsync(Email);

        var (first, _) = await TwoFactorSupport.OpenSetupAsync(browser);
        var (second, form) = await TwoFactorSupport.OpenSetupAsync(browser);
        Assert.NotEqual(Convert.ToHexString(first), Convert.ToHexString(second));

        form["Input.Password"] = Browser.StrongPassword;
        form["Input.Code"] = TwoFactorSupport.Code(second, _app);
        var (_, elsewhereForm) = await TwoFactorSupport.OpenSetupAsync(elsewhere);
        form["__RequestVerificationToken"] = elsewhereForm["__RequestVerificationToken"];
        var fromElsewhere = await elsewhere.PostAsync("/TwoFactor/Enable", form);

        Assert.Equal(HttpStatusCode.OK, fromElsewhere.StatusCode);
        Assert.Equal(0, await _app.QueryAsync(db => db.Authenticators.CountAsync(a => a.EnabledAt != null)));
    }

    [Fact]
    public async Task Turning_on_and_off_ends_the_other_sessions_and_keeps_this_one()
    {
        using var browser = _app.NewBrowser();
        using var other = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await other.SignInAsync(Email);
        Assert.True(await other.IsSignedInAsync());

        var (secret, _) = await browser.EnableTwoFactorAsync(_app);

        Assert.True(await browser.IsSignedInAsync());
        Assert.False(await other.IsSignedInAsync());

        using var third = _app.NewBrowser();
        await third.SignInAsync(Email);
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        await third.VerifyAsync(TwoFactorSupport.Code(secret, _app));
        Assert.True(await third.IsSignedInAsync());

        var off = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");

        Assert.True(off.IsRedirect());
        Assert.True(await browser.IsSignedInAsync());
        Assert.False(await third.IsSignedInAsync());
    }

    [Fact]
    public async Task A_two_factor_sign_in_tells_the_password_step_and_the_factors_used()
    {
        var secret = await EnabledAccountAsync();
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);
        await browser.VerifyAsync(WrongCode(secret));
        _app.Clock.Advance(TimeSpan.FromSeconds(30));

        await browser.VerifyAsync(TwoFactorSupport.Code(secret, _app));

        Assert.True(await browser.IsSignedInAsync());
        Assert.Equal(["PasswordVerified", "SignInFailed:BadCode", "SignedIn:Password+AuthenticatorCode"],
            _events.All.SkipWhile(e => e != "PasswordVerified").ToArray());
        var session = await _app.QueryAsync(db => db.UserSessions.SingleAsync(s => s.EndedAt == null));
        Assert.Equal(SignInMethods.PasswordAnd(TwoFactorFactors.AuthenticatorCode), session.SignInMethod);
    }

    private async Task<byte[]> EnabledAccountAsync()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, _) = await browser.EnableTwoFactorAsync(_app);
        await browser.SignOutAsync();
        return secret;
    }

    private string WrongCode(byte[] secret) => TwoFactorSupport.Code(secret, _app) == "123456" ? "654321" : "123456";
}
