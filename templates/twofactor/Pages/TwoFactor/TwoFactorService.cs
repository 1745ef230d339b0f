using System.Security.Cryptography;
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
    UserSignIn userSignIn,
    UserEventPublisher events,
    IOptions<TwoFactorOptions> options,
    IHostEnvironment environment,
    TimeProvider time)
{
    public const int RecoveryCodeCount = 10;
    private const int SecretBytes = 20; // 160 bits, as RFC 4226 recommends
    private static readonly TimeSpan SetupLifetime = TimeSpan.FromMinutes(30);
    private const string RecoveryAlphabet = "ABCDEFGHJKMNPQRSTVWXYZ0123456789"; // 32 symbols: 5 bits each, no I, L, O, U
    private const int RecoveryCodeSymbols = 25; // 125 bits: ASVS asks for at least 112 to store them with a fast hash

    // A new purpose string would make existing secrets unreadable; keep it.
    private readonly IDataProtector _protector = dataProtection.CreateProtector("TwoFactor.AuthenticatorSecret.v1");

    public Task<bool> IsEnabledAsync(Guid userId, CancellationToken cancellationToken) =>
        db.Authenticators.AnyAsync(a => a.UserId == userId && a.EnabledAt != null, cancellationToken);

    public Task<int> RecoveryCodesLeftAsync(Guid userId, CancellationToken cancellationToken) =>
        db.RecoveryCodes.CountAsync(c => c.UserId == userId && c.UsedAt == null, cancellationToken);

    // A fresh secret for one set-up in one browser. Until it is confirmed it is stored nowhere:
    // the page carries it in Token, encrypted for this user and this session, for SetupLifetime.
    public AuthenticatorSetup NewSetup(User user, Guid sessionId) =>
        Setup(user, RandomNumberGenerator.GetBytes(SecretBytes), sessionId);

    // The set-up a page posted back; null when it is missing, has expired or was made for another session.
    public AuthenticatorSetup? ReadSetup(User user, Guid sessionId, string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        try
        {
            return Setup(user, SetupProtector(user, sessionId).Unprotect(Convert.FromBase64String(token)), sessionId);
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException)
        {
            return null;
        }
    }

    // Turns two-factor on when the code matches the set-up's secret; returns the recovery codes to
    // show once, or null when the code is wrong. The user's other sessions end.
    public async Task<IReadOnlyList<string>?> EnableAsync(User user, AuthenticatorSetup setup, string code, CancellationToken cancellationToken)
    {
        if (MatchingStep(setup.Secret, code) is not { } step)
        {
            return null;
        }
        // A set-up left unconfirmed by an earlier version of this page, if any.
        await db.Authenticators.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        db.Authenticators.Add(new Authenticator
        {
            UserId = user.Id,
            ProtectedSecret = Convert.ToBase64String(_protector.Protect(setup.Secret)),
            EnabledAt = time.GetUtcNow(),
            LastUsedStep = step,
        });
        var codes = await ReplaceRecoveryCodesAsync(user, cancellationToken);
        await userSignIn.EndOtherSessionsAsync(user, SessionEndReasons.SecurityChanged, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(TwoFactorEvents.Enabled, user), cancellationToken));
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

    // Marks the recovery code used, once: of two requests with the same code, on any instance,
    // only one passes the conditional update. The caller saves.
    public async Task<bool> RedeemRecoveryCodeAsync(User user, string code, CancellationToken cancellationToken)
    {
        var unused = await db.RecoveryCodes.AsNoTracking()
            .Where(c => c.UserId == user.Id && c.UsedAt == null)
            .ToListAsync(cancellationToken);
        if (unused.FirstOrDefault(c => c.Matches(code)) is not { } match)
        {
            return false;
        }
        var now = time.GetUtcNow();
        var redeemed = await db.RecoveryCodes.Where(c => c.Id == match.Id && c.UsedAt == null)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.UsedAt, now), cancellationToken);
        if (redeemed == 1)
        {
            await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(TwoFactorEvents.RecoveryCodeUsed, user), cancellationToken));
        }
        return redeemed == 1;
    }

    // The old codes stop working, and so do the user's other sessions.
    public async Task<IReadOnlyList<string>> RegenerateRecoveryCodesAsync(User user, CancellationToken cancellationToken)
    {
        var codes = await ReplaceRecoveryCodesAsync(user, cancellationToken);
        await userSignIn.EndOtherSessionsAsync(user, SessionEndReasons.SecurityChanged, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(TwoFactorEvents.RecoveryCodesRegenerated, user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
        return codes;
    }

    // The user's other sessions end.
    public async Task DisableAsync(User user, CancellationToken cancellationToken)
    {
        await RemoveAsync(user, cancellationToken);
        await userSignIn.EndOtherSessionsAsync(user, SessionEndReasons.SecurityChanged, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(TwoFactorEvents.Disabled, user), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    // An admin's reset, for a user who lost their authenticator and recovery codes: two-factor
    // is off until the user sets it up again, and every session of theirs ends. by: the admin.
    public async Task ResetByAdminAsync(User user, string by, CancellationToken cancellationToken)
    {
        await RemoveAsync(user, cancellationToken);
        await userSignIn.EndAllSessionsAsync(user, SessionEndReasons.SecurityChanged, cancellationToken);
        await events.PublishAsync(handler => handler.ModuleEventAsync(new ModuleEvent(TwoFactorEvents.ResetByAdmin, user, Detail: $"by {by}"), cancellationToken));
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task RemoveAsync(User user, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        await db.Authenticators.Where(a => a.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> ReplaceRecoveryCodesAsync(User user, CancellationToken cancellationToken)
    {
        await db.RecoveryCodes.Where(c => c.UserId == user.Id).ExecuteDeleteAsync(cancellationToken);
        var codes = Enumerable.Range(0, RecoveryCodeCount).Select(_ => NewRecoveryCode()).ToList();
        db.RecoveryCodes.AddRange(codes.Select(code => RecoveryCode.Create(user.Id, code)));
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

    private AuthenticatorSetup Setup(User user, byte[] secret, Guid sessionId)
    {
        var token = Convert.ToBase64String(SetupProtector(user, sessionId).Protect(secret, SetupLifetime));
        var issuer = options.Value.Issuer ?? environment.ApplicationName;
        var key = Base32Encoding.ToString(secret).TrimEnd('=');
        var uri = $"otpauth://totp/{Uri.EscapeDataString(issuer)}:{Uri.EscapeDataString(user.Email)}" +
            $"?secret={key}&issuer={Uri.EscapeDataString(issuer)}&digits=6&period=30";
        return new AuthenticatorSetup(secret, key, uri, QrCodeSvg(uri), token);
    }

    // Drawn on the server as SVG: no script, and the secret never leaves for a QR web service.
    public static string QrCodeSvg(string text)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(text, QRCodeGenerator.ECCLevel.M);
        var svg = new SvgQRCode(data).GetGraphic(5);
        // One named image for screen readers, rather than a drawing of hundreds of unnamed squares.
        return "<svg role=\"img\" aria-label=\"QR code to scan with your authenticator app\"" + svg["<svg".Length..];
    }

    private ITimeLimitedDataProtector SetupProtector(User user, Guid sessionId) =>
        dataProtection.CreateProtector("TwoFactor.Setup.v1", user.Id.ToString(), sessionId.ToString()).ToTimeLimitedDataProtector();

    private byte[] Unprotect(Authenticator authenticator) =>
        _protector.Unprotect(Convert.FromBase64String(authenticator.ProtectedSecret));

    // 25 random symbols of 32 (125 bits), shown as XXXXX-XXXXX-XXXXX-XXXXX-XXXXX.
    private static string NewRecoveryCode() =>
        string.Join('-', RandomNumberGenerator.GetString(RecoveryAlphabet, RecoveryCodeSymbols).Chunk(5).Select(group => new string(group)));
}

// Key: the Base32 secret to type by hand. Uri: what the QR code holds. Token: the secret,
// encrypted for the page to post back.
public record AuthenticatorSetup(byte[] Secret, string Key, string Uri, string QrCodeSvg, string Token)
{
    // "JBSW Y3DP EHPK 3PXP ..." is easier to type than one long run.
    public string GroupedKey => string.Join(' ', Key.Chunk(4).Select(c => new string(c)));
}

// Names of this module's events (IUserEvents.ModuleEventAsync), as the logs module records them.
public static class TwoFactorEvents
{
    public const string Enabled = "TwoFactorEnabled";
    public const string Disabled = "TwoFactorDisabled";
    public const string RecoveryCodeUsed = "RecoveryCodeUsed";
    public const string RecoveryCodesRegenerated = "RecoveryCodesRegenerated";
    // Detail names the admin.
    public const string ResetByAdmin = "TwoFactorResetByAdmin";
}

// What the sign-in step asked for, in UserSession.SignInMethod ("Password+AuthenticatorCode").
public static class TwoFactorFactors
{
    public const string AuthenticatorCode = "AuthenticatorCode";
    public const string RecoveryCode = "RecoveryCode";
}

// Registered as an ISignInChallenge: users with two-factor on pass /TwoFactor/Verify after the
// password. It asks the database itself (not TwoFactorService, which needs UserSignIn, which needs
// the challenges).
public class TwoFactorChallenge(UsersDbContext db) : ISignInChallenge
{
    public async Task<string?> GetStepPageAsync(User user, CancellationToken cancellationToken) =>
        await db.Authenticators.AnyAsync(a => a.UserId == user.Id && a.EnabledAt != null, cancellationToken) ? "/TwoFactor/Verify" : null;
}
