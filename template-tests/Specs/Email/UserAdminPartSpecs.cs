using Specs.Support;

namespace Specs.Email;

// The email section of the admin's user page: "Send a password reset link".
public class UserAdminPartSpecs : IAsyncLifetime
{
    private const string Email = "forgetful@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(_sink.Settings);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task An_admin_sends_a_user_a_working_reset_link_that_only_the_user_receives()
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
        var userId = await _app.UserIdAsync(Email);
        await admin.AssertUserPageHasTheSectionsOfTheAppsModulesAsync(userId);
        Assert.Contains("The address is confirmed.", (await admin.GetAsync(Admins.UserPage(userId))).Html);

        Assert.True((await admin.RunPartAsync(userId, "Email", "SendResetLink")).IsRedirect());

        Assert.Contains($"A password reset link is on its way to {Email}.", (await admin.GetAsync(Admins.UserPage(userId))).Html);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        using var browser = _app.NewBrowser();
        Assert.Equal("/Email/Done?what=password-reset", (await browser.ResetPasswordAsync(link, "a passphrase the admin never saw")).Location());
        await browser.SignInAsync(Email, "a passphrase the admin never saw");
        Assert.True(await browser.IsSignedInAsync());
        await _sink.AssertNoMailToAsync("admin@example.com", _app);
    }

    [Fact]
    public async Task A_deactivated_account_gets_no_link()
    {
        using var admin = await _app.SignedInAdminAsync("admin@example.com");
        using var owner = _app.NewBrowser();
        await owner.RegisterAsync(Email);
        var userId = await _app.UserIdAsync(Email);
        await admin.AdministerAsync(userId, "Deactivate");

        var (_, page) = await admin.GetAsync(Admins.UserPage(userId));
        var refused = await admin.RunPartAsync(userId, "Email", "SendResetLink");

        Assert.DoesNotContain("Send a password reset link", page);
        Assert.Equal(System.Net.HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("is deactivated: reactivate the account first; nothing was sent.", await Browser.HtmlAsync(refused));
        await _sink.AssertNoMailToAsync(Email, _app, "Reset your password");
    }
}
