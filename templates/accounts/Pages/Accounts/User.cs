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

    public static string NormalizeEmail(string email) =>
        email.Trim().Normalize(System.Text.NormalizationForm.FormC).ToUpperInvariant();

    public static string NewSecurityStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
