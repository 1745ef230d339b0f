using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
#if (!UsePostgres && !UseSqlServer)
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
#endif

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
#if (!UsePostgres && !UseSqlServer)

    // SQLite has no date type, and EF Core cannot compare or sort DateTimeOffset values there
    // (the sessions page and purges do). Every time here is UTC, so it is stored as a UTC date
    // and time, text that sorts in time order.
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder) =>
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeConverter>();

    public sealed class UtcDateTimeConverter() : ValueConverter<DateTimeOffset, DateTime>(
        value => value.UtcDateTime,
        value => new DateTimeOffset(DateTime.SpecifyKind(value, DateTimeKind.Utc)));
#endif
}
