using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.TwoFactor;

// A user's authenticator app: one row per user, in its own table.
[EntityTypeConfiguration(typeof(AuthenticatorConfiguration))]
public class Authenticator
{
    public Guid UserId { get; set; }

    // The TOTP secret, encrypted with ASP.NET Core Data Protection, whose keys are in the same
    // database (DataProtectionKeys). Without a key ring certificate (DataProtection:Certificate)
    // those keys are plain XML, and a copy of the database reveals the secret; with one it does
    // not, unless the secret was stored under a key made before the certificate was set.
    public required string ProtectedSecret { get; set; }

    // Null while the user is still setting it up (scanned, no valid code entered yet).
    public DateTimeOffset? EnabledAt { get; set; }

    // The last 30-second time step accepted; a code is accepted only for a later step, once.
    public long LastUsedStep { get; set; }
}

// One single-use recovery code. Codes are 125 random bits, far beyond guessing, so a fast hash
// is enough (ASVS 6.5.2); each row has its own random salt, so two users' equal codes are stored
// differently and no precomputed table serves more than one row. The plain code is shown once.
[EntityTypeConfiguration(typeof(RecoveryCodeConfiguration))]
public class RecoveryCode
{
    private const int SaltBytes = 16;

    public Guid Id { get; set; } = Guid.CreateVersion7();

    public Guid UserId { get; set; }

    // Hex of SaltBytes random bytes.
    public required string Salt { get; set; }

    // Hex of HMAC-SHA256 of the normalised code, keyed with Salt.
    public required string CodeHash { get; set; }

    public DateTimeOffset? UsedAt { get; set; }

    public static RecoveryCode Create(Guid userId, string code)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        return new RecoveryCode { UserId = userId, Salt = Convert.ToHexString(salt), CodeHash = Convert.ToHexString(Hash(salt, code)) };
    }

    public bool Matches(string code) =>
        CryptographicOperations.FixedTimeEquals(Hash(Convert.FromHexString(Salt), code), Convert.FromHexString(CodeHash));

    private static byte[] Hash(byte[] salt, string code) => HMACSHA256.HashData(salt, Encoding.ASCII.GetBytes(Normalize(code)));

    // "abcde-fghjk-...", "ABCDE FGHJK ..." and "ABCDEFGHJK..." are the same code. Codes never
    // contain O, I or L, so a user who reads 0 or 1 as a letter still types the right code.
    private static string Normalize(string code) =>
        new([.. code.Where(char.IsAsciiLetterOrDigit).Select(c => char.ToUpperInvariant(c) switch
        {
            'O' => '0',
            'I' or 'L' => '1',
            var symbol => symbol,
        })]);
}

public class AuthenticatorConfiguration : IEntityTypeConfiguration<Authenticator>
{
    public void Configure(EntityTypeBuilder<Authenticator> builder)
    {
        builder.ToTable("TwoFactorAuthenticators");
        builder.HasKey(a => a.UserId);
        builder.HasOne<User>().WithOne().HasForeignKey<Authenticator>(a => a.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(a => a.ProtectedSecret).HasMaxLength(1024);
    }
}

public class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("TwoFactorRecoveryCodes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Salt).HasMaxLength(32);
        builder.Property(c => c.CodeHash).HasMaxLength(64);
    }
}
