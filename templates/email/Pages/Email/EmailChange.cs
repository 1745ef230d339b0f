using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Moving an account to another address: the current password, then a link to the new address.
// The old address is told at once (so a stolen session cannot move the account quietly) and
// again when it is done. The answer is the same whether or not another account has the new
// address; that address is told instead.
public class EmailChange(
    UsersDbContext db,
    UserAccounts accounts,
    SecretJudge judge,
    EmailTokens tokens,
    EmailOutbox outbox,
    AccountMails mails,
    PublicLinks links,
    UserEventPublisher events,
    IOptions<EmailOptions> options)
{
    public const string ConfirmPage = "/Email/ConfirmEmailChange";

    private static readonly string[] RequestKinds = [MailKinds.ConfirmNewEmail, MailKinds.AddressTaken];

    // Returns an error for the given field, or null when the mails are queued.
    public async Task<FieldError?> RequestAsync(User user, string newEmail, string currentPassword, CancellationToken cancellationToken)
    {
        newEmail = newEmail.Trim();
        var normalizedEmail = User.NormalizeEmail(newEmail);
        if (normalizedEmail == user.NormalizedEmail)
        {
            return new FieldError("NewEmail", "That is already your address.");
        }
        var verdict = await judge.JudgeReauthenticationAsync(user, () => accounts.IsPasswordRightAsync(user, currentPassword, cancellationToken), cancellationToken);
        if (verdict != Verdict.Right)
        {
            return new FieldError("CurrentPassword", verdict == Verdict.Wrong ? "The password is not correct." : SecretJudge.PausedMessage);
        }
        // Past the limit nothing is sent to either address, and the answer stays the same.
        var queued = await outbox.SaveWithinLimitAsync(newEmail, RequestKinds, options.Value.RequestsPerAddress, async () =>
        {
            outbox.Queue(mails.EmailChangeRequested(user, newEmail));
            await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(EmailEvents.EmailChangeRequested, user), cancellationToken));
            if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken))
            {
                return mails.AddressTaken(newEmail);
            }
            var token = tokens.Issue(user, TokenPurposes.ChangeEmail, newEmail, options.Value.EmailChangeLifetime);
            return mails.ConfirmNewEmail(user, newEmail, links.To(ConfirmPage, token));
        }, cancellationToken);
        if (!queued)
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(EmailEvents.EmailChangeRequested, user), cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
        }
        return null;
    }

    // The address the link would move the account to, or null for a dead link.
    public async Task<string?> PendingAddressAsync(string? token, CancellationToken cancellationToken) =>
        await tokens.FindAsync(token, TokenPurposes.ChangeEmail, cancellationToken) is var (found, _) ? found.Email : null;

    public async Task<ChangeOutcome> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(token, TokenPurposes.ChangeEmail, cancellationToken) is not var (found, user))
        {
            return ChangeOutcome.LinkDead;
        }
        var normalizedEmail = User.NormalizeEmail(found.Email);
        if (await db.Users.AnyAsync(u => u.NormalizedEmail == normalizedEmail && u.Id != user.Id, cancellationToken))
        {
            return ChangeOutcome.AddressTaken;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.UseAsync(found, cancellationToken))
        {
            return ChangeOutcome.LinkDead;
        }
        // Between the check above and now another account may have taken the address; the
        // unique index refuses the second change, and the rollback keeps this link usable.
        if (!await accounts.ChangeEmailAsync(user, found.Email, cancellationToken))
        {
            return ChangeOutcome.AddressTaken;
        }
        await transaction.CommitAsync(cancellationToken);
        outbox.WakeSender();
        return ChangeOutcome.Changed;
    }
}

public enum ChangeOutcome
{
    Changed,
    LinkDead,
    AddressTaken,
}
