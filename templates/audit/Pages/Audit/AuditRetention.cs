using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Audit;

public class AuditRetention(IServiceScopeFactory scopes, AuditBulk bulk, IOptions<AuditOptions> options, TimeProvider time)
{
    public DateTimeOffset DefaultCutoff => time.GetUtcNow().AddDays(-options.Value.RetentionDays);

    // Deletes the entries recorded before the cutoff, in one statement; the trail keeps one
    // entry saying so (a "Bulk" change to AuditEntry), so a gap in it is never silent.
    public async Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        if (!await db.AuditEntries.AnyAsync(e => e.OccurredAt < before, cancellationToken))
        {
            return 0;
        }
        return await bulk.RunAsync<AuditEntry>(db, $"Entries recorded before {before.UtcDateTime:yyyy-MM-dd HH:mm} UTC deleted",
            token => db.AuditEntries.Where(e => e.OccurredAt < before).ExecuteDeleteAsync(token), cancellationToken);
    }
}

// Purges entries older than Audit:RetentionDays at start-up and once a day. With several
// instances each one purges; the deletes are idempotent.
public class AuditPurgeService(AuditRetention retention, TimeProvider time, ILogger<AuditPurgeService> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PurgeSchedule.RunAsync(TimeSpan.FromDays(1), time, async cancellationToken =>
        {
            var cutoff = retention.DefaultCutoff;
            Log.Purged(logger, await retention.PurgeAsync(cutoff, cancellationToken), cutoff);
        }, exception => Log.PurgeFailed(logger, exception), stoppingToken);
}

// dotnet run -- purgeaudit [--before 2025-01-31]
// Deletes entries recorded before the date (UTC), or older than Audit:RetentionDays without it.
// The web server does not start; the exit code is 0 on success, 2 on bad input.
public class PurgeAuditCommand(AuditRetention retention, IHostApplicationLifetime lifetime, ILogger<PurgeAuditCommand> logger)
    : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "purgeaudit";
    public const string Arguments = "[--before yyyy-MM-dd]";
    public const string Summary = "deletes the audit entries older than Audit:RetentionDays, or recorded before the date (UTC)";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!TryReadBefore(args, out var before))
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        var cutoff = before is { } day ? new DateTimeOffset(day, TimeSpan.Zero) : retention.DefaultCutoff;
        var deleted = await retention.PurgeAsync(cutoff, cancellationToken);
        Console.WriteLine($"Deleted {deleted} audit entr{(deleted == 1 ? "y" : "ies")} recorded before {cutoff.UtcDateTime:yyyy-MM-dd HH:mm} UTC.");
        return 0;
    }
}
