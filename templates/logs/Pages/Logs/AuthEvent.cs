using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Logs;

// One thing that happened to an account: a sign-in, a failure, a password change, ...
// Never holds a password, code or secret.
[EntityTypeConfiguration(typeof(AuthEventConfiguration))]
public class AuthEvent
{
    public const int EmailMaxLength = 254;
    public const int UserAgentMaxLength = 512;
    public const int PathMaxLength = 256;
    public const int TraceIdMaxLength = 64;

    // Increases with every row, so "newer than" and paging need only this column.
    public long Id { get; set; }

    // UTC.
    public DateTime OccurredAt { get; set; }

    // "SignedIn", "SignInFailed", "Registered", ... (see AuthEventTypes), or a module event's name.
    public required string EventType { get; set; }

    public bool Succeeded { get; set; }

    // Why it failed ("BadPassword", "UnknownUser", ...), or a module event's detail.
    public string? Reason { get; set; }

    public Guid? UserId { get; set; }

    // As typed in the form, cut to EmailMaxLength.
    public string? Email { get; set; }

    // Upper case, for exact lookups by email.
    public string? NormalizedEmail { get; set; }

    public string? ClientIp { get; set; }

    public string? UserAgent { get; set; }

    public string? Path { get; set; }

    // The request's trace id, to find the matching lines in the application log.
    public string? TraceId { get; set; }

    // Refusals of the same key counted after this one within Logs:RefusalWindow and recorded
    // here instead of as rows of their own (RepeatedRefusals); 0 for every other event.
    public int RepeatCount { get; set; }

    // How many times this happened: this row and its repeats.
    public int Times => RepeatCount + 1;

    // Made by a command (createsuperuser, changepassword, ...): AuthEventRecorder records these
    // outside any request, so with no address, browser or path; an event of a page has its path.
    public bool IsFromCommandLine => ClientIp is null && UserAgent is null && Path is null;
}

public static class AuthEventTypes
{
    public const string Registered = "Registered";
    public const string PasswordVerified = "PasswordVerified";
    public const string SignedIn = "SignedIn";
    public const string SignInFailed = "SignInFailed";
    public const string LockedOut = "LockedOut";
    public const string SignedOut = "SignedOut";
    public const string SignedOutEverywhere = "SignedOutEverywhere";
    public const string PasswordChanged = "PasswordChanged";
    public const string PasswordReset = "PasswordReset";
    public const string EmailChanged = "EmailChanged";
    public const string ReauthenticationFailed = "ReauthenticationFailed";
    public const string AdminCreated = "AdminCreated";
    public const string LogsAccessDenied = "LogsAccessDenied";
    public const string LogsExported = "LogsExported";

    // Offered in the admin page's filter, with any other type found in the log.
    public static readonly string[] All =
        [Registered, PasswordVerified, SignedIn, SignInFailed, LockedOut, SignedOut, SignedOutEverywhere, PasswordChanged,
            PasswordReset, EmailChanged, ReauthenticationFailed, AdminCreated, LogsAccessDenied, LogsExported];
}

public class AuthEventConfiguration : IEntityTypeConfiguration<AuthEvent>
{
    public void Configure(EntityTypeBuilder<AuthEvent> builder)
    {
        builder.ToTable("AuthEvents");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).ValueGeneratedOnAdd();
        // Stored as UTC and read back as UTC on every database.
        builder.Property(e => e.OccurredAt).HasConversion(v => v, v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
        builder.Property(e => e.EventType).HasMaxLength(64);
        builder.Property(e => e.Reason).HasMaxLength(128);
        builder.Property(e => e.Email).HasMaxLength(AuthEvent.EmailMaxLength);
        builder.Property(e => e.NormalizedEmail).HasMaxLength(AuthEvent.EmailMaxLength);
        builder.Property(e => e.ClientIp).HasMaxLength(45);
        builder.Property(e => e.UserAgent).HasMaxLength(AuthEvent.UserAgentMaxLength);
        builder.Property(e => e.Path).HasMaxLength(AuthEvent.PathMaxLength);
        builder.Property(e => e.TraceId).HasMaxLength(AuthEvent.TraceIdMaxLength);
        // The admin page's filters, each followed by Id for newest-first paging.
        builder.HasIndex(e => new { e.OccurredAt, e.EventType });
        // Counts per type over a date range: SQLite skip-scans this one instead of reading every row.
        builder.HasIndex(e => new { e.EventType, e.OccurredAt });
        builder.HasIndex(e => new { e.EventType, e.Id });
        builder.HasIndex(e => new { e.UserId, e.Id });
        builder.HasIndex(e => new { e.NormalizedEmail, e.Id });
        builder.HasIndex(e => new { e.ClientIp, e.Id });
        builder.HasIndex(e => new { e.TraceId, e.Id });
    }
}
