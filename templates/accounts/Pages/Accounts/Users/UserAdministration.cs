using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts.Users;

// What an admin can do to an account, from the pages under /Accounts/Users and the commands
// (deactivateuser, reactivateuser). Each returns null when done, or why nothing was done. Each
// change is an event naming who made it (by), so the logs module records it; asking for a state
// the account already has changes nothing and records nothing. Sessions that must end end at
// once on this instance and within Accounts:SessionCacheDuration on the others; a role change
// reaches them within the same bound.
public class UserAdministration(
    UsersDbContext db,
    UserSignIn userSignIn,
    UserEventPublisher events,
    SessionCache sessions,
    ILogger<UserAdministration> logger)
{
    public const string LastAdminMessage = "This is the last active admin: give another account the Admin role first.";
    public const string ConcurrentChangeMessage = "Another change to the admins was saved at the same moment; nothing was changed. Try again.";

    public Task<string?> DeactivateAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAsync(user, u => u.IsActive, async u =>
        {
            u.IsActive = false;
            await userSignIn.EndAllSessionsAsync(u, SessionEndReasons.Deactivated, cancellationToken);
            await PublishAsync(UserAdminEvents.Deactivated, u, by, cancellationToken);
        }, cancellationToken);

    public Task<string?> ReactivateAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAsync(user, u => !u.IsActive, async u =>
        {
            u.IsActive = true;
            await PublishAsync(UserAdminEvents.Reactivated, u, by, cancellationToken);
        }, cancellationToken);

    public Task<string?> GrantAdminAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAsync(user, u => !u.IsInRole(Roles.Admin), async u =>
        {
            u.Roles.Add(new UserRole { UserId = u.Id, Role = Roles.Admin });
            await PublishAsync(UserAdminEvents.AdminGranted, u, by, cancellationToken);
        }, cancellationToken);

    public Task<string?> RevokeAdminAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAsync(user, u => u.IsInRole(Roles.Admin), async u =>
        {
            u.Roles.RemoveAll(r => r.Role == Roles.Admin);
            await PublishAsync(UserAdminEvents.AdminRevoked, u, by, cancellationToken);
        }, cancellationToken);

    // Lifts a lockout and forgets the failed attempts; the account signs in with its password again.
    public async Task<string?> UnlockAsync(User user, string by, CancellationToken cancellationToken)
    {
        if (user.FailedSignInCount == 0 && user.LockoutEnd is null)
        {
            return null;
        }
        user.FailedSignInCount = 0;
        user.LockoutEnd = null;
        await PublishAsync(UserAdminEvents.Unlocked, user, by, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<string?> SignOutEverywhereAsync(User user, string by, CancellationToken cancellationToken)
    {
        await userSignIn.EndAllSessionsAsync(user, SessionEndReasons.SignedOutByAdmin, cancellationToken);
        await PublishAsync(UserAdminEvents.SignedOutEverywhere, user, by, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    // For a module's action on the user page (reset two-factor, ...): the same event shape.
    public Task PublishAsync(string eventName, User user, string by, CancellationToken cancellationToken) =>
        events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(eventName, user, Detail: $"by {by}"), cancellationToken));

    // A change to who is an active admin: the account is read again inside one serializable
    // transaction, changed when it is not already as asked (needed), and a change that takes an
    // active admin away is kept only if another active admin remains. Two admins removing each
    // other, or a grant and a deactivation at the same moment, cannot leave the app without one:
    // the database lets one of them through and the other is told to try again.
    private async Task<string?> ChangeAsync(User user, Func<User, bool> needed, Func<User, Task> change, CancellationToken cancellationToken)
    {
        try
        {
            // The caller's copy may be older than the transaction: only the one read in it counts.
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            var current = await db.Users.Include(u => u.Roles).SingleOrDefaultAsync(u => u.Id == user.Id, cancellationToken);
            if (current is null || !needed(current))
            {
                return null;
            }
            var wasActiveAdmin = current.IsActive && current.IsInRole(Roles.Admin);
            await change(current);
            await db.SaveChangesAsync(cancellationToken);
            if (wasActiveAdmin
                && !await db.UserRoles.AnyAsync(r => r.Role == Roles.Admin && db.Users.Any(u => u.Id == r.UserId && u.IsActive), cancellationToken))
            {
                await transaction.RollbackAsync(cancellationToken);
                db.ChangeTracker.Clear();
                return LastAdminMessage;
            }
            await transaction.CommitAsync(cancellationToken);
            return null;
        }
        catch (Exception exception) when (IsSerializationFailure(exception))
        {
            Log.AdminChangeConflict(logger, user.Id, exception);
            db.ChangeTracker.Clear();
            return ConcurrentChangeMessage;
        }
        finally
        {
            sessions.Forget(user.Id);
        }
    }

    // PostgreSQL's serialization failure or deadlock, SQL Server's deadlock victim, SQLite's busy
    // database: the transaction lost to another one. Anything else is a real error and propagates.
    // The database's exception can sit two levels down: EF wraps it in DbUpdateException, and the
    // provider's execution strategy wraps that in InvalidOperationException ("transient failure").
    private static bool IsSerializationFailure(Exception exception)
    {
        for (Exception? inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is DbException dbException)
            {
                return dbException.SqlState is "40001" or "40P01" || dbException.IsTransient;
            }
        }
        return false;
    }
}

// Events of the user administration (IUserEvents.ModuleEventAsync); Detail names who acted.
public static class UserAdminEvents
{
    public const string Deactivated = "UserDeactivated";
    public const string Reactivated = "UserReactivated";
    public const string Unlocked = "UserUnlocked";
    public const string AdminGranted = "AdminGranted";
    public const string AdminRevoked = "AdminRevoked";
    public const string SignedOutEverywhere = "UserSignedOutByAdmin";
    // Someone without the Admin role asked for a user administration page (Succeeded false).
    public const string AccessDenied = "UserAdminAccessDenied";
}
