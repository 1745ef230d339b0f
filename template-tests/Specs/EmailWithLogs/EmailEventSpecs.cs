using Microsoft.EntityFrameworkCore;
using Specs.Email;
using Specs.Logs;
using Specs.Support;

namespace Specs.EmailWithLogs;

// What the email module does to an account reaches the logs module's table: the confirmation,
// the reset asked for and done, the change of address asked for and done.
// Compiled only when the app has both modules and both folders of specs run (Specs.csproj).
public class EmailEventSpecs : IAsyncLifetime
{
    private const string Email = "ada@example.com";
    private const string NewEmail = "ada.lovelace@example.org";
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
    public async Task Confirming_resetting_and_changing_the_address_are_each_recorded_in_order()
    {
        using var browser = _app.NewBrowser();
        await browser.RegisterAsync(Email);
        await browser.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Confirm your email address")));
        await browser.RequestPasswordResetAsync(Email);
        await browser.ResetPasswordAsync(MailSink.LinkIn(await _sink.NextMailToAsync(Email, "Reset your password")), "a passphrase after the reset");
        await browser.SignInAsync(Email, "a passphrase after the reset");
        await browser.RequestEmailChangeAsync(NewEmail, "a passphrase after the reset");
        var changed = await browser.ConfirmAsync(MailSink.LinkIn(await _sink.NextMailToAsync(NewEmail, "Confirm your new email address")));
        Assert.True(changed.IsRedirect());

        var userId = await _app.QueryAsync(db => db.Users.Select(u => u.Id).SingleAsync());
        var events = (await _app.EventsAsync()).Where(e => e.UserId == userId).ToList();
        string[] expectedInOrder =
        [
            "Registered", EmailEvents.EmailConfirmed, EmailEvents.PasswordResetRequested, "PasswordReset", "SignedIn",
            EmailEvents.EmailChangeRequested, "EmailChanged",
        ];
        var next = 0;
        foreach (var recorded in events)
        {
            if (next < expectedInOrder.Length && recorded.EventType == expectedInOrder[next])
            {
                next++;
            }
        }
        Assert.True(next == expectedInOrder.Length,
            $"Missing from position {next} ({expectedInOrder.ElementAtOrDefault(next)}); recorded: {string.Join(", ", events.Select(e => e.EventType))}");
        Assert.All(new[] { EmailEvents.EmailConfirmed, "PasswordReset", "EmailChanged" }, type => Assert.Single(events, e => e.EventType == type));
    }
}
