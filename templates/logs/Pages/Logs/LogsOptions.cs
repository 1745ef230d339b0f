using System.ComponentModel.DataAnnotations;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// Bound from the "Logs" section of configuration, checked at start-up.
public class LogsOptions
{
    public const string Section = "Logs";

    // Events older than this are deleted by the background purge and by `dotnet run -- purgelogs`.
    [Range(1, 36_500)]
    public int RetentionDays { get; set; } = 365;

    [TimeSpanRange("00:01:00", "7.00:00:00")]
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromHours(6);

    [Range(10, 500)]
    public int PageSize { get; set; } = 50;

    // Days the admin page shows when opened without a filter.
    [Range(1, 366)]
    public int DefaultDays { get; set; } = 7;

    // The admin page counts the events of its filter per type when at most this many match, so
    // the page reads a bounded number of rows; above it, the page offers "Count them by type",
    // which reads every matching event (seconds on a large table over all time).
    [Range(1, 10_000_000)]
    public int CountLimit { get; set; } = 25_000;

    // A refusal that checked no secret (blocked address, locked account, /Logs denied) is recorded
    // once per key in this window; its repeats are counted on that row (RepeatedRefusals).
    [TimeSpanRange("00:00:01", "1.00:00:00")]
    public TimeSpan RefusalWindow { get; set; } = TimeSpan.FromMinutes(1);
}
