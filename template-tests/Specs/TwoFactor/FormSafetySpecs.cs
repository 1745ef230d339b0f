using System.Net;
using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.TwoFactor;

// Each two-factor form posted without its antiforgery token, as another site's page could make
// a signed-in browser post it, is refused, and what it would have done is not done.
public class FormSafetySpecs : IAsyncLifetime
{
    private const string Email = "victim@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync();

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Turning_on_without_the_antiforgery_token_is_refused_and_leaves_it_off()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, form) = await TwoFactorSupport.OpenSetupAsync(browser);
        form.Remove("__RequestVerificationToken");
        form["Input.Password"] = Browser.StrongPassword;
        form["Input.Code"] = TwoFactorSupport.Code(secret, _app);

        var response = await browser.PostAsync("/TwoFactor/Enable", form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await _app.QueryAsync(db => db.Authenticators.CountAsync(a => a.EnabledAt != null)));
        Assert.Equal(0, await _app.QueryAsync(db => db.RecoveryCodes.CountAsync()));
    }

    [Fact]
    public async Task Turning_off_without_the_antiforgery_token_is_refused_and_leaves_it_on()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.EnableTwoFactorAsync(_app);

        var response = await browser.PostWithoutAntiforgeryTokenAsync(
            "/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var later = _app.NewBrowser();
        var signIn = await later.SignInAsync(Email);
        Assert.StartsWith("/TwoFactor/Verify", signIn.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task New_recovery_codes_without_the_antiforgery_token_are_refused_and_the_old_ones_stay()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.EnableTwoFactorAsync(_app);
        var before = await StoredCodesAsync();

        var response = await browser.PostWithoutAntiforgeryTokenAsync(
            "/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Regenerate");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(10, before.Count);
        Assert.Equal(before, await StoredCodesAsync());
    }

    [Fact]
    public async Task The_code_step_without_the_antiforgery_token_is_refused_and_starts_no_session()
    {
        byte[] secret;
        using (var owner = _app.NewBrowser())
        {
            await owner.RegisterAsync(Email);
            (secret, _) = await owner.EnableTwoFactorAsync(_app);
        }
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Email);
        _app.Clock.Advance(TimeSpan.FromSeconds(30));

        var response = await browser.PostWithoutAntiforgeryTokenAsync("/TwoFactor/Verify", new() { ["Input.Code"] = TwoFactorSupport.Code(secret, _app) });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(await browser.IsSignedInAsync());
    }

    private Task<List<string>> StoredCodesAsync() =>
        _app.QueryAsync(db => db.RecoveryCodes.OrderBy(c => c.CodeHash).Select(c => c.CodeHash).ToListAsync());
}
