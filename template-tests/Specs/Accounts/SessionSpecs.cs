using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// Each sign-in is a session of its own: ending one leaves the others, and what changes on the
// server (a session ended, a role removed) reaches the session within the cache duration.
public class SessionSpecs : IAsyncLifetime
{
    private const string Email = "margaret@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Signing_out_on_one_browser_leaves_the_others_signed_in()
    {
        using var laptop = _app.NewBrowser();
        using var phone = _app.NewBrowser();
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        Assert.True(await laptop.IsSignedInAsync());
        Assert.True(await phone.IsSignedInAsync());

        await laptop.SignOutAsync();

        Assert.False(await laptop.IsSignedInAsync());
        Assert.True(await phone.IsSignedInAsync());
    }

    [Fact]
    public async Task A_copy_of_a_signed_out_cookie_is_refused_at_once()
    {
        using var browser = _app.NewBrowser();
        using var copy = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        copy.CopyCookiesFrom(browser);
        Assert.True(await copy.IsSignedInAsync());

        await browser.SignOutAsync();

        Assert.False(await copy.IsSignedInAsync());
    }

    [Fact]
    public async Task Signing_out_everywhere_ends_every_session_of_the_user()
    {
        using var laptop = _app.NewBrowser();
        using var phone = _app.NewBrowser();
        using var someoneElse = _app.NewBrowser();
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        await someoneElse.RegisterAsync("other@example.com");
        Assert.True(await laptop.IsSignedInAsync());
        Assert.True(await phone.IsSignedInAsync());

        var response = await laptop.SubmitAsync("/Accounts/Logout", [], "/Accounts/Logout?handler=Everywhere");

        Assert.True(response.IsRedirect());
        Assert.False(await laptop.IsSignedInAsync());
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await someoneElse.IsSignedInAsync());
        using var later = _app.NewBrowser();
        await later.SignInAsync(Email);
        Assert.True(await later.IsSignedInAsync());
    }

    [Fact]
    public async Task Each_sign_in_is_a_session_row_with_when_where_and_how()
    {
        using var browser = _app.NewBrowser();
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        await browser.RegisterAsync(Email);
        await browser.SignOutAsync();
        _app.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.SignInAsync(Email);

        var sessions = (await _app.QueryAsync(db => db.UserSessions.ToListAsync())).OrderBy(s => s.CreatedAt).ToList();

        Assert.Equal(2, sessions.Count);
        Assert.Equal(_app.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), sessions[0].CreatedAt);
        Assert.Equal(_app.Clock.GetUtcNow() - TimeSpan.FromMinutes(1), sessions[0].EndedAt);
        Assert.Equal(_app.Clock.GetUtcNow(), sessions[1].CreatedAt);
        Assert.Null(sessions[1].EndedAt);
        Assert.All(sessions, s => Assert.Equal("192.0.2.1", s.IpAddress));
        Assert.All(sessions, s => Assert.Contains("Firefox/140.0", s.UserAgent));
        Assert.All(sessions, s => Assert.Equal(SignInMethods.Password, s.SignInMethod));
    }

    [Fact]
    public async Task A_session_ended_on_one_instance_is_refused_on_another_within_the_cache_duration()
    {
        await using var other = _app.Restart();
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        using var onOther = other.NewBrowser();
        onOther.CopyCookiesFrom(browser);
        Assert.True(await onOther.IsSignedInAsync());

        await browser.SignOutAsync();

        other.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await onOther.IsSignedInAsync());
    }

    [Fact]
    public async Task A_password_changed_on_one_instance_ends_the_sessions_on_another_within_the_cache_duration()
    {
        await using var other = _app.Restart();
        using var here = _app.NewBrowser();
        await here.RegisterAsync(Email);
        using var there = other.NewBrowser();
        await there.SignInAsync(Email);
        Assert.True(await there.IsSignedInAsync());

        await here.ChangePasswordAsync(Browser.StrongPassword, "a second strong passphrase");

        other.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.False(await there.IsSignedInAsync());
        Assert.True(await here.IsSignedInAsync());
    }

    [Fact]
    public async Task With_no_cache_duration_a_session_ended_on_one_instance_is_refused_on_another_at_once()
    {
        var readEveryRequest = new Dictionary<string, string> { ["Accounts:SessionCacheDuration"] = "00:00:00" };
        await using var first = _app.Restart(readEveryRequest);
        await using var second = _app.Restart(readEveryRequest);
        using var browser = first.NewBrowser();
        await browser.RegisterAsync(Email);
        using var onSecond = second.NewBrowser();
        onSecond.CopyCookiesFrom(browser);
        Assert.True(await onSecond.IsSignedInAsync());

        await browser.SignOutAsync();

        Assert.False(await onSecond.IsSignedInAsync());
    }

    [Fact]
    public async Task Removing_a_role_reaches_signed_in_sessions_within_the_cache_duration()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await _app.QueryAsync(async db =>
        {
            var user = await db.Users.SingleAsync();
            db.UserRoles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin });
            return await db.SaveChangesAsync();
        });
        _app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal([Roles.Admin], await browser.RolesAsync());

        await _app.SaveAsync(async db => db.UserRoles.RemoveRange(await db.UserRoles.ToListAsync()));
        _app.Clock.Advance(TimeSpan.FromSeconds(31));

        Assert.Empty((await browser.RolesAsync())!);
    }
}
