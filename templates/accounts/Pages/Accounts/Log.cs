using System.Net;

namespace ModularUsersApp.Pages.Accounts;

// Event ids 1000-1099 belong to the accounts module.
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Information, "Applying {Count} users database migration(s): {Migrations}")]
    public static partial void ApplyingMigrations(ILogger logger, int count, string migrations);

    [LoggerMessage(1001, LogLevel.Information, "Sign-in failed: {Reason}")]
    public static partial void SignInFailed(ILogger logger, SignInFailureReason reason);

    [LoggerMessage(1002, LogLevel.Warning, "Account {UserId} locked out after repeated failed sign-ins")]
    public static partial void LockedOut(ILogger logger, Guid userId);

    [LoggerMessage(1003, LogLevel.Warning, "Sign-in refused: too many failures from {ClientIp}")]
    public static partial void IpThrottled(ILogger logger, IPAddress? clientIp);

    [LoggerMessage(1004, LogLevel.Error, "The {Command} command failed")]
    public static partial void CommandFailed(ILogger logger, string command, Exception exception);

    [LoggerMessage(1005, LogLevel.Warning,
        "The Data Protection keys in the users database are not encrypted: a copy of the database is enough to forge sign-in cookies " +
        "and read the secrets modules protect with them. Set {Section}:Certificate (see Pages/Accounts/KeyRingCertificate.cs).")]
    public static partial void KeyRingUnprotected(ILogger logger, string section);

    [LoggerMessage(1006, LogLevel.Warning,
        "{Count} Data Protection key(s) in the users database were stored before the key ring certificate was set and are not encrypted: " +
        "what they protected (cookies until they expire, secrets modules stored with them) stays readable from a copy of the database (see Pages/Accounts/KeyRingCertificate.cs).")]
    public static partial void KeysStoredBeforeCertificate(ILogger logger, int count);

    [LoggerMessage(1007, LogLevel.Warning, "Posts refused ({Limit}): too many from {ClientIp}")]
    public static partial void PostsLimited(ILogger logger, PostLimit limit, IPAddress? clientIp);

    [LoggerMessage(1008, LogLevel.Warning, "Request refused with 503: the password hashing queue is full (Accounts:Argon2:MaxQueuedHashes)")]
    public static partial void HasherBusy(ILogger logger);

    [LoggerMessage(1009, LogLevel.Warning, "ASPNETCORE_FORWARDEDHEADERS_ENABLED is true, but no proxy is listed in ForwardedHeaders:KnownProxies or ForwardedHeaders:KnownNetworks: X-Forwarded-For and X-Forwarded-Proto are ignored, so the client IP is the connection's address and a request the proxy received over HTTPS reaches the app as HTTP (where the HTTPS-only cookies, the forms' among them, fail). List the proxy's addresses or network there to use its headers.")]
    public static partial void ForwardedHeadersIgnored(ILogger logger);

    [LoggerMessage(1010, LogLevel.Warning, "A change to the admins of {UserId} was refused: another change was saved at the same moment")]
    public static partial void AdminChangeConflict(ILogger logger, Guid userId, Exception exception);
}
