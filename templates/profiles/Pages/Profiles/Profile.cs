using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Profiles;

// One profile per user, in its own table, keyed by the user's id.
// To add a field: see "Adding a profile field" in the README (property here, form field, migration).
[EntityTypeConfiguration(typeof(ProfileConfiguration))]
public class Profile
{
    public const int DisplayNameMaxLength = 100;
    public const int HandleMaxLength = 30;
    public const int BioMaxLength = 1000;
    public const int LocationMaxLength = 100;
    public const int WebsiteMaxLength = 2048;

    public Guid UserId { get; set; }

    public required string DisplayName { get; set; }

    // The address of the public page, /Profiles/{handle}, chosen by the user; null: no public
    // page. Stored in lower case, so the unique index makes it unique in any case.
    public string? Handle { get; set; }

    // Plain text; pages show it HTML-encoded.
    public string? Bio { get; set; }

    public string? Location { get; set; }

    // Absolute http or https URL.
    public string? Website { get; set; }

    // IANA time zone id, such as "Europe/Paris".
    public string? TimeZone { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    // Changes on every save; a save that started from an older version is refused, so two
    // browser tabs editing at once cannot overwrite each other silently.
    public Guid Version { get; set; } = Guid.NewGuid();

    // "ada.lovelace@example.com" → "ada.lovelace"
    public static string DefaultDisplayName(string email)
    {
        var localPart = email.Split('@')[0].Trim();
        return localPart.Length > DisplayNameMaxLength ? localPart[..DisplayNameMaxLength] : localPart;
    }
}

public class ProfileConfiguration : IEntityTypeConfiguration<Profile>
{
    public void Configure(EntityTypeBuilder<Profile> builder)
    {
        builder.ToTable("Profiles");
        builder.HasKey(p => p.UserId);
        builder.HasOne<User>().WithOne().HasForeignKey<Profile>(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.DisplayName).HasMaxLength(Profile.DisplayNameMaxLength);
        builder.Property(p => p.Handle).HasMaxLength(Profile.HandleMaxLength);
        builder.HasIndex(p => p.Handle).IsUnique();
        builder.Property(p => p.Bio).HasMaxLength(Profile.BioMaxLength);
        builder.Property(p => p.Location).HasMaxLength(Profile.LocationMaxLength);
        builder.Property(p => p.Website).HasMaxLength(Profile.WebsiteMaxLength);
        builder.Property(p => p.TimeZone).HasMaxLength(64);
        builder.Property(p => p.Version).IsConcurrencyToken();
        // With the audit module (Pages/Audit), every profile field's old and new value is kept;
        // not the bookkeeping that changes on every save.
        builder.Audited();
        builder.Property(p => p.UpdatedAt).NotAudited();
        builder.Property(p => p.Version).NotAudited();
    }
}
