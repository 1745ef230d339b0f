namespace ModularUsersApp.Pages.Logs;

// Event ids 1100-1199 belong to the logs module.
internal static partial class Log
{
    [LoggerMessage(1100, LogLevel.Information, "Purged {Count} account event(s) recorded before {Cutoff:u}")]
    public static partial void Purged(ILogger logger, int count, DateTime cutoff);

    [LoggerMessage(1101, LogLevel.Error, "Purging old account events failed")]
    public static partial void PurgeFailed(ILogger logger, Exception exception);

    [LoggerMessage(1102, LogLevel.Error, "Writing the counts of repeated refusals failed")]
    public static partial void RepeatedRefusalsWriteFailed(ILogger logger, Exception exception);

    [LoggerMessage(1103, LogLevel.Warning, "{Count} repeated refusal(s) of {Key} were not written: the row of their window was never saved")]
    public static partial void RepeatedRefusalsDropped(ILogger logger, int count, string key);

    [LoggerMessage(1104, LogLevel.Warning, "{Max} refusal windows are open; refusals of further keys are recorded one row each until windows end")]
    public static partial void RefusalWindowsFull(ILogger logger, int max);

    [LoggerMessage(1105, LogLevel.Warning, "The search index of /Logs is missing, so each search reads every event: call LogsSearchIndex.Create(migrationBuilder) in a migration (see Migrations/Users/LogsSearchIndex.cs)")]
    public static partial void SearchIndexMissing(ILogger logger);
}
