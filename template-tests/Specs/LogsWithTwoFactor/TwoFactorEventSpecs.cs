using Microsoft.EntityFrameworkCore;
using Specs.Logs;
using Specs.Support;
using Specs.TwoFactor;

namespace Specs.LogsWithTwoFactor;

// One module reacting to another's events: what the two-factor module does reaches the logs
// module's table for the user, and a wrong code at sign-in is a SignInFailed with its reason.
// Compiled only when the app has both modules and both folders of specs run (Specs.csproj).
public class TwoFactorEventSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Accounts:IpFailureLimit"] = "100000" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Turning_it_on_signing_in_with_wrong_and_recovery_codes_new_codes_and_turning_it_off_are_each_recorded()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        var (secret, codes) = await browser.EnableTwoFactorAsync(_app);
        Assert.NotEmpty(codes);
        await browser.SignOutAsync();
        await browser.SignInAsync(Email);
        await browser.VerifyAsync(code: TwoFactorSupport.Code(secret, _app, steps: 10));
        await browser.VerifyAsync(recoveryCode: "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA");
        Assert.True((await browser.VerifyAsync(recoveryCode: codes[0])).IsRedirect());
        Assert.True(await browser.IsSignedInAsync());
        var regenerated = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Regenerate");
        Assert.Equal("/TwoFactor/RecoveryCodes", regenerated.Headers.Location?.OriginalString);
        var disabled = await browser.SubmitAsync("/TwoFactor", new() { ["Input.Password"] = Browser.StrongPassword }, "/TwoFactor?handler=Disable");
        Assert.True(disabled.IsRedirect());

        var userId = await _app.QueryAsync(db => db.Users.Where(u => u.Email == Email).Select(u => u.Id).SingleAsync());
        var events = (await _app.EventsAsync()).Where(e => e.UserId == userId).ToList();
        (string Type, string? Reason)[] expectedInOrder =
        [
            ("Registered", null), (TwoFactorEvents.Enabled, null), ("SignedOut", null), ("PasswordVerified", null),
            ("SignInFailed", "BadCode"), ("SignInFailed", "BadRecoveryCode"), (TwoFactorEvents.RecoveryCodeUsed, null),
            ("SignedIn", "Password+RecoveryCode"), (TwoFactorEvents.RecoveryCodesRegenerated, null), (TwoFactorEvents.Disabled, null),
        ];
        var next = 0;
        foreach (var recorded in events)
        {
            if (next < expectedInOrder.Length && recorded.EventType == expectedInOrder[next].Type
                && (expectedInOrder[next].Reason is null || recorded.Reason == expectedInOrder[next].Reason))
            {
                next++;
            }
        }
        Assert.True(next == expectedInOrder.Length,
            $"Missing from position {next} ({expectedInOrder.ElementAtOrDefault(next)}); recorded: {string.Join(", ", events.Select(e => $"{e.EventType}/{e.Reason}"))}");
        Assert.All(new[] { TwoFactorEvents.Enabled, TwoFactorEvents.Disabled, TwoFactorEvents.RecoveryCodeUsed, TwoFactorEvents.RecoveryCodesRegenerated },
            type => Assert.Single(events, e => e.EventType == type));
    }
}
