using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ModularUsersApp.Pages.Accounts;

// Decides every secret typed for a known account: the password on the sign-in form, the code of
// a sign-in step (two-factor), and a password or code asked again on a settings page. After
// LockoutFailures wrong answers in a row the account is locked for LockoutPeriod.
//
// The attempt is counted in the database before the secret is checked, with a conditional
// update that refuses once LockoutFailures attempts are counted, so parallel guesses cannot
// overtake the lockout on any instance; a right answer gives its count back. The count is
// reset only when a whole sign-in completes (UserSignIn), never after the password alone.
// Every attempt also counts against the client's IP address (LoginThrottle) unless it was right.
public class SecretJudge(
    UsersDbContext db,
    LoginThrottle throttle,
    UserEventPublisher events,
    IHttpContextAccessor httpContextAccessor,
    IOptions<AccountsOptions> options,
    TimeProvider time,
    ILogger<SecretJudge> logger)
{
    // Shown by pages of a signed-in user that ask for a secret again while the account is locked.
    public const string PausedMessage = "There have been too many failed attempts for this account, so this is paused for a while. Try again later.";

    // A secret typed while signing in. typedEmail is the email as typed on the sign-in form.
    public Task<Verdict> JudgeSignInAsync(User user, string typedEmail, Asked asked, Func<Task<bool>> isRight, CancellationToken cancellationToken) =>
        JudgeAsync(user, isRight, verdict =>
        {
            var reason = verdict switch
            {
                Verdict.LockedOut => SignInFailureReason.LockedOut,
                Verdict.TooManyFromAddress => SignInFailureReason.TooManyAttemptsFromIp,
                _ => asked switch
                {
                    Asked.Code => SignInFailureReason.BadCode,
                    Asked.RecoveryCode => SignInFailureReason.BadRecoveryCode,
                    _ => SignInFailureReason.BadPassword,
                },
            };
            Log.SignInFailed(logger, reason);
            return events.PublishAsync(handler => handler.SignInFailedAsync(typedEmail, user, reason, cancellationToken));
        }, cancellationToken);

    // A secret asked again of a signed-in user (change password, two-factor settings), to make
    // sure it is the user at the keyboard and not someone at a browser they left signed in.
    public Task<Verdict> JudgeReauthenticationAsync(User user, Func<Task<bool>> isRight, CancellationToken cancellationToken) =>
        JudgeAsync(user, isRight, verdict => events.PublishAsync(handler =>
            handler.ReauthenticationFailedAsync(user, lockedOut: verdict != Verdict.Wrong, cancellationToken)), cancellationToken);

    // raiseFailure gets what to record: Wrong for a checked, wrong answer (even the one that locks
    // the account, whose LockedOut event follows), LockedOut or TooManyFromAddress for a refusal.
    private async Task<Verdict> JudgeAsync(User user, Func<Task<bool>> isRight, Func<Verdict, Task> raiseFailure, CancellationToken cancellationToken)
    {
        var (verdict, lockedNow) = await DecideAsync(user, isRight, cancellationToken);
        if (verdict == Verdict.Right)
        {
            return verdict;
        }
        await raiseFailure(lockedNow ? Verdict.Wrong : verdict);
        if (lockedNow)
        {
            Log.LockedOut(logger, user.Id);
            await events.PublishAsync(handler => handler.LockedOutAsync(user, cancellationToken));
        }
        await db.SaveChangesAsync(cancellationToken);
        return verdict;
    }

    // LockedNow: this wrong answer is the one that locked the account.
    private async Task<(Verdict Verdict, bool LockedNow)> DecideAsync(User user, Func<Task<bool>> isRight, CancellationToken cancellationToken)
    {
        var ip = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress;
        if (!throttle.TryCountAddress(ip))
        {
            Log.IpThrottled(logger, ip);
            return (Verdict.TooManyFromAddress, false);
        }
        if (!await TryCountAttemptAsync(user, cancellationToken))
        {
            return (Verdict.LockedOut, false);
        }
        bool right;
        try
        {
            right = await isRight();
        }
        catch (PasswordHasherBusyException)
        {
            // The secret was never checked: the attempt counts neither for the account nor the address.
            await UncountAttemptAsync(user, cancellationToken);
            throttle.UncountAddress(ip);
            throw;
        }
        if (right)
        {
            throttle.UncountAddress(ip);
            return (await UncountAttemptAsync(user, cancellationToken) ? Verdict.Right : Verdict.LockedOut, false);
        }
        return await LockIfLimitReachedAsync(user, cancellationToken) ? (Verdict.LockedOut, true) : (Verdict.Wrong, false);
    }

    // A locked account keeps FailedSignInCount at LockoutFailures until LockoutEnd, so the one
    // condition "count below the limit" refuses both a locked account and a full burst.
    private async Task<bool> TryCountAttemptAsync(User user, CancellationToken cancellationToken)
    {
        var limit = options.Value.LockoutFailures;
        async Task<bool> CountAsync() =>
            await db.Users.Where(u => u.Id == user.Id && u.FailedSignInCount < limit)
                .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount + 1), cancellationToken) == 1;

        if (await CountAsync())
        {
            return true;
        }
        // Refused: either locked, or as many attempts as would lock it are being checked. A lockout
        // whose period is over is lifted (only that one: a new lockout has another end), and this
        // attempt is counted like any other.
        var lockoutEnd = await db.Users.Where(u => u.Id == user.Id).Select(u => u.LockoutEnd).SingleAsync(cancellationToken);
        if (lockoutEnd is null || lockoutEnd > time.GetUtcNow())
        {
            return false;
        }
        await db.Users.Where(u => u.Id == user.Id && u.LockoutEnd == lockoutEnd)
            .ExecuteUpdateAsync(set => set
                .SetProperty(u => u.FailedSignInCount, 0)
                .SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        return await CountAsync();
    }

    // False when the account was locked meanwhile by other attempts.
    private async Task<bool> UncountAttemptAsync(User user, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == user.Id && u.LockoutEnd == null)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, u => u.FailedSignInCount > 0 ? u.FailedSignInCount - 1 : 0), cancellationToken) == 1;

    // True for the one wrong answer that locks the account.
    private async Task<bool> LockIfLimitReachedAsync(User user, CancellationToken cancellationToken)
    {
        var lockoutEnd = time.GetUtcNow() + options.Value.LockoutPeriod;
        return await db.Users.Where(u => u.Id == user.Id && u.LockoutEnd == null && u.FailedSignInCount >= options.Value.LockoutFailures)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.LockoutEnd, lockoutEnd), cancellationToken) == 1;
    }

    // After the whole sign-in, every step included, was right. False when the account was
    // locked meanwhile: then the session must not start.
    public async Task<bool> ResetAsync(User user, CancellationToken cancellationToken) =>
        await db.Users.Where(u => u.Id == user.Id && u.LockoutEnd == null)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, 0), cancellationToken) == 1;
}

public enum Verdict
{
    Right,
    Wrong,
    LockedOut,
    TooManyFromAddress,
}

// What a sign-in asked for.
public enum Asked
{
    Password,
    Code,
    RecoveryCode,
}
