using Microsoft.Extensions.DependencyInjection;
using Specs.Support;

namespace Specs.Logs;

public class RetentionSpecs : IAsyncLifetime
{
    private TestApp _app = null!;

    // A century: the purge that runs in the background at start-up leaves the seeded rows to each spec.
    public async ValueTask InitializeAsync() => _app = await TestApp.StartAsync(new() { ["Logs:RetentionDays"] = "36500" });

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_purge_deletes_only_events_older_than_the_retention()
    {
        var now = _app.Clock.GetUtcNow().UtcDateTime;
        await _app.SeedAsync([LogsSpecsSupport.Seeded("older@example.com", now.AddDays(-20)), LogsSpecsSupport.Seeded("recent@example.com", now.AddDays(-5))]);
        var retention = _app.Services.GetRequiredService<LogRetention>();

        var deleted = await retention.PurgeAsync(now.AddDays(-10), CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal(["recent@example.com"], (await _app.EventsAsync()).Select(e => e.Email));
        Assert.Equal(now.AddDays(-36500), retention.DefaultCutoff);
    }

    [Fact]
    public async Task The_purgelogs_command_deletes_before_a_date_without_starting_the_web_server()
    {
        await _app.SeedAsync([LogsSpecsSupport.Seeded("y2k@example.com", new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)), LogsSpecsSupport.Seeded("now@example.com", DateTime.UtcNow)]);

        var (exitCode, output) = await PurgeLogsAsync("--before", "2001-01-01");

        Assert.True(exitCode == 0, output);
        Assert.Contains("Deleted 1 event(s) recorded before 2001-01-01 00:00 UTC.", output);
        Assert.DoesNotContain("Now listening on", output);
        Assert.Equal(["now@example.com"], (await _app.EventsAsync()).Select(e => e.Email));
    }

    [Theory]
    [InlineData("--before", "yesterday")]
    [InlineData("--after", "2001-01-01")]
    public async Task The_purgelogs_command_refuses_bad_input(string option, string value)
    {
        await _app.SeedAsync([LogsSpecsSupport.Seeded("y2k@example.com", new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc))]);

        var (exitCode, output) = await PurgeLogsAsync(option, value);

        Assert.Equal(2, exitCode);
        Assert.Contains("Usage: dotnet run -- purgelogs [--before yyyy-MM-dd]", output);
        Assert.Single(await _app.EventsAsync());
    }

    [Fact]
    public async Task Help_lists_the_purgelogs_command_with_its_arguments()
    {
        var (exitCode, output) = await RunAsync("help");

        Assert.Equal(0, exitCode);
        Assert.Matches(@"(?m)^  purgelogs \[--before yyyy-MM-dd\] +deletes the events older than Logs:RetentionDays", output);
    }

    private Task<(int ExitCode, string Output)> PurgeLogsAsync(params string[] args) => RunAsync("purgelogs", args);

    private Task<(int ExitCode, string Output)> RunAsync(string command, params string[] args) => _app.RunCommandAsync(command, args);
}

public class BackgroundPurgeSpecs : IAsyncLifetime
{
    // Real time for a purge on the thread pool to finish once due: generous, for a loaded machine.
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);
    private readonly CapturedLogs _logs = new();
    private TestApp _app = null!;

    public async ValueTask InitializeAsync() =>
        _app = await TestApp.StartAsync(new() { ["Logs:RetentionDays"] = "30", ["Logs:PurgeInterval"] = "06:00:00" }, services: _logs.AddTo);

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_background_purge_runs_at_start_up_and_then_every_interval()
    {
        await WaitUntilAsync(() => Purges() == 1, "The start-up purge did not run.");
        var started = _app.Clock.GetUtcNow().UtcDateTime;
        // Within the retention now, older than it when the next purge is due.
        await _app.SeedAsync([LogsSpecsSupport.Seeded("ages@example.com", started.AddDays(-30).AddHours(1))]);

        _app.Clock.Advance(TimeSpan.FromHours(6) - TimeSpan.FromSeconds(1));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(1, Purges());
        Assert.Single(await _app.EventsAsync());

        _app.Clock.Advance(TimeSpan.FromSeconds(2));

        await WaitUntilAsync(() => Purges() == 2, "The purge did not run after the interval.");
        Assert.Empty(await _app.EventsAsync());
    }

    private int Purges() => _logs.Entries.Count(e => e.Category.EndsWith(".LogPurgeService", StringComparison.Ordinal) && e.EventId.Name == "Purged");

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(waited.Elapsed < Patience, failure);
            await Task.Delay(50);
        }
    }
}
