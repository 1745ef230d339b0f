using System.Data;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts.Users;

// What an admin can do to an account, from the pages under /Accounts/Users and the commands
// (deactivateuser, reactivateuser). Each returns null when done, or why nothing was done. Each change is an event naming who made it (by), so the logs
// module records it. Sessions that must end end at once on this instance and within
// Accounts:SessionCacheDuration on the others; a role change reaches them within the same bound.
public class UserAdministration(
    UsersDbContext db,
    UserSignIn userSignIn,
    UserEventPublisher events,
    SessionCache sessions)
{
    public const string LastAdminMessage = "This is the last active admin: give another account the Admin role first.";
    public const string ConcurrentChangeMessage = "Another change to the admins was saved at the same moment; nothing was changed. Try again.";

    public Task<string?> DeactivateAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAdminsAsync(user, leavesAdmins: user.IsActive && user.IsInRole(Roles.Admin), async () =>
        {
            user.IsActive = false;
            await userSignIn.EndAllSessionsAsync(user, SessionEndReasons.Deactivated, cancellationToken);
            await PublishAsync(UserAdminEvents.Deactivated, user, by, cancellationToken);
        }, cancellationToken);

    public async Task<string?> ReactivateAsync(User user, string by, CancellationToken cancellationToken)
    {
        user.IsActive = true;
        await PublishAsync(UserAdminEvents.Reactivated, user, by, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(user.Id);
        return null;
    }

    // Lifts a lockout and forgets the failed attempts; the account signs in with its password again.
    public async Task<string?> UnlockAsync(User user, string by, CancellationToken cancellationToken)
    {
        await db.Users.Where(u => u.Id == user.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(u => u.FailedSignInCount, 0).SetProperty(u => u.LockoutEnd, (DateTimeOffset?)null), cancellationToken);
        user.FailedSignInCount = 0;
        user.LockoutEnd = null;
        await PublishAsync(UserAdminEvents.Unlocked, user, by, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        return null;
    }

    public async Task<string?> GrantAdminAsync(User user, string by, CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Admin))
        {
            user.Roles.Add(new UserRole { UserId = user.Id, Role = Roles.Admin });
        }
        await PublishAsync(UserAdminEvents.AdminGranted, user, by, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        sessions.Forget(user.Id);
        return null;
    }

    public Task<string?> RevokeAdminAsync(User user, string by, CancellationToken cancellationToken) =>
        ChangeAdminsAsync(user, leavesAdmins: user.IsActive && user.IsInRole(Roles.Admin), async () =>
        {
            user.Roles.RemoveAll(r => r.Role == Roles.Admin);
            await PublishAsync(UserAdminEvents.AdminRevoked, user, by, cancellationToken);
        }, cancellationToken);

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

    // A change that may leave no active admin is checked and saved in one serializable
    // transaction, so two admins removing each other at the same moment cannot both succeed.
    private async Task<string?> ChangeAdminsAsync(User user, bool leavesAdmins, Func<Task> change, CancellationToken cancellationToken)
    {
        if (!leavesAdmins)
        {
            await change();
            await db.SaveChangesAsync(cancellationToken);
            sessions.Forget(user.Id);
            return null;
        }
        try
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.Serializable, cancellationToken);
            var othersLeft = await db.UserRoles.AnyAsync(r => r.Role == Roles.Admin && r.UserId != user.Id
                && db.Users.Any(u => u.Id == r.UserId && u.IsActive), cancellationToken);
            if (!othersLeft)
            {
                return LastAdminMessage;
            }
            await change();
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is DbException or DbUpdateException or InvalidOperationException { InnerException: DbException })
        {
            // A serialization failure (PostgreSQL, SQL Server) or a busy database (SQLite).
            db.ChangeTracker.Clear();
            return ConcurrentChangeMessage;
        }
        finally
        {
            sessions.Forget(user.Id);
        }
        return null;
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
