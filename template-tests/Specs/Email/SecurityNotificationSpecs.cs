using Specs.Support;

namespace Specs.Email;

// With Email:SecurityNotifications (the default) the owner of an account is mailed when its
// password changes, with when, from where and with which browser, so a change they did not make
// does not go unnoticed.
public class SecurityNotificationSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string Peer = "198.51.100.23";
    private const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    private MailSink _sink = null!;

    public ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Changing_the_password_mails_the_owner_when_from_where_and_with_which_browser()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var browser = app.NewBrowser(Peer);
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        await browser.RegisterAsync(Email);

        Assert.True((await browser.ChangePasswordAsync(Browser.StrongPassword, "a second strong passphrase")).IsRedirect());

        var mail = await _sink.NextMailToAsync(Email, "Your password was changed");
        AssertSaysWhenWhereAndHow(mail.TextBody);
        AssertSaysWhenWhereAndHow(mail.HtmlBody);
        await _sink.AssertNoMailToAsync(Email, app);
    }

    [Fact]
    public async Task A_reset_mails_the_owner_that_the_password_was_reset()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
        }
        using var browser = app.NewBrowser(Peer);
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        await browser.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));

        await browser.ResetPasswordAsync(link, "a passphrase chosen after forgetting");

        var mail = await _sink.NextMailToAsync(Email, "Your password was reset");
        AssertSaysWhenWhereAndHow(mail.TextBody);
        await _sink.AssertNoMailToAsync(Email, app, "Your password was changed");
    }

    [Fact]
    public async Task A_password_changed_on_the_command_line_mails_the_owner_saying_so()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using (var owner = app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
        }

        var run = await app.RunCommandAsync(_sink, "changepassword", ["--email", Email],
            new() { ["ACCOUNTS_SUPERUSER_PASSWORD"] = "a passphrase set by the admin" });

        Assert.True(run.ExitCode == 0, run.Output);
        // The command queued the mail at the machine's time, and its own sender may have claimed
        // it (for 2 minutes) as the command ended; the app sends it once its clock (the spec's,
        // which stood still meanwhile) is past that.
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var mail = await _sink.NextMailToAsync(Email, "Your password was changed");
        Assert.Contains("the command line", mail.TextBody);
        Assert.Contains("UTC", mail.TextBody);
    }

    [Fact]
    public async Task With_notifications_off_a_changed_or_reset_password_mails_nothing()
    {
        var settings = _sink.Settings;
        settings["Email:SecurityNotifications"] = "false";
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);

        Assert.True((await browser.ChangePasswordAsync(Browser.StrongPassword, "a second strong passphrase")).IsRedirect());
        using var forgetful = app.NewBrowser();
        await forgetful.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        Assert.True((await forgetful.ResetPasswordAsync(link, "a third strong passphrase")).IsRedirect());

        await _sink.AssertNoMailToAsync(Email, app);
    }

    private static void AssertSaysWhenWhereAndHow(string? body)
    {
        Assert.NotNull(body);
        Assert.Contains(Peer, body);
        Assert.Contains("Browser: Firefox on Linux", body);
        Assert.Contains("UTC", body);
    }
}
