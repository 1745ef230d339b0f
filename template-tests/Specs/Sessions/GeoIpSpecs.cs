using Specs.Support;

namespace Specs.Sessions;

// With --geoip, each session shows where its address is, from the MaxMind database file in
// Sessions:GeoIpDatabasePath (here a small one the specs write: TestGeoIpDatabase).
public class GeoIpSpecs
{
    private const string Email = "ada@example.com";

    [Fact]
    public async Task A_session_from_a_known_address_shows_its_city_and_country()
    {
        await using var app = await TestApp.StartAsync();
        using var laptop = app.NewBrowser("203.0.113.7").WithUserAgent(SessionsSupport.Firefox);
        using var phone = app.NewBrowser("198.51.100.20").WithUserAgent(SessionsSupport.IPhoneSafari);
        await laptop.RegisterAsync(Email);
        await phone.SignInAsync(Email);

        var html = (await laptop.GetAsync("/Sessions")).Html;

        Assert.Contains("Testville, New Zealand", SessionListSpecs.RowOf(html, "Firefox on Windows"));
        Assert.Contains("Iceland", SessionListSpecs.RowOf(html, "Safari on iPhone"));
    }

    [Fact]
    public async Task An_address_the_database_does_not_know_shows_no_location()
    {
        await using var app = await TestApp.StartAsync();
        using var browser = app.NewBrowser("192.0.2.50").WithUserAgent(SessionsSupport.Firefox);
        await browser.RegisterAsync(Email);

        var row = SessionListSpecs.RowOf((await browser.GetAsync("/Sessions")).Html, "Firefox on Windows");

        Assert.Contains("192.0.2.50", row);
        Assert.DoesNotContain("Testville", row);
        Assert.DoesNotContain("New Zealand", row);
        Assert.DoesNotContain("Iceland", row);
    }

    [Theory]
    [Trait(ServerErrors.Trait, ServerErrors.Expected)]
    [InlineData("", "Sessions:GeoIpDatabasePath is not set")]
    [InlineData("no-such-file.mmdb", "no-such-file.mmdb', but")]
    public async Task Outside_Development_the_app_does_not_start_without_the_database_file(string path, string message)
    {
        // Migrated by a Development start, so that the refused start is the setting's doing.
        await using var development = await TestApp.StartAsync();

        var refused = Assert.ThrowsAny<Exception>(() =>
            development.Restart(new() { ["Sessions:GeoIpDatabasePath"] = path }, environment: "Production"));

        Assert.Contains(message, AllMessages(refused));
        Assert.Contains("https://dev.maxmind.com/geoip/geolite2-free-geolocation-data", AllMessages(refused));
    }

    [Fact]
    public async Task In_Development_without_the_setting_the_app_starts_and_shows_no_location()
    {
        await using var app = await TestApp.StartAsync(new() { ["Sessions:GeoIpDatabasePath"] = "" });
        using var browser = app.NewBrowser("203.0.113.7").WithUserAgent(SessionsSupport.Firefox);
        await browser.RegisterAsync(Email);

        var html = (await browser.GetAsync("/Sessions")).Html;

        Assert.DoesNotContain("Testville", html);
    }

    private static string AllMessages(Exception exception) =>
        exception.InnerException is null ? exception.Message : exception.Message + "\n" + AllMessages(exception.InnerException);
}
