using Microsoft.Extensions.DependencyInjection;

namespace Specs.Support;

public static class Admins
{
    // An admin made the way createsuperuser makes one, signed in in a new browser.
    public static async Task<Browser> SignedInAdminAsync(this TestApp app, string email)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var accounts = scope.ServiceProvider.GetRequiredService<UserAccounts>();
            var result = await accounts.RegisterAsync(email, Browser.StrongPassword, [Roles.Admin], CancellationToken.None);
            Assert.NotNull(result.User);
        }
        var browser = app.NewBrowser();
        await browser.SignInAsync(email);
        Assert.True(await browser.IsSignedInAsync());
        return browser;
    }
}
