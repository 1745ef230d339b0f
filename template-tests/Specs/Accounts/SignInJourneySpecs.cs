using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

public class SignInJourneySpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task A_page_that_needs_an_account_sends_visitors_to_sign_in_and_back()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.Client.GetAsync("/Accounts/ChangePassword");

        Assert.True(response.IsRedirect());
        Assert.Equal("/Accounts/Login", response.Headers.Location!.AbsolutePath);
        Assert.Contains("returnUrl=%2FAccounts%2FChangePassword", response.Headers.Location.Query);
    }

    [Fact]
    public async Task Registering_signs_the_user_in_and_returns_to_the_page_they_came_from()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("Ada@Example.com", returnUrl: "/Accounts/ChangePassword");

        Assert.True(response.IsRedirect());
        Assert.Equal("/Accounts/ChangePassword", response.Headers.Location!.OriginalString);
        Assert.True(await browser.IsSignedInAsync());
        var user = await _app.QueryAsync(db => db.Users.SingleAsync());
        Assert.Equal("Ada@Example.com", user.Email);
        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", user.PasswordHash);
    }

    [Fact]
    public async Task Signing_in_works_with_the_email_in_any_case_and_records_the_time()
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync("grace@example.com");
        }
        using var browser = _app.NewBrowser();

        var response = await browser.SignInAsync("  GRACE@example.COM ", returnUrl: "/Accounts/ChangePassword");

        Assert.True(response.IsRedirect());
        Assert.Equal("/Accounts/ChangePassword", response.Headers.Location!.OriginalString);
        Assert.True(await browser.IsSignedInAsync());
        var user = await _app.QueryAsync(db => db.Users.SingleAsync());
        Assert.Equal(_app.Clock.GetUtcNow(), user.LastSignInAt);
    }

    [Fact]
    public async Task Changing_the_password_ends_other_sessions_and_keeps_this_one()
    {
        using var laptop = _app.NewBrowser();
        using var phone = _app.NewBrowser();
        await laptop.RegisterAsync("linus@example.com");
        await phone.SignInAsync("linus@example.com");
        Assert.True(await phone.IsSignedInAsync());

        var response = await laptop.ChangePasswordAsync(Browser.StrongPassword, "a brand new tandem bicycle");

        Assert.True(response.IsRedirect());
        var (status, html) = await laptop.GetAsync("/Accounts/ChangePassword");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your password has been changed", html);
        Assert.True(await laptop.IsSignedInAsync());
        Assert.False(await phone.IsSignedInAsync());

        using var later = _app.NewBrowser();
        await later.SignInAsync("linus@example.com", Browser.StrongPassword);
        Assert.False(await later.IsSignedInAsync());
        await later.SignInAsync("linus@example.com", "a brand new tandem bicycle");
        Assert.True(await later.IsSignedInAsync());
    }

    [Fact]
    public async Task Changing_the_password_needs_the_current_one()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("margaret@example.com");

        var response = await browser.ChangePasswordAsync("not my password at all", "a brand new tandem bicycle");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("The current password is not correct.", await Browser.HtmlAsync(response));
        using var other = _app.NewBrowser();
        await other.SignInAsync("margaret@example.com", Browser.StrongPassword);
        Assert.True(await other.IsSignedInAsync());
    }

    [Fact]
    public async Task Opening_the_sign_out_page_does_not_sign_out()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("barbara@example.com");

        var (status, html) = await browser.GetAsync("/Accounts/Logout");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<form method=\"post\"", html);
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Cookies_are_http_only_and_same_site_lax()
    {
        using var browser = _app.NewBrowser();

        var response = await browser.RegisterAsync("frances@example.com");

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Accounts.Session="));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Keep_me_signed_in_makes_the_cookie_outlive_the_browser_session(bool rememberMe)
    {
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync("hedy@example.com");
        }
        using var browser = _app.NewBrowser();

        var response = await browser.SignInAsync("hedy@example.com", rememberMe: rememberMe);

        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Accounts.Session="));
        Assert.Equal(rememberMe, cookie.Contains("expires=", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_session_ends_after_the_absolute_lifetime_even_when_active()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("edsger@example.com");

        for (var week = 1; week <= 4; week++)
        {
            _app.Clock.Advance(TimeSpan.FromDays(7));
            Assert.True(await browser.IsSignedInAsync(), $"signed out in week {week}");
        }
        _app.Clock.Advance(TimeSpan.FromDays(2) + TimeSpan.FromMinutes(1));

        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Each_sign_in_gets_a_new_session_cookie_so_a_planted_one_never_becomes_the_users()
    {
        using var attacker = _app.NewBrowser();
        var planted = SessionCookie(await attacker.RegisterAsync("mallory@example.com"));
        using (var registering = _app.NewBrowser())
        {
            await registering.RegisterAsync("alice@example.com");
        }
        await _app.QueryAsync(async db =>
        {
            var alice = await db.Users.SingleAsync(u => u.Email == "alice@example.com");
            db.UserRoles.Add(new UserRole { UserId = alice.Id, Role = Roles.Admin });
            return await db.SaveChangesAsync();
        });
        using var victim = _app.NewBrowser();
        victim.CopyCookiesFrom(attacker);

        var first = SessionCookie(await victim.SignInAsync("alice@example.com"));

        Assert.NotEqual(planted, first);
        Assert.Equal([Roles.Admin], await victim.RolesAsync());
        Assert.Empty((await attacker.RolesAsync())!);

        await victim.SignOutAsync();
        var second = SessionCookie(await victim.SignInAsync("alice@example.com"));

        Assert.NotEqual(first, second);
        Assert.True(await victim.IsSignedInAsync());
        using var withFirst = _app.NewBrowser();
        withFirst.Cookies.Add(Browser.BaseAddress, new Cookie("Accounts.Session", first));
        Assert.False(await withFirst.IsSignedInAsync());
    }

    [Fact]
    public async Task A_session_left_unused_for_the_idle_timeout_ends_and_each_use_renews_it()
    {
        using var idle = _app.NewBrowser();
        using var active = _app.NewBrowser();
        await idle.RegisterAsync("idle@example.com");
        await active.RegisterAsync("active@example.com");

        // 13 days, then 13 more: more than the 14-day idle timeout in all, never that long unused.
        _app.Clock.Advance(TimeSpan.FromDays(13));
        Assert.True(await active.IsSignedInAsync());
        _app.Clock.Advance(TimeSpan.FromDays(1) + TimeSpan.FromMinutes(1));

        Assert.False(await idle.IsSignedInAsync());

        _app.Clock.Advance(TimeSpan.FromDays(12));
        Assert.True(await active.IsSignedInAsync());
    }

    // The value of the session cookie the response sets.
    private static string SessionCookie(HttpResponseMessage response)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("Accounts.Session="));
        return header["Accounts.Session=".Length..header.IndexOf(';')];
    }
}
