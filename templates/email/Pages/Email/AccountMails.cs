using System.Globalization;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// The words of every mail the module sends. Change them here (or translate them).
public class AccountMails(PublicLinks links, IHttpContextAccessor httpContextAccessor, IOptions<EmailOptions> options, TimeProvider time)
{
    private string Site => links.SiteName;

    public Mail PasswordReset(User user, string link) => new(MailKinds.PasswordReset, user.Email, "Reset your password",
        [
            $"Someone asked to reset the password of your account at {Site}. If it was you, open the link below and choose a new password. " +
            $"The link works once, for {Lifetime(options.Value.PasswordResetLifetime)}.",
            "If it was not you, ignore this mail: your password stays as it is.",
            RequestDetails(withBrowser: false),
        ], link, "Choose a new password");

    public Mail NoAccount(string email) => new(MailKinds.NoAccount, email, "No account uses this address",
        [
            $"Someone asked to reset the password of an account at {Site} with this address, but no account uses it.",
            "If it was you, you may have registered with another address. If it was not you, ignore this mail.",
            RequestDetails(withBrowser: false),
        ], links.Home, Site);

    public Mail ConfirmEmail(User user, string link) => new(MailKinds.ConfirmEmail, user.Email, "Confirm your email address",
        [
            $"Open the link below to confirm that this is the address of your new account at {Site}; then you can sign in. " +
            $"The link works for {Lifetime(options.Value.ConfirmationLifetime)}.",
            "If you did not register, ignore this mail.",
        ], link, "Confirm my address");

    public Mail RegistrationAttempt(User owner) => new(MailKinds.RegistrationAttempt, owner.Email, "Someone tried to register with your address",
        [
            $"Someone tried to register a new account at {Site} with this address, which your account already uses. No account was made.",
            "If it was you: you already have an account. Sign in, or reset your password from the sign-in page if you forgot it.",
            RequestDetails(withBrowser: false),
        ], links.Home, Site);

    public Mail ConfirmNewEmail(User user, string newEmail, string link) => new(MailKinds.ConfirmNewEmail, newEmail, "Confirm your new email address",
        [
            $"Open the link below to make this the address of your account at {Site} (now {user.Email}). " +
            $"The link works for {Lifetime(options.Value.EmailChangeLifetime)}.",
            "If you did not ask for this, ignore this mail: nothing changes.",
        ], link, "Confirm my new address");

    public Mail AddressTaken(string newEmail) => new(MailKinds.AddressTaken, newEmail, "An account already uses this address",
        [
            $"Someone asked to move an account at {Site} to this address, but another account already uses it, so nothing changed.",
            "If it was you and you no longer need the other account, sign in to it and change its address first.",
            RequestDetails(withBrowser: false),
        ]);

    public Mail EmailChangeRequested(User user, string newEmail) => new(MailKinds.EmailChangeRequested, user.Email, "A change of your email address was requested",
        [
            $"Someone signed in to your account at {Site} asked to change its address to {newEmail}. It changes once that address confirms it.",
            "If it was not you, change your password now: whoever did this knows it.",
            RequestDetails(withBrowser: true),
        ], links.Home, Site);

    public Mail EmailChanged(string previousEmail, User user) => new(MailKinds.EmailChanged, previousEmail, "Your email address was changed",
        [
            $"The address of your account at {Site} is now {user.Email}; mail about the account goes there from now on.",
            "If it was not you, reply to this mail or contact the site's support at once.",
            RequestDetails(withBrowser: true),
        ]);

    // what: "Your password was changed", ... (the subject); the body adds when, from where and how to react.
    public Mail SecurityNotification(User user, string what) => new(MailKinds.SecurityNotification, user.Email, what,
        [
            $"{what} on your account at {Site}.",
            "If it was you, there is nothing to do. If it was not, reset your password now from the sign-in page and check your account's settings.",
            RequestDetails(withBrowser: true),
        ], links.Home, Site);

    // When, from which address and browser the request that caused the mail came. The browser
    // is named from a few known words of its User-Agent, never quoted: the header is text the
    // requester chooses, and quoted it would put their words (a link, say) into the site's mail.
    // Mails that anyone can cause to be sent to any address (a reset asked for, a registration
    // tried) leave the browser out.
    private string RequestDetails(bool withBrowser)
    {
        var when = time.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        if (httpContextAccessor.HttpContext is not { } http)
        {
            return $"When: {when}\nFrom: the command line";
        }
        var details = $"When: {when}\nIP address: {http.Connection.RemoteIpAddress?.ToString() ?? "unknown"}";
        return withBrowser ? details + $"\nBrowser: {UserAgents.Describe(http.Request.Headers.UserAgent.ToString())}" : details;
    }

    private static string Lifetime(TimeSpan lifetime) =>
        lifetime.TotalHours >= 1 && lifetime.TotalHours == Math.Floor(lifetime.TotalHours)
            ? lifetime.TotalHours == 1 ? "1 hour" : $"{lifetime.TotalHours:0} hours"
            : $"{lifetime.TotalMinutes:0} minutes";
}
