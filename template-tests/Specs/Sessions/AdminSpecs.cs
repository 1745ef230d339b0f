using System.Net;
using Specs.Support;

namespace Specs.Sessions;

// /Sessions/Admin?user=...: an admin sees a user's sessions and signs out one or all of them.
public class AdminSpecs
{
    private const string AdminEmail = "admin@example.com";
    private const string Email = "ada@example.com";

    [Fact]
    public async Task An_admin_signs_out_one_session_of_a_user_and_the_others_go_on()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync(AdminEmail);
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        var (status, html) = await admin.GetAsync(SessionsSupport.AdminPage(Email));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Firefox on Windows", html);
        Assert.Contains("Safari on iPhone", html);
        Assert.DoesNotContain("This device", html);

        var phoneSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);
        var response = await admin.EndSessionAsync(phoneSession, SessionsSupport.AdminPage(Email));

        Assert.True(response.IsRedirect());
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await laptop.IsSignedInAsync());
        Assert.Contains("Signed out by an administrator", SessionListSpecs.RowOf((await laptop.GetAsync("/Sessions")).Html, "Safari on iPhone"));
    }

    [Fact]
    public async Task An_admin_signs_out_every_session_of_a_user()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync(AdminEmail);
        using var laptop = app.NewBrowser();
        using var phone = app.NewBrowser();
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        Assert.True((await admin.EndAllSessionsAsAdminAsync(Email)).IsRedirect());

        Assert.Contains($"Every session of {Email} is signed out.", (await admin.GetAsync(SessionsSupport.AdminPage(Email))).Html);
        Assert.False(await laptop.IsSignedInAsync());
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await admin.IsSignedInAsync());
    }

    [Fact]
    public async Task An_unknown_address_is_said_to_be_unknown()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync(AdminEmail);

        var (status, html) = await admin.GetAsync(SessionsSupport.AdminPage("nobody@example.com"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("No account has this email address.", html);
    }

    [Fact]
    public async Task Users_who_are_not_admins_are_refused_the_page_and_its_actions()
    {
        await using var app = await TestApp.StartAsync();
        using var mallory = app.NewBrowser();
        using var victim = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await mallory.RegisterAsync("mallory@example.com");
        await victim.RegisterAsync(Email);
        var victimSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);

        var page = await mallory.Client.GetAsync(SessionsSupport.AdminPage(Email));
        var post = await mallory.EndSessionAsync(victimSession, SessionsSupport.AdminPage(Email));

        Assert.Equal("/Accounts/AccessDenied", page.Headers.Location?.AbsolutePath);
        Assert.Equal("/Accounts/AccessDenied", post.Headers.Location?.AbsolutePath);
        Assert.True(await victim.IsSignedInAsync());
    }
}
