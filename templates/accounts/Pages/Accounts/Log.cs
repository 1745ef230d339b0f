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

    [LoggerMessage(1005, LogLevel.Warning, "ASPNETCORE_FORWARDEDHEADERS_ENABLED is true, but no proxy is listed in ForwardedHeaders:KnownProxies or ForwardedHeaders:KnownNetworks: X-Forwarded-For and X-Forwarded-Proto are ignored, so the client IP is the connection's address and a request the proxy received over HTTPS reaches the app as HTTP (where the HTTPS-only cookies, the forms' among them, fail). List the proxy's addresses or network there to use its headers.")]
    public static partial void ForwardedHeadersIgnored(ILogger logger);
}
