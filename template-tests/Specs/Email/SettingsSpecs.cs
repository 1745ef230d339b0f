using Specs.Support;

namespace Specs.Email;

// Outside Development the app refuses to start without what mail needs (a sender, a mail server,
// the public address its links use) or with a setting it cannot use, and says which setting, all
// of them at once. In Development it starts with none of them (every other spec relies on that).
public class SettingsSpecs : IAsyncLifetime
{
    private TestApp _development = null!;

    // Migrated by a Development start, so that a refused Production start is the settings' doing.
    public async ValueTask InitializeAsync() => _development = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _development.DisposeAsync();

    [Fact]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    public void Outside_development_the_app_names_every_missing_mail_setting_and_does_not_start()
    {
        var error = RefusedStart(new()
        {
            ["App:PublicBaseUrl"] = "",
            ["Email:From"] = "",
            ["Email:Smtp:Host"] = "",
        });

        Assert.Contains("Email:From is required outside Development", error);
        Assert.Contains("Email:Smtp:Host is required outside Development", error);
        Assert.Contains("App:PublicBaseUrl is required outside Development", error);
    }

    [Theory]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    [InlineData("App:PublicBaseUrl", "shop.example", "App:PublicBaseUrl \"shop.example\" must be an absolute http or https address")]
    [InlineData("App:PublicBaseUrl", "ftp://shop.example", "App:PublicBaseUrl \"ftp://shop.example\" must be an absolute http or https address")]
    [InlineData("App:PublicBaseUrl", "https://shop.example/?next=evil", "must be an absolute http or https address without query")]
    [InlineData("Email:From", "the shop", "Email:From \"the shop\" is not an email address")]
    [InlineData("Email:Smtp:Port", "70000", "Email:Smtp:Port 70000 is not a port number")]
    [InlineData("Email:Smtp:UserName", "mailer", "Email:Smtp:UserName and Email:Smtp:Password go together")]
    [InlineData("Email:Smtp:CertificateThumbprint", "abc", "Email:Smtp:CertificateThumbprint must be the certificate's SHA-256 thumbprint")]
    [InlineData("Email:Smtp:Security", "Tls", "Email:Smtp:Security")]
    [InlineData("Email:PasswordResetLifetime", "30.00:00:00", "PasswordResetLifetime")]
    public void Outside_development_a_mail_setting_the_app_cannot_use_stops_it_and_is_named(string key, string value, string message)
    {
        var error = RefusedStart(new() { [key] = value });

        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Outside_development_the_app_starts_with_a_sender_a_server_and_its_public_address()
    {
        await using var production = _development.Restart(new()
        {
            ["App:PublicBaseUrl"] = "https://shop.example",
            ["Email:From"] = "Shop <noreply@shop.example>",
            ["Email:Smtp:Host"] = "127.0.0.1",
            ["Email:Smtp:Port"] = "9",
            ["Email:Smtp:Security"] = "StartTls",
            ["Email:Smtp:UserName"] = "mailer",
            ["Email:Smtp:Password"] = "a secret",
        }, environment: "Production");
        using var browser = production.NewBrowser();

        var (status, _) = await browser.GetAsync("/Email/ForgotPassword");

        Assert.Equal(System.Net.HttpStatusCode.OK, status);
    }

    // The whole failure as the host reports it, inner exceptions included.
    private string RefusedStart(Dictionary<string, string> settings)
    {
        var error = Assert.ThrowsAny<Exception>(() => _development.Restart(settings, environment: "Production"));
        return error.ToString();
    }
}
