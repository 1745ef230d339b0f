using System.Net;
using System.Text.RegularExpressions;
using Specs.Support;

namespace Specs.Email;

// In Development without a mail server the app still "sends": /Email/DevMail lists the mails,
// links clickable, so a developer can register and reset without SMTP. Anywhere else it does not exist.
public partial class DevMailSpecs
{
    private const string Email = "dev@example.com";

    [Fact]
    public async Task Without_a_mail_server_in_development_the_confirmation_mail_is_on_the_dev_mailbox_and_its_link_works()
    {
        await using var app = await TestApp.StartAsync(new() { ["Email:RequireConfirmedEmail"] = "true" });
        using var browser = app.NewBrowser();

        Assert.Equal("/Email/CheckInbox?for=registration", (await browser.RegisterAsync(Email)).Location());
        await app.OutboxSentAsync();
        using var developer = app.NewBrowser();
        var (status, mailbox) = await developer.GetAsync("/Email/DevMail");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(Email, mailbox);
        Assert.Contains("Confirm your email address", mailbox);
        var link = ConfirmLink().Match(mailbox);
        Assert.True(link.Success, $"/Email/DevMail shows no <a href> to /Email/ConfirmEmail:\n{mailbox}");
        var confirmed = await browser.ConfirmAsync(new Uri(Browser.BaseAddress, link.Groups[1].Value));
        Assert.Equal("/Email/Done?what=email-confirmed", confirmed.Location());
        await browser.SignInAsync(Email);
        Assert.True(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Without_a_mail_server_in_development_each_mail_is_also_in_the_app_log_with_its_link()
    {
        var logs = new CapturedLogs();
        await using var app = await TestApp.StartAsync(new() { ["Email:RequireConfirmedEmail"] = "true" }, logs.AddTo);
        using var browser = app.NewBrowser();

        await browser.RegisterAsync(Email);
        await app.OutboxSentAsync();

        var logged = Assert.Single(logs.Entries, e => e.EventId.Id == 1400);
        Assert.Contains(Email, logged.Message);
        Assert.Contains("Confirm your email address", logged.Message);
        Assert.Contains("/Email/ConfirmEmail?token=", logged.Message);
    }

    [Fact]
    public async Task The_dev_mailbox_shows_the_newest_mail_first()
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync("first@example.com");
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.RequestPasswordResetAsync("second@example.com");
        await app.OutboxSentAsync();

        var (_, mailbox) = await browser.GetAsync("/Email/DevMail");
        var first = mailbox.IndexOf("first@example.com", StringComparison.Ordinal);
        var second = mailbox.IndexOf("second@example.com", StringComparison.Ordinal);
        Assert.True(first >= 0 && second >= 0, $"Both mails should be listed:\n{mailbox}");
        Assert.True(second < first, "The newest mail should come first");
    }

    [Fact]
    public async Task With_a_mail_server_in_development_there_is_no_dev_mailbox()
    {
        await using var sink = MailSink.Start();
        await using var app = await TestApp.StartAsync(sink.Settings);
        using var browser = app.NewBrowser();

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Email/DevMail")).Status);
    }

    [Fact]
    public async Task Outside_development_there_is_no_dev_mailbox()
    {
        await using var sink = MailSink.Start();
        // Development first, which applies the migrations; then Production on the same database.
        await using var development = await TestApp.StartAsync();
        await using var production = development.Restart(sink.Settings, environment: "Production");
        using var browser = production.NewBrowser();

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/Email/DevMail")).Status);
    }

    [GeneratedRegex("<a[^>]*href=\"([^\"]*/Email/ConfirmEmail\\?token=[^\"]*)\"")]
    private static partial Regex ConfirmLink();
}
