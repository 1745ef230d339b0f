using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.TwoFactor;

// Every field of the two-factor forms (set-up, turning off, new recovery codes, the sign-in step)
// and their pages' parameters given hostile values (FormFuzz): never a server error, and a
// refused post changes no authenticator or recovery code.
public class HostileInputSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new()
    {
        // Hundreds of posts from one address: the per-address limits have their own specs.
        ["Accounts:IpFailureLimit"] = "100000",
        ["Accounts:RegistrationLimit"] = "100000",
        ["Accounts:FormPostLimit"] = "100000",
        // Wrong passwords among the values must not lock the account, or later posts would prove nothing.
        ["Accounts:LockoutFailures"] = "100",
        ["Accounts:SignInLimit"] = "100000",
    });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_set_up_form_refuses_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("setting-up@example.com");

        await FormFuzz.PostHostileValuesAsync(browser, "/TwoFactor/Enable",
            () => new() { ["Input.Password"] = Browser.StrongPassword, ["Input.Code"] = "000000" },
            TwoFactorRowsAsync);
    }

    [Fact]
    public async Task The_forms_of_the_two_factor_page_refuse_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("enabled@example.com");
        await browser.EnableTwoFactorAsync(_app);

        await FormFuzz.PostHostileValuesAsync(browser, "/TwoFactor",
            () => new() { ["Input.Password"] = Browser.StrongPassword, ["Input.Code"] = "000000" },
            TwoFactorRowsAsync);
    }

    [Fact]
    public async Task The_sign_in_step_refuses_hostile_values_without_an_error_or_a_session()
    {
        using (var enabling = _app.NewBrowser())
        {
            await enabling.RegisterAsync("stepping@example.com");
            await enabling.EnableTwoFactorAsync(_app);
        }
        using var browser = _app.NewBrowser();
        await browser.SignInAsync("stepping@example.com");

        await FormFuzz.PostHostileValuesAsync(browser, "/TwoFactor/Verify", () => [],
            async () => await TwoFactorRowsAsync() + await _app.QueryAsync(async db => (await db.UserSessions.CountAsync(s => s.EndedAt == null)).ToString()));
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task Two_factor_pages_opened_with_hostile_values_never_fail()
    {
        using var visitor = _app.NewBrowser();
        using var user = _app.NewBrowser();
        await user.RegisterAsync("looking@example.com");

        foreach (var browser in new[] { visitor, user })
        {
            foreach (var page in new[] { "/TwoFactor", "/TwoFactor/Enable", "/TwoFactor/RecoveryCodes", "/TwoFactor/Verify" })
            {
                await FormFuzz.GetHostileValuesAsync(browser, page, "returnUrl", "handler");
            }
        }
    }

    private Task<string> TwoFactorRowsAsync() => _app.QueryAsync(async db =>
        string.Join('\n', (await db.Authenticators.AsNoTracking().OrderBy(a => a.UserId).ToListAsync()).Select(a => $"{a.UserId} {a.ProtectedSecret} {a.EnabledAt} {a.LastUsedStep}"))
        + string.Join('\n', (await db.RecoveryCodes.AsNoTracking().OrderBy(c => c.Id).ToListAsync()).Select(c => $"{c.Id} {c.CodeHash} {c.UsedAt}")));
}
