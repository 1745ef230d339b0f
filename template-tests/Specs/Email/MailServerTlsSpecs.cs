using Specs.Support;

namespace Specs.Email;

// Email:Smtp:Security=StartTls (or SslOnConnect) with a mail server whose certificate no
// authority signed, as on a small self-hosted server: the app sends only when the certificate is
// the one pinned by Email:Smtp:CertificateThumbprint, and never falls back to plain text.
public class MailServerTlsSpecs : IAsyncLifetime
{
    private const string Email = "nobody@example.com";
    private const string Subject = "No account uses this address";
    private MailSink _sink = null!;

    public ValueTask InitializeAsync()
    {
        _sink = MailSink.StartWithStartTls();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task With_the_certificate_pinned_mail_is_sent_over_starttls()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync(Email);

        var mail = await _sink.NextMailToAsync(Email, Subject);
        Assert.True(_sink.HowArrived(mail).OverTls, "The mail came over an unencrypted connection");
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task With_a_login_the_app_signs_in_to_the_mail_server_and_a_wrong_password_sends_nothing()
    {
        await using var guarded = MailSink.StartWithStartTls(new("app-mailer", "the relay's own secret"));
        await using var app = await TestApp.StartAsync(guarded.Settings);
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync(Email);

        var mail = await guarded.NextMailToAsync(Email, Subject);
        Assert.Equal((true, "app-mailer"), guarded.HowArrived(mail));

        var wrong = guarded.Settings;
        wrong["Email:Smtp:Password"] = "not the relay's secret";
        await using var misconfigured = await TestApp.StartAsync(wrong);
        using var other = misconfigured.NewBrowser();
        await other.RequestPasswordResetAsync("someone.else@example.com");
        Assert.NotNull((await misconfigured.FailedAttemptsAsync(Subject)).LastError);
        await guarded.AssertNoMailToAsync("someone.else@example.com");
    }

    [Fact]
    public async Task With_the_certificate_pinned_mail_is_sent_over_tls_from_the_first_byte()
    {
        await using var implicitTls = MailSink.StartWithTlsOnConnect();
        await using var app = await TestApp.StartAsync(implicitTls.Settings);
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync(Email);

        var mail = await implicitTls.NextMailToAsync(Email, Subject);
        Assert.True(implicitTls.HowArrived(mail).OverTls, "The mail came over an unencrypted connection");
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task Without_the_pin_the_untrusted_certificate_gets_no_mail()
    {
        var settings = _sink.Settings;
        settings.Remove("Email:Smtp:CertificateThumbprint");
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync(Email);

        var failed = await app.FailedAttemptsAsync(Subject);
        Assert.NotNull(failed.LastError);
        await _sink.AssertNoMailToAsync(Email);
    }

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public async Task A_pin_of_another_certificate_gets_no_mail()
    {
        await using var other = MailSink.StartWithStartTls();
        var settings = _sink.Settings;
        settings["Email:Smtp:CertificateThumbprint"] = other.CertificateSha256!;
        await using var app = await TestApp.StartAsync(settings);
        using var browser = app.NewBrowser();

        await browser.RequestPasswordResetAsync(Email);

        await app.FailedAttemptsAsync(Subject);
        await _sink.AssertNoMailToAsync(Email);
    }
}
