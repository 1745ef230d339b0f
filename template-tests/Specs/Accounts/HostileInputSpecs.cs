using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Accounts;

// Every field of every accounts form, and every query parameter of its pages, given hostile
// values (FormFuzz): never a server error, and a refused post saves nothing.
public class HostileInputSpecs : IAsyncLifetime
{
    private const string Person = "fuzzed@example.com";
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _app = await TestApp.StartAsync(new()
        {
            // Hundreds of posts from one address: the per-address limits have their own specs.
            ["Accounts:IpFailureLimit"] = "100000",
            ["Accounts:RegistrationLimit"] = "100000",
            ["Accounts:FormPostLimit"] = "100000",
            // Wrong passwords among the values must not lock the account, or later posts would prove nothing.
            ["Accounts:LockoutFailures"] = "100",
            ["Accounts:SignInLimit"] = "100000",
        });
        using var registering = _app.NewBrowser();
        await registering.RegisterAsync(Person);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_registration_form_refuses_hostile_values_without_an_error_or_an_account()
    {
        using var browser = _app.NewBrowser();

        await FormFuzz.PostHostileValuesAsync(browser, "/Accounts/Register",
            () =>
            {
                // A new address each time, so an accepted value is accepted for its own sake.
                return new()
                {
                    ["Input.Email"] = $"new-{Guid.NewGuid():N}@example.com",
                    ["Input.Password"] = Browser.StrongPassword,
                    ["Input.ConfirmPassword"] = Browser.StrongPassword,
                };
            },
            UsersAsync);
    }

    [Fact]
    public async Task The_sign_in_form_refuses_hostile_values_without_an_error_or_a_session()
    {
        using var browser = _app.NewBrowser();

        await FormFuzz.PostHostileValuesAsync(browser, "/Accounts/Login",
            () => new()
            {
                ["Input.Email"] = Person,
                ["Input.Password"] = Browser.StrongPassword,
                ["Input.RememberMe"] = "true",
            },
            () => _app.QueryAsync(async db => (await db.UserSessions.CountAsync()).ToString()));
        Assert.False(await browser.IsSignedInAsync());
    }

    [Fact]
    public async Task The_change_password_form_refuses_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Person);

        await FormFuzz.PostHostileValuesAsync(browser, "/Accounts/ChangePassword",
            () => new()
            {
                ["Input.CurrentPassword"] = Browser.StrongPassword,
                ["Input.NewPassword"] = "a different violet stapler 7",
                ["Input.ConfirmPassword"] = "a different violet stapler 7",
            },
            UsersAsync);
    }

    [Fact]
    public async Task Pages_opened_with_hostile_query_values_never_fail()
    {
        using var visitor = _app.NewBrowser();
        using var user = _app.NewBrowser();
        await user.SignInAsync(Person);

        foreach (var browser in new[] { visitor, user })
        {
            foreach (var page in new[] { "/Accounts/Register", "/Accounts/Login", "/Accounts/Logout", "/Accounts/ChangePassword", "/Accounts/Lockout", "/Accounts/AccessDenied" })
            {
                await FormFuzz.GetHostileValuesAsync(browser, page, "returnUrl", "handler");
            }
        }
    }

    private Task<string> UsersAsync() => _app.QueryAsync(async db => string.Join('\n',
        (await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync())
            .Select(u => $"{u.Email} {u.NormalizedEmail} {u.PasswordHash} {u.SecurityStamp} {u.IsActive}")));
}
