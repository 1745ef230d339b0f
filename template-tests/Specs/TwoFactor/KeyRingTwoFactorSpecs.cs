using Specs.Support;

namespace Specs.TwoFactor;

public class KeyRingTwoFactorSpecs
{
    [Fact]
    public async Task With_the_key_ring_certificate_a_two_factor_user_still_signs_in_after_a_restart()
    {
        using var certificate = new TestCertificate();
        await using var app = await TestApp.StartAsync(certificate.Settings());
        byte[] secret;
        using (var enabling = app.NewBrowser())
        {
            await enabling.RegisterAsync("totp-keys@example.com");
            (secret, _) = await enabling.EnableTwoFactorAsync(app);
        }

        await using var restarted = app.Restart();
        using var browser = restarted.NewBrowser();
        await browser.SignInAsync("totp-keys@example.com");
        restarted.Clock.Advance(TimeSpan.FromMinutes(1));
        await browser.VerifyAsync(TwoFactorSupport.Code(secret, restarted));

        Assert.True(await browser.IsSignedInAsync());
    }
}
