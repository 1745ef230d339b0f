using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Accounts;

public class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("Users");
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).ValueGeneratedNever();
        builder.Property(u => u.Email).HasMaxLength(AccountLimits.EmailMaxLength);
        builder.Property(u => u.NormalizedEmail).HasMaxLength(AccountLimits.EmailMaxLength);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique();
        // The admin's user list: newest first, paged after the last one shown.
        builder.HasIndex(u => new { u.CreatedAt, u.NormalizedEmail });
        // Its "locked out" group (Users/UserGroups.cs).
        builder.HasIndex(u => u.LockoutEnd);
        builder.Property(u => u.PasswordHash).HasMaxLength(256);
        builder.Property(u => u.SecurityStamp).HasMaxLength(64);
        // The audit trail (with the audit module, Pages/Audit) keeps the email and the active flag,
        // and that the password or security stamp changed (never their values); not the sign-in
        // bookkeeping, which the logs module tells better.
        builder.Audited();
        builder.Property(u => u.NormalizedEmail).NotAudited();
        builder.Property(u => u.LastSignInAt).NotAudited();
        builder.Property(u => u.FailedSignInCount).NotAudited();
        builder.Property(u => u.LockoutEnd).NotAudited();
        builder.HasMany(u => u.Roles).WithOne().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
