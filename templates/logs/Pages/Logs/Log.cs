namespace ModularUsersApp.Pages.Logs;

// Event ids 1100-1199 belong to the logs module.
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Purged {Count} account event(s) recorded before {Cutoff:u}")]
    public static partial void Purged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(1101, LogLevel.Error, "Purging old account events failed")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
