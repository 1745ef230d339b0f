using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Email;

// A mail waiting to be sent, or sent. Added in the same SaveChangesAsync as the change it is
// about (EmailOutbox.Queue), delivered by OutboxSender. The body holds live links, so it is kept
// encrypted with Data Protection and dropped once the mail is sent.
[EntityTypeConfiguration(typeof(OutboxEmailConfiguration))]
public class OutboxEmail
{
    public const int AddressMaxLength = 254;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public required string To { get; set; }

    // Upper case (User.NormalizeEmail), to count the mails sent to one address.
    public required string NormalizedTo { get; set; }

    // Which mail it is (MailKinds), to count and to find; never shown to the user.
    public required string Kind { get; set; }

    public required string Subject { get; set; }

    // The text and HTML bodies, encrypted; null once sent or given up.
    public string? ProtectedBody { get; set; }

    // UTC.
    public DateTime CreatedAt { get; set; }

    public int Attempts { get; set; }

    // UTC. While one sender is sending it, a little ahead, so that no other instance takes it too.
    public DateTime NextAttemptAt { get; set; }

    public DateTime? SentAt { get; set; }

    // Set when the mail was given up: the server refused it for good, or GiveUpAfter passed.
    public DateTime? FailedAt { get; set; }

    public string? LastError { get; set; }

    // For mail sent at most so many times per address and window (EmailOutbox.SaveWithinLimitAsync):
    // the address's previous such mail. Unique, so two requests cannot both follow the same one.
    public string? LimitSlot { get; set; }
}

public class OutboxEmailConfiguration : IEntityTypeConfiguration<OutboxEmail>
{
    public void Configure(EntityTypeBuilder<OutboxEmail> builder)
    {
        builder.ToTable("EmailOutbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.To).HasMaxLength(OutboxEmail.AddressMaxLength);
        builder.Property(m => m.NormalizedTo).HasMaxLength(OutboxEmail.AddressMaxLength);
        builder.Property(m => m.Kind).HasMaxLength(64);
        builder.Property(m => m.Subject).HasMaxLength(256);
        builder.Property(m => m.LastError).HasMaxLength(1024);
        // The sender's query: unsent mail that is due.
        builder.HasIndex(m => new { m.SentAt, m.FailedAt, m.NextAttemptAt });
        // The per-address limit's count.
        builder.HasIndex(m => new { m.NormalizedTo, m.CreatedAt });
        builder.Property(m => m.LimitSlot).HasMaxLength(360);
        builder.HasIndex(m => m.LimitSlot).IsUnique();
    }
}

public static class MailKinds
{
    public const string PasswordReset = "PasswordReset";
    public const string NoAccount = "NoAccount";
    public const string ConfirmEmail = "ConfirmEmail";
    public const string RegistrationAttempt = "RegistrationAttempt";
    public const string ConfirmNewEmail = "ConfirmNewEmail";
    public const string AddressTaken = "AddressTaken";
    public const string EmailChangeRequested = "EmailChangeRequested";
    public const string EmailChanged = "EmailChanged";
    public const string SecurityNotification = "SecurityNotification";
}
