using Specs.Support;

namespace Specs.Sessions;

// The sessions of a user on the admin's user page, each signed out from there.
public class UserAdminPartSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task An_admin_signs_out_one_session_from_the_user_page_and_comes_back_to_it()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync("admin@example.com");
        using var laptop = app.NewBrowser().WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);
        var userId = await app.UserIdAsync(Email);
        var userPage = Admins.UserPage(userId);
        await admin.AssertUserPageHasTheSectionsOfTheAppsModulesAsync(userId);

        var (_, html) = await admin.GetAsync(userPage);
        var section = html.Split("data-admin-part=\"Sessions\"")[1];
        Assert.Contains("Firefox on Windows", section);
        Assert.Contains("Safari on iPhone", section);
        Assert.Contains("action=\"/Sessions/Admin?handler=End\"", section);
        Assert.Contains($"name=\"returnUrl\" value=\"{userPage}\"", section);

        var phoneSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);
        var response = await admin.SubmitAsync(userPage, new()
        {
            ["sessionId"] = phoneSession.ToString(),
            ["user"] = Email,
            ["returnUrl"] = userPage,
        }, "/Sessions/Admin?handler=End");

        Assert.Equal(userPage, response.Headers.Location?.OriginalString);
        Assert.False(await phone.IsSignedInAsync());
        Assert.True(await laptop.IsSignedInAsync());
        Assert.Contains($"That session of {Email} is signed out.", (await admin.GetAsync(userPage)).Html);
    }

    [Fact]
    public async Task A_return_address_on_another_site_is_ignored()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync("admin@example.com");
        using var phone = app.NewBrowser().WithUserAgent(SessionsSupport.IPhoneSafari);
        await phone.RegisterAsync(Email);
        var phoneSession = await app.SessionWithUserAgentAsync(Email, SessionsSupport.IPhoneSafari);

        var response = await admin.SubmitAsync(SessionsSupport.AdminPage(Email), new()
        {
            ["sessionId"] = phoneSession.ToString(),
            ["user"] = Email,
            ["returnUrl"] = "https://evil.example/",
        }, "/Sessions/Admin?handler=End");

        Assert.Equal("/Sessions/Admin", response.Headers.Location?.OriginalString.Split('?')[0]);
    }
}
