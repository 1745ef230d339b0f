using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Email;

// A link sent by mail (reset a password, confirm an address). Only the SHA-256 of its random
// token is stored: a copy of the database opens no link. Used once, by a POST (EmailTokens).
[EntityTypeConfiguration(typeof(EmailTokenConfiguration))]
public class EmailToken
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    // One of TokenPurposes.
    public required string Purpose { get; set; }

    // SHA-256 of the token, hex.
    public required string TokenHash { get; set; }

    // The address the link was sent to: it must still be the account's (or, for a change, the new one).
    public required string Email { get; set; }

    // UTC.
    public DateTime CreatedAt { get; set; }

    public DateTime ExpiresAt { get; set; }

    public DateTime? UsedAt { get; set; }
}

public static class TokenPurposes
{
    public const string PasswordReset = "PasswordReset";
    public const string ConfirmEmail = "ConfirmEmail";
    public const string ChangeEmail = "ChangeEmail";
}

public class EmailTokenConfiguration : IEntityTypeConfiguration<EmailToken>
{
    public void Configure(EntityTypeBuilder<EmailToken> builder)
    {
        builder.ToTable("EmailTokens");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Purpose).HasMaxLength(32);
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.Property(t => t.Email).HasMaxLength(AccountLimits.EmailMaxLength);
        builder.HasIndex(t => t.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

// An account registered while Email:RequireConfirmedEmail was on, that has not confirmed its
// address yet. Accounts without a row sign in as usual, so those made before the module was
// added, or by createsuperuser, are never asked.
[EntityTypeConfiguration(typeof(UnconfirmedAccountConfiguration))]
public class UnconfirmedAccount
{
    public Guid UserId { get; set; }

    // UTC.
    public DateTime CreatedAt { get; set; }
}

public class UnconfirmedAccountConfiguration : IEntityTypeConfiguration<UnconfirmedAccount>
{
    public void Configure(EntityTypeBuilder<UnconfirmedAccount> builder)
    {
        builder.ToTable("UnconfirmedAccounts");
        builder.HasKey(a => a.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
