using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

// A browser a user has signed in with, known by the random id in its device cookie
// (NewDeviceAlerts.CookieName). Only the id's SHA-256 hash is stored: a copy of this table
// cannot be turned into cookies that pass as known browsers.
[EntityTypeConfiguration(typeof(KnownDeviceConfiguration))]
public class KnownDevice
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    public required string DeviceIdHash { get; set; }

    public DateTimeOffset FirstSeenAt { get; set; }

    public DateTimeOffset LastSeenAt { get; set; }
}

public class KnownDeviceConfiguration : IEntityTypeConfiguration<KnownDevice>
{
    public void Configure(EntityTypeBuilder<KnownDevice> builder)
    {
        builder.ToTable("KnownDevices");
        builder.HasKey(d => d.Id);
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.DeviceIdHash).HasMaxLength(64);
        // Not unique: two sign-ins racing from one new browser may both add a row, which is
        // harmless, where a unique index would fail one of the sign-ins.
        builder.HasIndex(d => new { d.UserId, d.DeviceIdHash });
        builder.HasIndex(d => d.LastSeenAt);
        builder.HasOne<User>().WithMany().HasForeignKey(d => d.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
