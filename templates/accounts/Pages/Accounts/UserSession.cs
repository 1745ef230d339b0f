using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace ModularUsersApp.Pages.Accounts;

// One sign-in in one browser. Its id rides in the sign-in cookie, so ending the row ends that
// browser's session on its next request (see SessionCookie), and only that one.
[EntityTypeConfiguration(typeof(UserSessionConfiguration))]
public class UserSession
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    // When the password was entered; SessionAbsoluteLifetime counts from here.
    public DateTimeOffset CreatedAt { get; set; }

    // Set at sign-in; a module that shows sessions may refresh it now and then (ISessionActivity).
    public DateTimeOffset LastSeenAt { get; set; }

    // Where the sign-in came from.
    public string? IpAddress { get; set; }

    // Where the session was last seen from, written with LastSeenAt.
    public string? LastIpAddress { get; set; }

    public string? UserAgent { get; set; }

    // How the user proved who they were: "Password", or "Password+" and the sign-in step's factor.
    public required string SignInMethod { get; set; }

    // "Keep me signed in on this device" was ticked.
    public bool IsPersistent { get; set; }

    // Null while the session is active.
    public DateTimeOffset? EndedAt { get; set; }

    // Why it ended: one of SessionEndReasons.
    public string? EndReason { get; set; }
}

public static class SignInMethods
{
    public const string Password = "Password";

    // secondFactor names what a sign-in step asked for, for example "AuthenticatorCode".
    public static string PasswordAnd(string secondFactor) => $"{Password}+{secondFactor}";
}

public static class SessionEndReasons
{
    public const string SignedOut = "SignedOut";
    public const string SignedOutEverywhere = "SignedOutEverywhere";
    public const string PasswordChanged = "PasswordChanged";
    public const string PasswordReset = "PasswordReset";
    public const string EmailChanged = "EmailChanged";
    public const string SecurityChanged = "SecurityChanged";
    public const string Deactivated = "Deactivated";
    public const string SignedOutByAdmin = "SignedOutByAdmin";
}

public class UserSessionConfiguration : IEntityTypeConfiguration<UserSession>
{
    public void Configure(EntityTypeBuilder<UserSession> builder)
    {
        builder.ToTable("UserSessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasIndex(s => s.UserId);
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.IpAddress).HasMaxLength(45);
        builder.Property(s => s.LastIpAddress).HasMaxLength(45);
        builder.Property(s => s.UserAgent).HasMaxLength(AccountLimits.UserAgentMaxLength);
        builder.Property(s => s.SignInMethod).HasMaxLength(64);
        builder.Property(s => s.EndReason).HasMaxLength(64);
    }
}
