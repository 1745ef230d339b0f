using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

public class LogRetention(IServiceScopeFactory scopes, IOptions<LogsOptions> options, TimeProvider time)
{
    public DateTime DefaultCutoff => time.GetUtcNow().UtcDateTime.AddDays(-options.Value.RetentionDays);

    // Deletes events recorded before the cutoff (UTC), in one statement; returns how many.
    public async Task<int> PurgeAsync(DateTime before, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        return await db.AuthEvents.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(cancellationToken);
    }
}

// Purges events older than Logs:RetentionDays at start-up and every Logs:PurgeInterval.
// With several instances each one purges; the deletes are idempotent.
public class LogPurgeService(LogRetention retention, IOptions<LogsOptions> options, TimeProvider time, ILogger<LogPurgeService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PurgeSchedule.RunAsync(options.Value.PurgeInterval, time, async cancellationToken =>
        {
            var cutoff = retention.DefaultCutoff;
            Log.Purged(logger, await retention.PurgeAsync(cutoff, cancellationToken), cutoff);
        }, exception => Log.PurgeFailed(logger, exception), stoppingToken);
}

// dotnet run -- purgelogs [--before 2025-01-31]
// Deletes events recorded before the date (UTC), or older than Logs:RetentionDays without it.
// The web server does not start; the exit code is 0 on success, 2 on bad input.
public class PurgeLogsCommand(LogRetention retention, IHostApplicationLifetime lifetime, ILogger<PurgeLogsCommand> logger)
    : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "purgelogs";
    public const string Arguments = "[--before yyyy-MM-dd]";
    public const string Summary = "deletes the events older than Logs:RetentionDays, or recorded before the date (UTC)";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!TryReadBefore(args, out var before))
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        var cutoff = before ?? retention.DefaultCutoff;
        var deleted = await retention.PurgeAsync(cutoff, cancellationToken);
        Console.WriteLine($"Deleted {deleted} event(s) recorded before {cutoff:yyyy-MM-dd HH:mm} UTC.");
        return 0;
    }
}
