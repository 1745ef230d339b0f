using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.TwoFactor;

// The two-factor section of the admin's user page, and its filter in the user list.
public class UserAdminPartSpecs
{
    private const string AdminEmail = "admin@example.com";
    private const string Email = "ada@example.com";

    [Fact]
    public async Task An_admin_resets_a_users_two_factor_which_ends_their_sessions_and_lets_them_sign_in_with_the_password()
    {
        var events = new ModuleEvents();
        await using var app = await TestApp.StartAsync(services: events.Register);
        using var admin = await app.SignedInAdminAsync(AdminEmail);
        using var user = app.NewBrowser();
        await user.RegisterAsync(Email);
        await user.EnableTwoFactorAsync(app);
        var userId = await app.UserIdAsync(Email);
        await admin.AssertUserPageHasTheSectionsOfTheAppsModulesAsync(userId);
        Assert.Contains("10 recovery code(s) left", (await admin.GetAsync(Admins.UserPage(userId))).Html);

        var reset = await admin.RunPartAsync(userId, "TwoFactor", "Reset");

        Assert.True(reset.IsRedirect());
        Assert.Contains($"Two-factor of {Email} is off", (await admin.GetAsync(Admins.UserPage(userId))).Html);
        Assert.False(await user.IsSignedInAsync());
        Assert.Equal("/", (await user.SignInAsync(Email)).Headers.Location?.OriginalString);
        Assert.True(await user.IsSignedInAsync());
        Assert.Equal(0, await app.QueryAsync(db => db.RecoveryCodes.CountAsync(c => c.UserId == userId)));
        var resetEvent = Assert.Single(events.Named(TwoFactorEvents.ResetByAdmin));
        Assert.Equal($"by {AdminEmail}", resetEvent.Detail);
    }

    [Fact]
    public async Task Resetting_an_admins_two_factor_asks_for_the_acting_admins_password()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync(AdminEmail);
        using var other = await app.SignedInAdminAsync("grace@example.com");
        await other.EnableTwoFactorAsync(app);
        var otherId = await app.UserIdAsync("grace@example.com");

        var refused = await admin.RunPartAsync(otherId, "TwoFactor", "Reset");

        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Enter your password to confirm this change.", await Browser.HtmlAsync(refused));
        Assert.Equal(1, await app.QueryAsync(db => db.Authenticators.CountAsync(a => a.UserId == otherId)));
        Assert.True((await admin.RunPartAsync(otherId, "TwoFactor", "Reset", Browser.StrongPassword)).IsRedirect());
        Assert.Equal(0, await app.QueryAsync(db => db.Authenticators.CountAsync(a => a.UserId == otherId)));
    }

    [Fact]
    public async Task The_user_list_shows_only_the_accounts_with_two_factor_on_when_asked()
    {
        await using var app = await TestApp.StartAsync();
        using var admin = await app.SignedInAdminAsync(AdminEmail);
        using var careful = app.NewBrowser();
        using var pending = app.NewBrowser();
        await careful.RegisterAsync(Email);
        await careful.EnableTwoFactorAsync(app);
        await pending.RegisterAsync("bob@example.com");
        // Set up but never confirmed with a code: not on.
        await TwoFactorSupport.OpenSetupAsync(pending);

        var (status, html) = await admin.GetAsync("/Accounts/Users?show=twofactor");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Two-factor on", html);
        Assert.Contains($">{Email}</a></td>", html);
        Assert.DoesNotContain(">bob@example.com</a></td>", html);
        Assert.DoesNotContain($">{AdminEmail}</a></td>", html);
    }
}
