using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// Forgot password: a link by mail, then a new password. The request answers the same for every
// address, known or not, and with Email:MailUnknownAccounts on (the default) does the same work
// (one lookup, one count, one queued mail), so neither the page nor its timing tells which
// addresses have accounts. With it off, an unknown address queues nothing and answers sooner.
public class PasswordReset(
    UsersDbContext db,
    UserAccounts accounts,
    EmailTokens tokens,
    EmailOutbox outbox,
    AccountMails mails,
    PublicLinks links,
    UserEventPublisher events,
    PasswordPolicy policy,
    IOptions<EmailOptions> options)
{
    public const string ResetPage = "/Email/ResetPassword";

    private static readonly string[] RequestKinds = [MailKinds.PasswordReset, MailKinds.NoAccount];

    public async Task RequestAsync(string email, CancellationToken cancellationToken)
    {
        var normalizedEmail = User.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        // Past the per-address limit nothing is sent, and the answer stays the same.
        if (user is { IsActive: true })
        {
            await outbox.SaveWithinLimitAsync(user.Email, RequestKinds, options.Value.RequestsPerAddress,
                () => PrepareLinkAsync(user, cancellationToken), cancellationToken);
        }
        else if (user is null && options.Value.MailUnknownAccounts)
        {
            await outbox.SaveWithinLimitAsync(email, RequestKinds, options.Value.RequestsPerAddress,
                () => Task.FromResult(mails.NoAccount(email.Trim())), cancellationToken);
        }
    }

    // Also for an admin (by: who asked, recorded with the event), or the sendpasswordreset
    // command: mails the account a reset link.
    public async Task SendLinkAsync(User user, CancellationToken cancellationToken, string? by = null)
    {
        outbox.Queue(await PrepareLinkAsync(user, cancellationToken, by));
        await db.SaveChangesAsync(cancellationToken);
    }

    // Adds the link's token and the event; returns the mail, for the caller to queue and save.
    private async Task<Mail> PrepareLinkAsync(User user, CancellationToken cancellationToken, string? by = null)
    {
        var token = tokens.Issue(user, TokenPurposes.PasswordReset, user.Email, options.Value.PasswordResetLifetime);
        await events.PublishAsync(handler => handler.ModuleEventAsync(
            new ModuleEvent(EmailEvents.PasswordResetRequested, user, Detail: by is null ? null : $"by {by}"), cancellationToken));
        return mails.PasswordReset(user, links.To(ResetPage, token));
    }

    // The link is used up only when the new password is accepted. Every session of the user
    // ends and nothing signs in: the next sign-in asks for every step (two-factor too).
    public async Task<ResetOutcome> ResetAsync(string token, string newPassword, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(token, TokenPurposes.PasswordReset, cancellationToken) is not var (found, user))
        {
            return ResetOutcome.LinkDead;
        }
        if (policy.Check(newPassword, user.Email) is { } error)
        {
            return new ResetOutcome(false, error);
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.UseAsync(found, cancellationToken))
        {
            return ResetOutcome.LinkDead;
        }
        // The link proved the mailbox, as a confirmation link would have.
        await db.UnconfirmedAccounts.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        if (await accounts.ResetPasswordAsync(user, newPassword, cancellationToken) is { } refused)
        {
            return new ResetOutcome(false, refused);
        }
        await transaction.CommitAsync(cancellationToken);
        outbox.WakeSender();
        return new ResetOutcome(true, null);
    }
}

// LinkDead: the link is unknown, used, expired or revoked. PasswordError: the policy's reason.
public record ResetOutcome(bool Succeeded, string? PasswordError)
{
    public static readonly ResetOutcome LinkDead = new(false, null);

    public bool IsLinkDead => !Succeeded && PasswordError is null;
}

public static class EmailEvents
{
    public const string PasswordResetRequested = "PasswordResetRequested";
    public const string EmailConfirmed = "EmailConfirmed";
    public const string EmailChangeRequested = "EmailChangeRequested";
}
