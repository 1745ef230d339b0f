using Specs.Email;
using Specs.Support;
using Specs.TwoFactor;

namespace Specs.EmailWithTwoFactor;

// The sign-in of an unconfirmed account stops at /Email/Unconfirmed; the half-finished sign-in
// it leaves cannot be finished on another step's page. Compiled only where the app has both
// modules (Specs.csproj).
public class UnconfirmedStepSpecs : IAsyncLifetime
{
    private const string Email = "grace@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        _app = await TestApp.StartAsync(new(_sink.Settings) { ["Email:RequireConfirmedEmail"] = "true" });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task The_two_factor_page_cannot_finish_the_sign_in_of_an_unconfirmed_account()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        Assert.Equal("/Email/Unconfirmed", (await browser.SignInAsync(Email)).LocationPath());

        foreach (var (code, recovery) in new (string?, string?)[] { ("000000", null), ("123456", null), (null, "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"), (null, "") })
        {
            var response = await browser.VerifyAsync(code, recovery);
            Assert.False(response.IsRedirect() && response.LocationPath() is not ("/Accounts/Login" or "/Accounts/Lockout"),
                $"POST /TwoFactor/Verify answered {(int)response.StatusCode} to {response.Location()}");
        }

        Assert.False(await browser.IsSignedInAsync());
    }
}
