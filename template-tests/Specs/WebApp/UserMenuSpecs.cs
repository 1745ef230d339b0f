using Specs.Support;

namespace Specs.WebApp;

// mu-webapp's layout has the accounts menu; each module with a page of the user's own adds its link.
public class UserMenuSpecs
{
    [Fact]
    public async Task The_signed_in_users_menu_links_to_their_account_pages()
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser();
        await browser.RegisterAsync("ada@example.com");

        var (_, html) = await browser.GetAsync("/");

        Assert.Contains("href=\"/Accounts/ChangePassword\"", html);
        Assert.Contains("href=\"/Email/ChangeEmail\"", html);
        Assert.Contains("href=\"/Sessions\"", html);
    }
}
