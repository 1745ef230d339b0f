using Specs.Email;
using Specs.Support;
using Specs.TwoFactor;

namespace Specs.EmailWithTwoFactor;

// Turning two-factor on or off and making new recovery codes each mail the owner, with when, from
// where and with which browser; with Email:SecurityNotifications off, none of them does.
// Compiled only where the app has both modules (Specs.csproj).
public class TwoFactorNotificationSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string Peer = "198.51.100.24";
    private MailSink _sink = null!;

    public ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task Turning_two_factor_on_making_new_codes_and_turning_it_off_each_mail_the_owner()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var browser = app.NewBrowser(Peer);
        browser.Client.DefaultRequestHeaders.UserAgent.ParseAdd("Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0");
        await browser.RegisterAsync(Email);

        await browser.EnableTwoFactorAsync(app);
        AssertSaysWhereAndHow((await _sink.NextMailToAsync(Email, "Two-factor authentication was turned on")).TextBody);

        var regenerated = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Regenerate");
        Assert.True(regenerated.IsRedirect());
        AssertSaysWhereAndHow((await _sink.NextMailToAsync(Email, "New recovery codes were made")).TextBody);

        var disabled = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");
        Assert.True(disabled.IsRedirect());
        AssertSaysWhereAndHow((await _sink.NextMailToAsync(Email, "Two-factor authentication was turned off")).TextBody);
        await _sink.AssertNoMailToAsync(Email, app);
    }

    [Fact]
    public async Task With_notifications_off_two_factor_changes_mail_nothing()
    {
        var settings = _sink.Settings;
        settings["Email:SecurityNotifications"] = "false";
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();
        await browser.RegisterAsync(Email);

        await browser.EnableTwoFactorAsync(app);
        await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Regenerate");
        await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");

        await _sink.AssertNoMailToAsync(Email, app);
    }

    private static void AssertSaysWhereAndHow(string? body)
    {
        Assert.NotNull(body);
        Assert.Contains(Peer, body);
        Assert.Contains("Browser: Firefox on Linux", body);
        Assert.Contains("UTC", body);
    }
}
