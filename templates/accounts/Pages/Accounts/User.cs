using Microsoft.EntityFrameworkCore;

namespace ModularUsersApp.Pages.Accounts;

[EntityTypeConfiguration(typeof(UserConfiguration))]
public class User
{
    public Guid Id { get; set; } = Guid.CreateVersion7();

    // As the user typed it (trimmed); shown back to them.
    public required string Email { get; set; }

    // Lookup key: unique, so two spellings of one address cannot register twice.
    public required string NormalizedEmail { get; set; }

    // Argon2id in PHC string form: $argon2id$v=19$m=...,t=...,p=...$salt$hash
    public required string PasswordHash { get; set; }

    // Changes whenever existing sessions must end (password change, sign-out, role change).
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastSignInAt { get; set; }

    public int FailedSignInCount { get; set; }

    public DateTimeOffset? LockoutEnd { get; set; }

    public bool IsActive { get; set; } = true;

    public List<UserRole> Roles { get; set; } = [];

    public bool IsInRole(string role) => Roles.Any(r => r.Role == role);

    // Two addresses meet only when mail servers treat them as one mailbox: ASCII letters in any
    // case. No Unicode case mapping or normalization (not even NFC): they would make the long s
    // "ſupport@" equal "SUPPORT@" and the Kelvin sign equal K, joining different mailboxes.
    public static string NormalizeEmail(string email)
    {
        var trimmed = email.Trim();
        return string.Create(trimmed.Length, trimmed, static (normalized, typed) =>
        {
            for (var i = 0; i < typed.Length; i++)
            {
                normalized[i] = char.IsAsciiLetterLower(typed[i]) ? char.ToUpperInvariant(typed[i]) : typed[i];
            }
        });
    }

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
