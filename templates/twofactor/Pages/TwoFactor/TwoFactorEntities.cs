using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// A user's authenticator app: one row per user, in its own table.
[EntityTypeConfiguration(typeof(AuthenticatorConfiguration))]
public class Authenticator
{
    public Guid UserId { get; set; }

    // The TOTP secret, encrypted with ASP.NET Core Data Protection: the database alone never
    // reveals it. The keys are in the DataProtectionKeys table, so protect them at rest too.
    public required string ProtectedSecret { get; set; }

    // Null while the user is still setting it up (scanned, no valid code entered yet).
    public DateTimeOffset? EnabledAt { get; set; }

    // The last 30-second time step accepted; a code is accepted only for a later step, once.
    public long LastUsedStep { get; set; }
}

// One single-use recovery code, stored as a SHA-256 hash (the codes are random and long,
// so a fast hash is enough; the plain code is shown to the user once).
[EntityTypeConfiguration(typeof(RecoveryCodeConfiguration))]
public class RecoveryCode
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public required string CodeHash { get; set; }

    public DateTimeOffset? UsedAt { get; set; }
}

public class AuthenticatorConfiguration : IEntityTypeConfiguration<Authenticator>
{
    public void Configure(EntityTypeBuilder<Authenticator> builder)
    {
        builder.ToTable("TwoFactorAuthenticators");
        builder.HasKey(a => a.UserId);
        builder.HasOne<User>().WithOne().HasForeignKey<Authenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.ProtectedSecret).HasMaxLength(1024);
    }
}

public class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("TwoFactorRecoveryCodes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
        builder.HasIndex(c => new { c.UserId, c.CodeHash }).IsUnique();
    }
}
