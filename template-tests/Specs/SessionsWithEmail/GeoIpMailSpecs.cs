using Specs.Email;
using Specs.Sessions;
using Specs.Support;

namespace Specs.SessionsWithEmail;

// With --geoip, the new-browser mail says roughly where the sign-in came from.
public class GeoIpMailSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private MailSink _sink = null!;

    public ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _sink.DisposeAsync();

    [Fact]
    public async Task The_new_browser_mail_gives_the_approximate_location()
    {
        await using var app = await TestApp.StartAsync(_sink.Settings);
        using (var laptop = app.NewBrowser())
        {
            await laptop.RegisterAsync(Email);
        }
        using var phone = app.NewBrowser("203.0.113.80").WithUserAgent(SessionsSupport.IPhoneSafari);

        await phone.SignInAsync(Email);

        var mail = await _sink.NextMailToAsync(Email, "A new sign-in to your account");
        Assert.Contains("Location (approximate): Testville, New Zealand", mail.TextBody);
    }
}
