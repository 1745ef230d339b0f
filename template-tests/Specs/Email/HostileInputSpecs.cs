using Microsoft.EntityFrameworkCore;
using Specs.Support;

namespace Specs.Email;

// Every field of the email forms (asking for a reset, the reset itself, confirming an address,
// changing it) and their pages' parameters given hostile values (FormFuzz): never a server
// error, and a refused post changes no password, address, token or queued mail.
public class HostileInputSpecs : IAsyncLifetime
{
    private const string Person = "fuzzed@example.com";
    private MailSink _sink = null!;
    private TestApp _app = null!;

    public async ValueTask InitializeAsync()
    {
        _sink = MailSink.Start();
        var settings = _sink.Settings;
        // Hundreds of posts from one address: the per-address limits have their own specs.
        settings["Accounts:IpFailureLimit"] = "100000";
        settings["Accounts:RegistrationLimit"] = "100000";
        settings["Accounts:FormPostLimit"] = "100000";
        settings["Accounts:SignInLimit"] = "100000";
        // Wrong passwords among the values must not lock the account, or later posts would prove nothing.
        settings["Accounts:LockoutFailures"] = "100";
        settings["Email:RequireConfirmedEmail"] = "true";
        _app = await TestApp.StartAsync(settings);
        using var registering = _app.NewBrowser();
        await registering.RegisterAsync(Person);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Person, "Confirm your email address"));
        Assert.True((await registering.ConfirmAsync(link)).IsRedirect());
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _sink.DisposeAsync();
    }

    [Fact]
    public async Task The_forgot_password_form_refuses_hostile_values_without_an_error_or_a_mail()
    {
        using var browser = _app.NewBrowser();

        await FormFuzz.PostHostileValuesAsync(browser, "/Email/ForgotPassword",
            // A new address each time: the per-address limit stays out of the way.
            () => new() { ["Input.Email"] = $"nobody-{Guid.NewGuid():N}@example.com" },
            StateAsync);
    }

    [Fact]
    public async Task The_reset_form_refuses_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.RequestPasswordResetAsync(Person);
        var link = MailSink.LinkIn(await _sink.NextMailToAsync(Person, "Reset your password"));

        await FormFuzz.PostHostileValuesAsync(browser, link.PathAndQuery,
            () => new() { ["Input.NewPassword"] = "a fuzzed but strong passphrase", ["Input.ConfirmPassword"] = "a fuzzed but strong passphrase" },
            StateAsync);
    }

    [Fact]
    public async Task The_confirmation_form_refuses_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync("unconfirmed@example.com");
        var link = MailSink.LinkIn(await _sink.NextMailToAsync("unconfirmed@example.com", "Confirm your email address"));

        await FormFuzz.PostHostileValuesAsync(browser, link.PathAndQuery, () => [], StateAsync);
    }

    [Fact]
    public async Task The_change_email_form_and_its_confirmation_refuse_hostile_values_without_an_error_or_a_change()
    {
        using var browser = _app.NewBrowser();
        await browser.SignInAsync(Person);

        await FormFuzz.PostHostileValuesAsync(browser, "/Email/ChangeEmail",
            () => new() { ["Input.NewEmail"] = $"new-{Guid.NewGuid():N}@example.com", ["Input.CurrentPassword"] = Browser.StrongPassword },
            StateAsync);

        await browser.RequestEmailChangeAsync("changed@example.com");
        var link = MailSink.LinkIn(await _sink.NextMailToAsync("changed@example.com", "Confirm your new email address"));
        await FormFuzz.PostHostileValuesAsync(browser, link.PathAndQuery, () => [], StateAsync);
    }

    [Fact]
    public async Task Email_pages_opened_with_hostile_values_never_fail()
    {
        using var visitor = _app.NewBrowser();
        using var user = _app.NewBrowser();
        await user.SignInAsync(Person);
        using var unconfirmed = _app.NewBrowser();
        await unconfirmed.RegisterAsync("pending@example.com");
        await unconfirmed.SignInAsync("pending@example.com");

        foreach (var browser in new[] { visitor, user, unconfirmed })
        {
            foreach (var page in new[]
            {
                "/Email/ForgotPassword", "/Email/ResetPassword", "/Email/CheckInbox", "/Email/Done", "/Email/Unconfirmed",
                "/Email/ConfirmEmail", "/Email/ChangeEmail", "/Email/ConfirmEmailChange", "/Email/DevMail",
            })
            {
                await FormFuzz.GetHostileValuesAsync(browser, page, "token", "for", "what", "returnUrl", "handler");
            }
        }
    }

    // What a refused post must leave as it was: every account's address and password, every
    // token's use, and the mails queued.
    private Task<string> StateAsync() => _app.QueryAsync(async db =>
        string.Join('\n', (await db.Users.AsNoTracking().OrderBy(u => u.Id).ToListAsync()).Select(u => $"{u.Email} {u.NormalizedEmail} {u.PasswordHash} {u.SecurityStamp}"))
        + string.Join('\n', (await db.EmailTokens.AsNoTracking().OrderBy(t => t.Id).ToListAsync()).Select(t => $"{t.Id} {t.Purpose} {t.Email} {t.UsedAt}"))
        + string.Join('\n', (await db.UnconfirmedAccounts.AsNoTracking().OrderBy(a => a.UserId).ToListAsync()).Select(a => $"{a.UserId}"))
        + await db.EmailOutbox.CountAsync());
}
