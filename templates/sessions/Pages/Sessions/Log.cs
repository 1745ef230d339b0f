namespace ModularUsersApp.Pages.Sessions;

// Event ids 1500-1599 belong to the sessions module.
internal static partial class Log
{
    [LoggerMessage(1500, LogLevel.Information, "Purged {Sessions} session(s) ended or expired before {Cutoff:u}, and {Devices} browser(s) not seen since {DeviceCutoff:u}")]
    public static partial void Purged(ILogger logger, int sessions, DateTimeOffset cutoff, int devices, DateTimeOffset deviceCutoff);

    [LoggerMessage(1501, LogLevel.Error, "Purging old sessions failed")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(1502, LogLevel.Warning, "{Setting} is not set, so sessions show no location. {Hint} Outside Development the app does not start without it.")]
    public static partial void GeoIpDatabaseNotSet(ILogger logger, string setting, string hint);
}
