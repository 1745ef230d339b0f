namespace ModularUsersApp.Pages.Accounts.Users;

// The groups the user list and the listusers command narrow to. Locked-out accounts and admins
// are few: each is found through its own index (Users.LockoutEnd, UserRoles (Role, UserId)) and
// only those rows are sorted, instead of walking every account newest first until enough match.
public static class UserGroups
{
    public static IQueryable<User> Active(this IQueryable<User> users) => users.Where(u => u.IsActive);

    public static IQueryable<User> Deactivated(this IQueryable<User> users) => users.Where(u => !u.IsActive);

    public static IQueryable<User> LockedOut(this IQueryable<User> users, UsersDbContext db, DateTimeOffset now) =>
        users.Where(u => db.Users.Where(locked => locked.LockoutEnd > now).Select(locked => locked.Id).Contains(u.Id));

    public static IQueryable<User> Admins(this IQueryable<User> users, UsersDbContext db) =>
        users.Where(u => db.UserRoles.Where(r => r.Role == Roles.Admin).Select(r => r.UserId).Contains(u.Id));
}
