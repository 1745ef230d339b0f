using System.ComponentModel.DataAnnotations;

namespace ModularUsersApp.Pages.Accounts;

// Bound from the "Accounts" section of configuration (appsettings.json, environment variables, ...).
// Validated when the app starts, so a bad value stops the app with a message instead of weakening it.
public class AccountsOptions : IValidatableObject
{
    public const string Section = "Accounts";

    // In Unicode code points. NIST SP 800-63B-4 asks for 15 when the password is the only factor
    // and allows 8 with a second one; one rule applies to every account, with or without
    // two-factor, so the default is 15. Lower it only if every account has a second factor.
    [Range(8, AccountLimits.PasswordMaxLength)]
    public int PasswordMinLength { get; set; } = 15;

    [Range(64, AccountLimits.PasswordMaxLength)]
    public int PasswordMaxLength { get; set; } = 128;

    [Range(1, 100)]
    public int LockoutFailures { get; set; } = 5;

    [TimeSpanRange("00:00:01", "30.00:00:00")]
    public TimeSpan LockoutPeriod { get; set; } = TimeSpan.FromMinutes(15);

    // Failed sign-ins accepted from one client IP per IpWindow, whatever the accounts tried.
    [Range(1, 100_000)]
    public int IpFailureLimit { get; set; } = 50;

    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan IpWindow { get; set; } = TimeSpan.FromMinutes(15);

    // Posts of the registration form from one client IP (an IPv6 client: its /64) per
    // RegistrationWindow, refused ones included; more get a 429 page. Raise it if many people
    // sign up from one office network at once.
    [Range(1, 100_000)]
    public int RegistrationLimit { get; set; } = 10;

    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan RegistrationWindow { get; set; } = TimeSpan.FromHours(1);

    // Posts of the sign-in form from one client IP per SignInWindow, right or wrong (IpFailureLimit
    // counts only failures): each costs an Argon2 hash, so one client cannot keep the server busy
    // with a password it knows. More get a 429 page.
    [Range(1, 100_000)]
    public int SignInLimit { get; set; } = 60;

    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan SignInWindow { get; set; } = TimeSpan.FromMinutes(1);

    // Posts from one client IP per FormPostWindow to the pages of a sign-in step (two-factor
    // codes) and to pages that ask a signed-in user for a secret again (change password,
    // two-factor settings); more get a 429 page.
    [Range(1, 100_000)]
    public int FormPostLimit { get; set; } = 30;

    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan FormPostWindow { get; set; } = TimeSpan.FromMinutes(1);

    // Idle timeout of the sign-in cookie; each request slides it forward.
    [TimeSpanRange("00:01:00", "365.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromDays(14);

    // No session lives longer than this after the password was entered, however active.
    [TimeSpanRange("00:01:00", "365.00:00:00")]
    public TimeSpan SessionAbsoluteLifetime { get; set; } = TimeSpan.FromDays(30);

    // How long one instance trusts what it read of a session (ended or not, the user's roles,
    // active flag and security stamp) before reading it again; 0 reads it on every request.
    // Changes made on this instance apply at once; changes made on another within this period.
    [TimeSpanRange("00:00:00", "00:10:00")]
    public TimeSpan SessionCacheDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Required]
    public Argon2Options Argon2 { get; set; } = new();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PasswordMinLength > PasswordMaxLength)
        {
            yield return new ValidationResult("PasswordMinLength must not exceed PasswordMaxLength.", [nameof(PasswordMinLength)]);
        }
        if (SessionAbsoluteLifetime < SessionIdleTimeout)
        {
            yield return new ValidationResult("SessionAbsoluteLifetime must be at least SessionIdleTimeout.", [nameof(SessionAbsoluteLifetime)]);
        }
        var argon2Results = new List<ValidationResult>();
        Validator.TryValidateObject(Argon2, new ValidationContext(Argon2), argon2Results, validateAllProperties: true);
        foreach (var result in argon2Results)
        {
            yield return new ValidationResult($"Argon2: {result.ErrorMessage}", result.MemberNames.Select(m => $"Argon2.{m}"));
        }
        if (Argon2Computation.Unsupported(new Argon2Parameters(Argon2.MemoryKiB, Argon2.Iterations, Argon2.Parallelism)) is { } reason)
        {
            yield return new ValidationResult($"Argon2: {reason}.", [$"Argon2.{nameof(Argon2Options.Parallelism)}"]);
        }
    }
}

// Argon2id cost. Raising any value makes new hashes stronger; existing users are rehashed
// with the new values the next time they sign in.
public class Argon2Options
{
    // Memory in KiB. OWASP's minimum for Argon2id is 19456 (19 MiB) with 2 iterations.
    [Range(19_456, 4_194_304)]
    public int MemoryKiB { get; set; } = 19_456;

    [Range(2, 100)]
    public int Iterations { get; set; } = 2;

    [Range(1, 64)]
    public int Parallelism { get; set; } = 1;

    // Each hash allocates MemoryKiB; this caps how many run at once (0 = one per CPU core).
    [Range(0, 1024)]
    public int MaxConcurrentHashes { get; set; }

    // Hashes that may wait for a free slot. When that many wait, a sign-in, registration or
    // password change gets a 503 "busy, try again" page at once instead of a long wait. With the
    // default cost a hash takes roughly 30 to 60 ms of one core, so on two cores the 64th waits
    // about two seconds.
    [Range(1, 100_000)]
    public int MaxQueuedHashes { get; set; } = 64;
}

public static class AccountLimits
{
    // RFC 5321 limits a forward path to 256 characters including the angle brackets.
    public const int EmailMaxLength = 254;

    // A hard ceiling for the form field; the configured maximum applies below it.
    public const int PasswordMaxLength = 1024;

    // Longer browser names are cut; no real one comes close.
    public const int UserAgentMaxLength = 512;
}
