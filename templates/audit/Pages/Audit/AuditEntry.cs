using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Audit;

// One change to one audited row, or one bulk statement over many (Action "Bulk"). Saved by the
// same SaveChangesAsync as the change itself, so a save that fails records nothing.
[EntityTypeConfiguration(typeof(AuditEntryConfiguration))]
public class AuditEntry
{
    public const int TypeMaxLength = 128;
    public const int KeyMaxLength = 256;
    public const int EmailMaxLength = 320;
    public const int UserAgentMaxLength = 512;
    public const int PathMaxLength = 512;
    public const int SourceMaxLength = 128;
    public const int ReasonMaxLength = 512;

    public long Id { get; set; }

    public DateTimeOffset OccurredAt { get; set; }

    // The same for every entry one save wrote.
    public Guid ChangeSetId { get; set; }

    public required string Action { get; set; }

    // The entity's class name (User, Profile, your own).
    public required string EntityType { get; set; }

    // Its key as text; the parts of a composite key joined with "/". Empty for a bulk entry.
    public required string EntityKey { get; set; }

    // {"Property":{"old":...,"new":...}}; a hidden value is {"changed":true}. Null for a bulk entry.
    public string? Changes { get; set; }

    public Guid? ActorUserId { get; set; }

    // The actor's email when the change was made; it stays as it was if the account changes later.
    public string? ActorEmail { get; set; }

    public string? ClientIp { get; set; }

    public string? UserAgent { get; set; }

    public string? Path { get; set; }

    // The request's trace id, the one the logs module records with its events.
    public string? TraceId { get; set; }

    // "request", "command:<name>" or "background".
    public required string Source { get; set; }

    public int? RowsAffected { get; set; }

    public string? Reason { get; set; }
}

public static class AuditActions
{
    public const string Added = "Added";
    public const string Modified = "Modified";
    public const string Deleted = "Deleted";
    public const string Bulk = "Bulk";

    public static readonly IReadOnlyList<string> All = [Added, Modified, Deleted, Bulk];
}

public class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("AuditEntries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Action).HasMaxLength(16);
        builder.Property(e => e.EntityType).HasMaxLength(AuditEntry.TypeMaxLength);
        builder.Property(e => e.EntityKey).HasMaxLength(AuditEntry.KeyMaxLength);
        builder.Property(e => e.ActorEmail).HasMaxLength(AuditEntry.EmailMaxLength);
        builder.Property(e => e.ClientIp).HasMaxLength(64);
        builder.Property(e => e.UserAgent).HasMaxLength(AuditEntry.UserAgentMaxLength);
        builder.Property(e => e.Path).HasMaxLength(AuditEntry.PathMaxLength);
        builder.Property(e => e.TraceId).HasMaxLength(64);
        builder.Property(e => e.Source).HasMaxLength(AuditEntry.SourceMaxLength);
        builder.Property(e => e.Reason).HasMaxLength(AuditEntry.ReasonMaxLength);
        // /Audit lists newest first (by Id) within each filter: one index per filter, ending in Id.
        builder.HasIndex(e => new { e.EntityType, e.EntityKey, e.Id });
        builder.HasIndex(e => new { e.EntityType, e.Id });
        builder.HasIndex(e => new { e.ActorUserId, e.Id });
        // "Changed by" an email no account has now.
        builder.HasIndex(e => new { e.ActorEmail, e.Id });
        builder.HasIndex(e => new { e.Action, e.Id });
        // Dates alone page by time (AuditFilter.GoesByTime); the purge deletes by time.
        builder.HasIndex(e => new { e.OccurredAt, e.Id });
    }
}
