using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// The sign-in form's email and password. A known account's password is decided by SecretJudge;
// an unknown email is counted and locked the same way, in the database too (UnknownEmailLockouts). Unknown email,
// wrong password and inactive account give the same answer after one Argon2 verification each,
// and a locked account or email is refused at once, so neither the answer nor its timing tells
// which addresses are registered.
public class PasswordSignIn(
    UsersDbContext db,
    PasswordHasher hasher,
    SecretJudge judge,
    LoginThrottle throttle,
    UnknownEmailLockouts unknownEmails,
    UserEventPublisher events,
    IHttpContextAccessor httpContextAccessor,
    ILogger<PasswordSignIn> logger)
{
    public async Task<PasswordSignInResult> CheckAsync(string email, string password, CancellationToken cancellationToken)
    {
        var normalizedEmail = User.NormalizeEmail(email);
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);
        if (user is null)
        {
            return new PasswordSignInResult(await CheckUnknownEmailAsync(email, normalizedEmail, password, cancellationToken), null);
        }

        var check = PasswordCheck.Failed;
        var verdict = await judge.JudgeSignInAsync(user, email, Asked.Password, async () =>
        {
            check = await hasher.VerifyAsync(password, user.PasswordHash, cancellationToken);
            return check != PasswordCheck.Failed;
        }, cancellationToken);
        switch (verdict)
        {
            case Verdict.LockedOut:
                return new PasswordSignInResult(PasswordSignInStatus.LockedOut, null);
            case Verdict.TooManyFromAddress:
                return new PasswordSignInResult(PasswordSignInStatus.TooManyAttempts, null);
            case Verdict.Wrong:
                return new PasswordSignInResult(PasswordSignInStatus.Failed, null);
        }

        if (!user.IsActive)
        {
            await FailAsync(email, user, SignInFailureReason.Inactive, cancellationToken);
            return new PasswordSignInResult(PasswordSignInStatus.Failed, null);
        }
        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.PasswordHash = await hasher.HashAsync(password, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
        }
        return new PasswordSignInResult(PasswordSignInStatus.Success, user);
    }

    private async Task<PasswordSignInStatus> CheckUnknownEmailAsync(string email, string normalizedEmail, string password, CancellationToken cancellationToken)
    {
        var ip = httpContextAccessor.HttpContext?.Connection.RemoteIpAddress;
        if (!throttle.TryCountAddress(ip))
        {
            Log.IpThrottled(logger, ip);
            await FailAsync(email, null, SignInFailureReason.TooManyAttemptsFromIp, cancellationToken);
            return PasswordSignInStatus.TooManyAttempts;
        }
        if (!await unknownEmails.TryCountAsync(normalizedEmail, cancellationToken))
        {
            await FailAsync(email, null, SignInFailureReason.LockedOut, cancellationToken);
            return PasswordSignInStatus.LockedOut;
        }
        try
        {
            await hasher.VerifyDummyAsync(password, cancellationToken);
        }
        catch (PasswordHasherBusyException)
        {
            // Nothing was checked: the attempt counts neither for the email nor the address.
            await unknownEmails.UncountAsync(normalizedEmail, cancellationToken);
            throttle.UncountAddress(ip);
            throw;
        }
        var lockedNow = await unknownEmails.LockIfLimitReachedAsync(normalizedEmail, cancellationToken);
        await FailAsync(email, null, SignInFailureReason.UnknownUser, cancellationToken);
        return lockedNow ? PasswordSignInStatus.LockedOut : PasswordSignInStatus.Failed;
    }

    private async Task FailAsync(string email, User? user, SignInFailureReason reason, CancellationToken cancellationToken)
    {
        Log.SignInFailed(logger, reason);
        await events.PublishAsync(handler => handler.SignInFailedAsync(email, user, reason, cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }
}

public enum PasswordSignInStatus
{
    Success,
    Failed,
    LockedOut,
    TooManyAttempts,
}

public record PasswordSignInResult(PasswordSignInStatus Status, User? User);
