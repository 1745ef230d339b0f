using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Mails the user when how they sign in changes, whichever page or command changed it: a
// reaction to the account events, saved with the change (IUserEvents). Email:SecurityNotifications
// turns the notices off; the mail to the old address after an email change is always sent, as
// it is part of that change. Also keeps mailed links from outliving what they were sent for.
public class SecurityNotifications(EmailOutbox outbox, AccountMails mails, EmailTokens tokens, IOptions<EmailOptions> options) : IUserEvents
{
    // Module events by name, so that this module does not depend on the two-factor module.
    private static readonly Dictionary<string, string> ModuleEventNotices = new()
    {
        ["TwoFactorEnabled"] = "Two-factor authentication was turned on",
        ["TwoFactorDisabled"] = "Two-factor authentication was turned off",
        ["RecoveryCodesRegenerated"] = "New recovery codes were made",
    };

    public async Task PasswordChangedAsync(User user, CancellationToken cancellationToken)
    {
        // Any password change kills the reset links not used yet.
        await tokens.RevokeAsync(user.Id, [TokenPurposes.PasswordReset], cancellationToken);
        Notify(user, "Your password was changed");
    }

    public async Task PasswordResetAsync(User user, CancellationToken cancellationToken)
    {
        await tokens.RevokeAsync(user.Id, [TokenPurposes.PasswordReset], cancellationToken);
        Notify(user, "Your password was reset");
    }

    public async Task EmailChangedAsync(User user, string previousEmail, CancellationToken cancellationToken)
    {
        // Links sent to the old address, and other pending changes, stop working.
        await tokens.RevokeAsync(user.Id, [TokenPurposes.PasswordReset, TokenPurposes.ConfirmEmail, TokenPurposes.ChangeEmail], cancellationToken);
        outbox.Queue(mails.EmailChanged(previousEmail, user));
    }

    public Task ModuleEventAsync(ModuleEvent moduleEvent, CancellationToken cancellationToken)
    {
        if (moduleEvent.Succeeded && ModuleEventNotices.TryGetValue(moduleEvent.Name, out var notice))
        {
            Notify(moduleEvent.User, notice);
        }
        return Task.CompletedTask;
    }

    private void Notify(User user, string what)
    {
        if (options.Value.SecurityNotifications)
        {
            outbox.Queue(mails.SecurityNotification(user, what));
        }
    }
}
