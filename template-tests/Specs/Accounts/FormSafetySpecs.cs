using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

public class FormSafetySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    // Each form posted without its token is refused, and what it would have done is not done.
    [Fact]
    public async Task Registering_without_the_antiforgery_token_is_refused_and_creates_no_account()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.PostWithoutAntiforgeryTokenAsync("/Accounts/Register", new()
        {
            ["Input.Email"] = "mallory@example.com",
            ["Input.Password"] = Browser.StrongPassword,
            ["Input.ConfirmPassword"] = Browser.StrongPassword,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Signing_in_without_the_antiforgery_token_is_refused_even_with_the_right_password()
    {
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync("victim@example.com");
        }
        using var browser = _app.NewBrowser();

        var response = await browser.PostWithoutAntiforgeryTokenAsync("/Accounts/Login", new()
        {
            ["Input.Email"] = "victim@example.com",
            ["Input.Password"] = Browser.StrongPassword,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
        Assert.Equal(1, await _app.QueryAsync(db => db.UserSessions.CountAsync()));
    }

    [Theory]
    [InlineData("/Accounts/Logout")]
    [InlineData("/Accounts/Logout?handler=Everywhere")]
    public async Task Signing_out_without_the_antiforgery_token_is_refused_and_the_session_goes_on(string action)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("victim@example.com");

        var response = await browser.PostWithoutAntiforgeryTokenAsync("/Accounts/Logout", [], action);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Changing_the_password_without_the_antiforgery_token_is_refused_and_the_password_stays()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("victim@example.com");

        var response = await browser.PostWithoutAntiforgeryTokenAsync("/Accounts/ChangePassword", new()
        {
            ["Input.CurrentPassword"] = Browser.StrongPassword,
            ["Input.NewPassword"] = "an attacker's chosen passphrase",
            ["Input.ConfirmPassword"] = "an attacker's chosen passphrase",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var later = _app.NewBrowser();
        await later.SignInAsync("victim@example.com", "an attacker's chosen passphrase");
        Assert.False(await later.IsSignedInAsync());
        await later.SignInAsync("victim@example.com");
        Assert.True(await later.IsSignedInAsync());
    }

    [Theory]
    [InlineData("https://evil.example/phish")]
    [InlineData("//evil.example/phish")]
    [InlineData("/\\evil.example/phish")]
    [InlineData("javascript:alert(1)")]
    public async Task A_return_url_to_another_site_is_replaced_by_the_home_page(string returnUrl)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("ivan@example.com");
        await browser.SignOutAsync();

        var response = await browser.SignInAsync("ivan@example.com", returnUrl: returnUrl);

        Assert.True(response.IsRedirect());
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    [Theory]
    [InlineData("short pw", "Use at least 15 characters")]
    [InlineData("password12345678", "commonly used")]
    [InlineData("Sunshine!2024-2025", "commonly used")]
    [InlineData("qwertyuiop123456", "commonly used")]
    [InlineData("abcabcabcabcabc", "commonly used")]
    [InlineData("1234567890123456", "commonly used")]
    [InlineData("xyz-niklaus-xyz-wirth", "must not contain your email address")]
    public async Task A_weak_password_is_refused_with_the_reason(string password, string reason)
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("niklaus@example.com", password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(reason, await Browser.HtmlAsync(response));
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Fact]
    public async Task Long_passphrases_with_any_characters_are_accepted_and_normalised()
    {
        using var browser = _app.NewBrowser();
        // "é" typed as one code point at registration and as e + combining accent at sign-in.
        var composed = "caf\u00e9 au lait sans sucre, s'il vous pla\u00eet \U0001F600";
        var decomposed = "cafe\u0301 au lait sans sucre, s'il vous pla\u00eet \U0001F600";

        await browser.RegisterAsync("barbara.liskov@example.com", composed);
        await browser.SignOutAsync();
        await browser.SignInAsync("barbara.liskov@example.com", decomposed);

        Assert.True(await browser.IsSignedInAsync());
    }

    public static TheoryData<string, string, string> BadInputs => new()
    {
        { new string('a', 300) + "@example.com", Browser.StrongPassword, "at most 254 characters" },
        { "tab\u0001bed@example.com", Browser.StrongPassword, "characters that are not allowed" },
        { "not-an-email", Browser.StrongPassword, "valid email address" },
        { "two words@example.com", Browser.StrongPassword, "spaces or characters that are not allowed" },
        // Invisible characters would make a second account look like the first one.
        { "ad\u200Bmin@example.com", Browser.StrongPassword, "spaces or characters that are not allowed" },
        { "admin\u202E@example.com", Browser.StrongPassword, "spaces or characters that are not allowed" },
        { "admin\U000E0041@example.com", Browser.StrongPassword, "spaces or characters that are not allowed" },
        { "ok@example.com", new string('x', 5000), "The password is too long." },
        { "ok2@example.com", "bell \u0007 in my password", "control characters" },
        { "ok3@example.com", new string('y', 200), "Use at most 128 characters." },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_gives_a_validation_message_and_never_a_server_error(string email, string password, string message)
    {
        using var browser = _app.NewBrowser();

        var register = await browser.RegisterAsync(email, password);
        var signIn = await browser.SignInAsync(email, password);

        Assert.Equal(HttpStatusCode.OK, register.StatusCode);
        Assert.Contains(message, await Browser.HtmlAsync(register));
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        Assert.Equal(0, await _app.QueryAsync(db => db.Users.CountAsync()));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("")]
    [InlineData("1")]
    public async Task A_keep_me_signed_in_value_that_is_not_true_or_false_is_refused_with_a_message(string rememberMe)
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("kurt@example.com");
        await browser.SignOutAsync();

        var response = await browser.SubmitAsync("/Accounts/Login", new()
        {
            ["Input.Email"] = "kurt@example.com",
            ["Input.Password"] = Browser.StrongPassword,
            ["Input.RememberMe"] = rememberMe,
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Keep me signed in: tick the box or leave it empty.", await Browser.HtmlAsync(response));
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Registering_an_email_twice_is_refused_whatever_its_case()
    {
        using var first = _app.NewBrowser();
        using var second = _app.NewBrowser();
        await first.RegisterAsync("tony@example.com");

        var response = await second.RegisterAsync("TONY@Example.com");

        Assert.Contains("An account with this email already exists", await Browser.HtmlAsync(response));
        Assert.Equal(1, await _app.QueryAsync(db => db.Users.CountAsync()));
    }
}
