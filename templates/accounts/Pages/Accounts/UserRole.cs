using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Accounts;

[EntityTypeConfiguration(typeof(UserRoleConfiguration))]
public class UserRole
{
    public Guid UserId { get; set; }

    public required string Role { get; set; }
}

public static class Roles
{
    // Add your own role names here; they are plain strings in the UserRoles table.
    public const string Admin = "Admin";
}

public class UserRoleConfiguration : IEntityTypeConfiguration<UserRole>
{
    public void Configure(EntityTypeBuilder<UserRole> builder)
    {
        builder.ToTable("UserRoles");
        builder.HasKey(r => new { r.UserId, r.Role });
        builder.Property(r => r.Role).HasMaxLength(64);
        // Everyone with a role (the admins of the user list) without reading every user's roles.
        builder.HasIndex(r => new { r.Role, r.UserId });
        // Role grants and removals are kept by the audit trail (Pages/Audit, when present).
        builder.Audited();
    }
}
