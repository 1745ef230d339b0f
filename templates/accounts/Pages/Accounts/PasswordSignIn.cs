using System.Net;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// Checks an email and password. Unknown email, wrong password, inactive and locked accounts all
// cost one Argon2 verification, so neither the answer nor its timing tells which case it was.
public class PasswordSignIn(
    UsersDbContext db,
    PasswordHasher hasher,
    LoginThrottle throttle,
    AccountLockout lockout,
    UserEventPublisher events,
    ILogger<PasswordSignIn> logger)
{
    public async Task<PasswordSignInResult> CheckAsync(string email, string password, IPAddress? clientIp, CancellationToken cancellationToken)
    {
        password = PasswordPolicy.Normalize(password);
        var normalizedEmail = User.NormalizeEmail(email);

        if (throttle.IsIpBlocked(clientIp))
        {
            Log.IpThrottled(logger, clientIp);
            await FailAsync(email, null, SignInFailureReason.TooManyAttemptsFromIp, cancellationToken);
            return new PasswordSignInResult(PasswordSignInStatus.TooManyAttempts, null);
        }

        var user = await db.Users.Include(u => u.Roles)
            .SingleOrDefaultAsync(u => u.NormalizedEmail == normalizedEmail, cancellationToken);

        if (user is null)
        {
            await hasher.VerifyDummyAsync(password, cancellationToken);
            if (throttle.IsUnknownEmailLocked(normalizedEmail))
            {
                await FailAsync(email, null, SignInFailureReason.UnknownUser, cancellationToken);
                return new PasswordSignInResult(PasswordSignInStatus.LockedOut, null);
            }
            throttle.RecordIpFailure(clientIp);
            var lockedNow = throttle.RecordUnknownEmailFailure(normalizedEmail);
            await FailAsync(email, null, SignInFailureReason.UnknownUser, cancellationToken);
            return new PasswordSignInResult(lockedNow ? PasswordSignInStatus.LockedOut : PasswordSignInStatus.Failed, null);
        }

        var check = await hasher.VerifyAsync(password, user.PasswordHash, cancellationToken);

        if (lockout.IsLockedOut(user))
        {
            await FailAsync(email, user, SignInFailureReason.LockedOut, cancellationToken);
            return new PasswordSignInResult(PasswordSignInStatus.LockedOut, null);
        }

        if (check == PasswordCheck.Failed)
        {
            throttle.RecordIpFailure(clientIp);
            var lockedNow = await lockout.RecordFailureAsync(user, cancellationToken);
            if (lockedNow)
            {
                Log.LockedOut(logger, user.Id);
            }
            await FailAsync(email, user, SignInFailureReason.BadPassword, cancellationToken);
            return new PasswordSignInResult(lockedNow ? PasswordSignInStatus.LockedOut : PasswordSignInStatus.Failed, null);
        }

        if (!user.IsActive)
        {
            await FailAsync(email, user, SignInFailureReason.Inactive, cancellationToken);
            return new PasswordSignInResult(PasswordSignInStatus.Failed, null);
        }

        if (check == PasswordCheck.SuccessRehashNeeded)
        {
            user.PasswordHash = await hasher.HashAsync(password, cancellationToken);
        }
        AccountLockout.Reset(user);
        // Saved by UserSignIn together with the sign-in itself.
        return new PasswordSignInResult(PasswordSignInStatus.Success, user);
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
