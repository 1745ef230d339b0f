using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;
using OtpNet;
using QRCoder;

namespace ModularUsersApp.Pages.TwoFactor;

// TOTP (RFC 6238: SHA-1, 6 digits, 30-second steps) with an authenticator app, and recovery codes.
public class TwoFactorService(
    UsersDbContext db,
    IDataProtectionProvider dataProtection,
    UserEventPublisher events,
    IOptions<TwoFactorOptions> options,
    IHostEnvironment environment,
    TimeProvider time)
{
    public const int RecoveryCodeCount = 10;
    private const int SecretBytes = 20; // 160 bits, as RFC 4226 recommends
    private const string RecoveryAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"; // 32 symbols: 5 bits each, no I, L, O, U

    // A new purpose string would make existing secrets unreadable; keep it.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("TwoFactor.AuthenticatorSecret.v1");

    public Task<bool> IsEnabledAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Authenticators.AnyAsync(a => a.UserId == userId && a.EnabledAt != null, cancellationToken);

    public Task<int> RecoveryCodesLeftAsync(Guid userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, cancellationToken);

    // The set-up in progress, or a new one with a fresh secret.
    public async Task<AuthenticatorSetup> GetOrStartSetupAsync(User user, CancellationToken cancellationToken)
    {
        var authenticator = await db.Authenticators.SingleOrDefaultAsync(a => a.UserId == user.Id, cancellationToken);
        if (authenticator is { EnabledAt: null })
        {
            return Setup(user, Unprotect(authenticator));
        }
        if (authenticator is not null)
        {
            throw new InvalidOperationException("Two-factor authentication is already on.");
        }
        var secret = RandomNumberGenerator.GetBytes(SecretBytes);
        db.Authenticators.Add(new Authenticator { UserId = user.Id, ProtectedSecret = Convert.ToBase64String(_protector.Protect(secret)) });
        await db.SaveChangesAsync(cancellationToken);
        return Setup(user, secret);
    }

    // Turns two-factor on when the code matches the secret being set up; returns the recovery
    // codes to show once, or null when the code is wrong.
    public async Task<IReadOnlyList<string>?> EnableAsync(User user, string code, CancellationToken cancellationToken)
    {
        var authenticator = await db.Authenticators.SingleOrDefaultAsync(a => a.UserId == user.Id && a.EnabledAt == null, cancellationToken);
        if (authenticator is null || MatchingStep(Unprotect(authenticator), code) is not { } step)
        {
            return null;
        }
        authenticator.EnabledAt = time.GetUtcNow();
        authenticator.LastUsedStep = step;
        var codes = await ReplaceRecoveryCodesAsync(user, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent("TwoFactorEnabled", user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }

    // True when the code is right for now (± AllowedDriftSteps) and its time step has not been
    // used yet. The step is claimed with a conditional update, so of two requests with the same
    // code, on any instance, only one passes.
    public async Task<bool> VerifyCodeAsync(User user, string code, CancellationToken cancellationToken)
    {
        var authenticator = await db.Authenticators.AsNoTracking()
            .SingleOrDefaultAsync(a => a.UserId == user.Id && a.EnabledAt != null, cancellationToken);
        if (authenticator is null || MatchingStep(Unprotect(authenticator), code) is not { } step)
        {
            return false;
        }
        var claimed = await db.Authenticators.Where(a => a.UserId == user.Id && a.LastUsedStep < step)
            .ExecuteUpdateAsync(set => set.SetProperty(a => a.LastUsedStep, step), cancellationToken);
        return claimed == 1;
    }

    // Marks the recovery code used, once; the caller saves.
    public async Task<bool> RedeemRecoveryCodeAsync(User user, string code, CancellationToken cancellationToken)
    {
        var hash = Hash(code);
        var now = time.GetUtcNow();
        var redeemed = await db.RecoveryCodes.Where(c => c.UserId == user.Id && c.CodeHash == hash && c.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now), cancellationToken);
        if (redeemed == 1)
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent("RecoveryCodeUsed", user), cancellationToken));
        }
        return redeemed == 1;
    }

    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(User user, CancellationToken cancellationToken)
    {
        var codes = await ReplaceRecoveryCodesAsync(user, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent("RecoveryCodesRegenerated", user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }

    public async Task DisableAsync(User user, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Authenticators.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent("TwoFactorDisabled", user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ReplaceRecoveryCodesAsync(User user, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(code => new RecoveryCode { UserId = user.Id, CodeHash = Hash(code) }));
        return codes;
    }

    private long? MatchingStep(byte[] secret, string code)
    {
        var digits = new string(code.Where(c => !char.IsWhiteSpace(c) && c != '-').ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit))
        {
            return null;
        }
        var totp = new Totp(secret, step: 30, mode: OtpHashMode.Sha1, totpSize: 6);
        var drift = options.Value.AllowedDriftSteps;
        return totp.VerifyTotp(time.GetUtcNow().UtcDateTime, digits, out var step, new VerificationWindow(drift, drift)) ? step : null;
    }

    private AuthenticatorSetup Setup(User user, byte[] secret)
    {
        var issuer = options.Value.Issuer ?? environment.ApplicationName;
        var key = Base32Encoding.ToString(secret).TrimEnd('=');
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Email)}" +
            $"?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";
        return new AuthenticatorSetup(key, uri, QrCodeSvg(uri));
    }

    // Drawn on the server as SVG: no script, and the secret never leaves for a QR web service.
    public static string QrCodeSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        return new SvgQRCode(data).GetGraphic(5);
    }

    private byte[] Unprotect(Authenticator authenticator) =>
        _protector.Unprotect(Convert.FromBase64String(authenticator.ProtectedSecret));

    // "abcde-12345", "ABCDE 12345" and "abcde12345" are the same code.
    private static string Hash(string code)
    {
        var normalized = new string(code.Where(char.IsAsciiLetterOrDigit).Select(char.ToUpperInvariant).ToArray());
        return Convert.ToHexString(SHA256.HashData(Encoding.ASCII.GetBytes(normalized)));
    }

    // Ten random symbols of 32 (50 bits), shown as XXXXX-XXXXX.
    private static string NewRecoveryCode()
    {
        var symbols = RandomNumberGenerator.GetString(RecoveryAlphabet, 10);
        return $"{symbols[..5]}-{symbols[5..]}";
    }
}

// Key: the Base32 secret to type by hand. Uri: what the QR code holds.
public record AuthenticatorSetup(string Key, string Uri, string QrCodeSvg)
{
    // "JBSW Y3DP EHPK 3PXP ..." is easier to type than one long run.
    public string GroupedKey => string.Join(' ', Key.Chunk(4).Select(c => new string(c)));
}

// Registered as an ISignInChallenge: users with two-factor on pass /TwoFactor/Verify after the password.
public class TwoFactorChallenge(TwoFactorService twoFactor) : ISignInChallenge
{
    public async Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken) =>
        await twoFactor.IsEnabledAsync(user.Id, cancellationToken) ? "/TwoFactor/Verify" : null;
}
