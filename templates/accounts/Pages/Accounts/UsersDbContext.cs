using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

// One context for the whole user system. Other modules add their tables in their own
// partial file (for example Pages/Logs/UsersDbContext.Logs.cs).
public partial class UsersDbContext(DbContextOptions<UsersDbContext> options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<User> Users => Set<User>();

    public DbSet<UserRole> UserRoles => Set<UserRole>();

    public DbSet<UserSession> UserSessions => Set<UserSession>();

    public DbSet<UnknownEmailLockout> UnknownEmailLockouts => Set<UnknownEmailLockout>();

    // Keys that encrypt the sign-in cookie (and what modules protect with Data Protection). Keeping
    // them in the database lets restarts and other instances read every cookie and secret. They are
    // plain XML unless DataProtection:Certificate is set (KeyRingCertificate.cs); then each new key is
    // encrypted with it, and a copy of this database alone reveals none of those (keys made
    // before the certificate stay plain).
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
}
