using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Sessions;

public class SessionRetention(IServiceScopeFactory scopes, IOptions<SessionsOptions> options, IOptions<AccountsOptions> accounts, TimeProvider time)
{
    public DateTimeOffset DefaultCutoff => time.GetUtcNow().AddDays(-options.Value.RetentionDays);

    // Deletes the sessions that ended, or expired, before the cutoff, and the browsers not signed
    // in with since a device cookie's lifetime; returns how many of each.
    public async Task<(int Sessions, int Devices, DateTimeOffset DeviceCutoff)> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        // A session nobody ended expired SessionIdleTimeout after it was last seen (give or take
        // the last-active interval), or SessionAbsoluteLifetime after it began, whichever came
        // first; a cutoff in the future must not reach sessions that are still alive.
        var now = time.GetUtcNow();
        var expiredBefore = before < now ? before : now;
        var lastSeenBefore = expiredBefore - accounts.Value.SessionIdleTimeout;
        var createdBefore = expiredBefore - accounts.Value.SessionAbsoluteLifetime;
        var sessions = await db.UserSessions
            .Where(s => s.EndedAt < before || (s.EndedAt == null && (s.LastSeenAt < lastSeenBefore || s.CreatedAt < createdBefore)))
            .ExecuteDeleteAsync(cancellationToken);
        var deviceCutoff = now - NewDeviceAlerts.CookieLifetime;
        var devices = await db.KnownDevices.Where(d => d.LastSeenAt < deviceCutoff).ExecuteDeleteAsync(cancellationToken);
        return (sessions, devices, deviceCutoff);
    }
}

// Purges at start-up and every Sessions:PurgeInterval. With several instances each one purges;
// the deletes are idempotent.
public class SessionPurgeService(SessionRetention retention, IOptions<SessionsOptions> options, TimeProvider time, ILogger<SessionPurgeService> logger)
    : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        PurgeSchedule.RunAsync(options.Value.PurgeInterval, time, async cancellationToken =>
        {
            var cutoff = retention.DefaultCutoff;
            var (sessions, devices, deviceCutoff) = await retention.PurgeAsync(cutoff, cancellationToken);
            Log.Purged(logger, sessions, cutoff, devices, deviceCutoff);
        }, exception => Log.PurgeFailed(logger, exception), stoppingToken);
}

// dotnet run -- purgesessions [--before 2025-01-31]
// Deletes the sessions that ended before the date (UTC), or more than Sessions:RetentionDays
// ago without it. The web server does not start; the exit code is 0 on success, 2 on bad input.
public class PurgeSessionsCommand(SessionRetention retention, IHostApplicationLifetime lifetime, ILogger<PurgeSessionsCommand> logger)
    : CommandLineCommand(lifetime, logger)
{
    public const string CommandName = "purgesessions";
    public const string Arguments = "[--before yyyy-MM-dd]";
    public const string Summary = "deletes the sessions that ended more than Sessions:RetentionDays ago, or before the date (UTC)";

    protected override string Name => CommandName;

    protected override async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        if (!TryReadBefore(args, out var before))
        {
            Console.Error.WriteLine($"Usage: dotnet run -- {CommandName} {Arguments}");
            return 2;
        }
        var cutoff = before is { } date ? new DateTimeOffset(date) : retention.DefaultCutoff;
        var (sessions, devices, _) = await retention.PurgeAsync(cutoff, cancellationToken);
        Console.WriteLine($"Deleted {sessions} session(s) that ended before {cutoff:yyyy-MM-dd HH:mm} UTC, and {devices} browser(s) not signed in with for {NewDeviceAlerts.CookieLifetime.TotalDays:0} days.");
        return 0;
    }
}
