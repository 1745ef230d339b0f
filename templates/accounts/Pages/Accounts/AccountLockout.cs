using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Counts failed proofs of identity (wrong passwords, and wrong codes of modules such as
// two-factor) against an account, and locks it for LockoutPeriod after LockoutFailures in a row.
// The counter is updated in the database in one statement, so parallel guesses are all counted,
// on every instance.
public class AccountLockout(UsersDbContext db, UserEventPublisher events, IOptions<AccountsOptions> options, TimeProvider time)
{
    // Shown by pages of a signed-in user that ask for the password again while the account is locked.
    public const string PausedMessage = "There have been too many failed attempts for this account, so this is paused for a while. Try again later.";

    public bool IsLockedOut(User user) => user.LockoutEnd > time.GetUtcNow();

    // Pages of a signed-in user that ask for the password again (change password, the two-factor
    // settings) make sure it is the user at the keyboard, not someone at a browser they left
    // signed in. Wrong answers count toward the lockout as at sign-in and raise
    // ReauthenticationFailed; while the account is locked the answer is not even checked.
    // Returns null when the answer is right, otherwise the message for the page.
    public async Task<string?> CheckAnswerAsync(User user, Func<Task<bool>> answerIsRight, string wrongAnswerMessage, CancellationToken cancellationToken)
    {
        if (IsLockedOut(user))
        {
            await events.PublishAsync(handler => handler.ReauthenticationFailedAsync(user, lockedOut: true, cancellationToken));
            await db.SaveChangesAsync(cancellationToken);
            return PausedMessage;
        }
        if (await answerIsRight())
        {
            return null;
        }
        await events.PublishAsync(handler => handler.ReauthenticationFailedAsync(user, lockedOut: false, cancellationToken));
        var lockedNow = await RecordFailureAsync(user, cancellationToken);
        // Saves the events, LockedOut included when this failure locked the account.
        await db.SaveChangesAsync(cancellationToken);
        return lockedNow ? PausedMessage : wrongAnswerMessage;
    }

    // Returns true when this failure locks the account (and publishes LockedOut).
    public async Task<bool> RecordFailureAsync(User user, CancellationToken cancellationToken)
    {
        var threshold = options.Value.LockoutFailures;
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken);
        var lockoutEnd = time.GetUtcNow() + options.Value.LockoutPeriod;
        var locked = await db.Users.Where(u => u.Id == user.Id && u.FailedSignInCount >= threshold)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.FailedSignInCount, 0)
                .SetProperty(u => u.LockoutEnd, lockoutEnd), cancellationToken) == 1;
        if (locked)
        {
            await events.PublishAsync(handler => handler.LockedOutAsync(user, cancellationToken));
        }
        return locked;
    }

    // After a complete, successful proof.
    public static void Reset(User user)
    {
        user.FailedSignInCount = 0;
        user.LockoutEnd = null;
    }
}
