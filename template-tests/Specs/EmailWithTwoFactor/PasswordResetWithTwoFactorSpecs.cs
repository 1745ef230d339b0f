using Specs.Email;
using Specs.Support;
using Specs.TwoFactor;

namespace Specs.EmailWithTwoFactor;

// A reset link replaces the password, not the second factor: whoever holds the mailbox still
// needs the authenticator to sign in. Compiled only where the app has both modules (Specs.csproj).
public class PasswordResetWithTwoFactorSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
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
    public async Task After_a_reset_the_next_sign_in_still_asks_for_the_code()
    {
        byte[] secret;
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
            (secret, _) = await owner.EnableTwoFactorAsync(_app);
        }
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Email);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password"));
        Assert.Equal("/Email/Done?what=password-reset", (await browser.ResetPasswordAsync(link, "a reset but still guarded passphrase")).Location());

        var signIn = await browser.SignInAsync(Email, "a reset but still guarded passphrase");

        Assert.StartsWith("/TwoFactor/Verify", signIn.Location());
        Assert.False(await browser.IsSignedInAsync());
        _app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.True((await browser.VerifyAsync(TwoFactorSupport.Code(secret, _app))).IsRedirect());
        Assert.True(await browser.IsSignedInAsync());
    }
}
