namespace ModularUsersApp.Pages.Audit;

// Event ids 1600-1699 belong to the audit module.
internal static partial class Log
{
    [LoggerMessage(1600, LogLevel.Warning, "{Message}")]
    public static partial void UnrecordedBulkChange(ILogger logger, string message);

    [LoggerMessage(1601, LogLevel.Information, "Purged {Entries} audit entries older than {Cutoff:u}")]
    public static partial void Purged(ILogger logger, int entries, DateTimeOffset cutoff);

    [LoggerMessage(1602, LogLevel.Error, "Purging old audit entries failed")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);
}
