using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// With Email:RequireConfirmedEmail, a new account proves its address by a link before its first
// sign-in. Registering with an address that has an account answers exactly as for a new one and
// tells the owner instead, so the registration form does not reveal which addresses are taken.
public class EmailConfirmation(
    UsersDbContext db,
    EmailTokens tokens,
    EmailOutbox outbox,
    AccountMails mails,
    PublicLinks links,
    UserEventPublisher events,
    IOptions<EmailOptions> options,
    TimeProvider time) : IRegistrationGate, ISignInChallenge
{
    public const string CheckInboxUrl = "/Email/CheckInbox?for=registration";
    public const string ConfirmPage = "/Email/ConfirmEmail";

    public Task<string?> HoldAsync(User user, CancellationToken cancellationToken)
    {
        if (!options.Value.RequireConfirmedEmail)
        {
            return Task.FromResult<string?>(null);
        }
        db.UnconfirmedAccounts.Add(new UnconfirmedAccount { UserId = user.Id, CreatedAt = time.GetUtcNow().UtcDateTime });
        QueueLink(user);
        return Task.FromResult<string?>(CheckInboxUrl);
    }

    public async Task<string?> EmailTakenAsync(User owner, CancellationToken cancellationToken)
    {
        if (!options.Value.RequireConfirmedEmail)
        {
            return null;
        }
        // One such mail per address and RequestWindow, however often the form is sent.
        await outbox.SaveWithinLimitAsync(owner.Email, [MailKinds.RegistrationAttempt], 1,
            () => Task.FromResult(mails.RegistrationAttempt(owner)), cancellationToken);
        return CheckInboxUrl;
    }

    // The sign-in step of an account that has not confirmed its address (/Email/Unconfirmed).
    public async Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken) =>
        options.Value.RequireConfirmedEmail && await IsUnconfirmedAsync(user, cancellationToken) ? "/Email/Unconfirmed" : null;

    public Task<bool> IsUnconfirmedAsync(User user, CancellationToken cancellationToken) =>
        db.UnconfirmedAccounts.AnyAsync(a => a.UserId == user.Id, cancellationToken);

    // False when a link was sent less than ResendCooldown ago: nothing is sent then.
    public async Task<bool> ResendAsync(User user, CancellationToken cancellationToken)
    {
        var last = await tokens.LastIssuedAsync(user.Id, TokenPurposes.ConfirmEmail, cancellationToken);
        if (last is { } sentAt && time.GetUtcNow().UtcDateTime - sentAt < options.Value.ResendCooldown)
        {
            return false;
        }
        QueueLink(user);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    // False when the link is unknown, used or expired. Used links of this kind stop working.
    public async Task<bool> ConfirmAsync(string token, CancellationToken cancellationToken)
    {
        if (await tokens.FindAsync(token, TokenPurposes.ConfirmEmail, cancellationToken) is not var (found, user))
        {
            return false;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await tokens.UseAsync(found, cancellationToken))
        {
            return false;
        }
        await db.UnconfirmedAccounts.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await tokens.RevokeAsync(user.Id, [TokenPurposes.ConfirmEmail], cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(EmailEvents.EmailConfirmed, user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        outbox.WakeSender();
        return true;
    }

    private void QueueLink(User user)
    {
        var token = tokens.Issue(user, TokenPurposes.ConfirmEmail, user.Email, options.Value.ConfirmationLifetime);
        outbox.Queue(mails.ConfirmEmail(user, links.To(ConfirmPage, token)));
    }
}
