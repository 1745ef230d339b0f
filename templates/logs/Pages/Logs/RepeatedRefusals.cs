using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using ModularUsersApp.Pages.Accounts;

namespace ModularUsersApp.Pages.Logs;

// Refusals that checked no secret (a blocked address, a locked account, a user who is not an
// admin at /Logs) cost a client almost nothing to repeat, so each key (the address, the account,
// the user) gets one row per Logs:RefusalWindow: the first refusal is recorded as any event, and
// the repeats are counted here and added to that row's RepeatCount by WriteAsync. Refusals of a
// checked secret (BadPassword, BadCode, ...) are never counted here: each is one row, the
// evidence of guessing.
//
// WriteAsync runs every WriteInterval (RepeatedRefusalWriter), before the admin page reads
// the log, and when the app stops, so a count is lost only if the process dies (at most
// WriteInterval of counts) or if the first refusal's own request failed to save its row.
// The counts are this instance's: with several instances each records its own row per window.
public class RepeatedRefusals(IServiceScopeFactory scopes, IOptions<LogsOptions> options, TimeProvider time, ILogger<RepeatedRefusals> logger)
{
    public static readonly TimeSpan WriteInterval = TimeSpan.FromSeconds(5);

    // Keys tracked at once, windows whose count is still to write included. Beyond it, a new key's
    // refusals are recorded one row each, as without this class, until windows end.
    private const int MaxWindows = 10_000;

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    // Windows that ended with repeats not yet written: a new window of their key replaced them.
    private readonly List<Window> _ended = [];
    private bool _fullReported;

    // True when the refusal repeats one recorded in its key's current window: it is counted, and
    // the caller records no row. False: the caller records the row, which opens the key's window.
    public bool CountRepeat(string key, AuthEvent row)
    {
        lock (_windows)
        {
            var now = time.GetUtcNow();
            if (_windows.TryGetValue(key, out var window) && now < window.Start + options.Value.RefusalWindow)
            {
                window.Repeats++;
                return true;
            }
            if (window is not null && window.Repeats > 0)
            {
                _ended.Add(window);
            }
            _windows.Remove(key);
            if (_windows.Count + _ended.Count >= MaxWindows)
            {
                if (!_fullReported)
                {
                    _fullReported = true;
                    Log.RefusalWindowsFull(logger, MaxWindows);
                }
                return false;
            }
            _fullReported = false;
            _windows[key] = new Window(key, now, row);
            return false;
        }
    }

    // Adds the repeats counted so far to their rows, one UPDATE per row with repeats.
    // WriteAsync for callers that must go on when the database fails: the counts stay in memory
    // for the next try, and the failure is logged.
    public async Task TryWriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await WriteAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            Log.RepeatedRefusalsWriteFailed(logger, exception);
        }
    }

    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        List<(Window Window, long RowId, int Repeats)> due;
        lock (_windows)
        {
            due = TakeDue(time.GetUtcNow());
        }
        if (due.Count == 0)
        {
            return;
        }
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<UsersDbContext>();
        for (var i = 0; i < due.Count; i++)
        {
            var (_, rowId, repeats) = due[i];
            try
            {
                // A purged row updates nothing, and its repeats go with it.
                await db.AuthEvents.Where(e => e.Id == rowId)
                    .ExecuteUpdateAsync(set => set.SetProperty(e => e.RepeatCount, e => e.RepeatCount + repeats), cancellationToken);
            }
            catch
            {
                // Kept for the next write: this one and those not reached.
                lock (_windows)
                {
                    foreach (var (unwritten, _, count) in due[i..])
                    {
                        GiveBack(unwritten, count);
                    }
                }
                throw;
            }
        }
    }

    private List<(Window, long, int)> TakeDue(DateTimeOffset now)
    {
        var due = new List<(Window, long, int)>();
        var period = options.Value.RefusalWindow;
        foreach (var window in _windows.Values.Concat(_ended))
        {
            if (window.Repeats > 0 && window.RowId() is not 0 and var rowId)
            {
                due.Add((window, rowId, window.Repeats));
                window.Repeats = 0;
            }
            else if (window.Repeats > 0 && window.Start + 2 * period <= now)
            {
                // A whole window after its own ended, the row is not coming: its request failed.
                Log.RepeatedRefusalsDropped(logger, window.Repeats, window.Key);
                window.Repeats = 0;
            }
        }
        _ended.RemoveAll(w => w.Repeats == 0);
        foreach (var (key, window) in _windows)
        {
            if (window.Repeats == 0 && window.Start + period <= now)
            {
                _windows.Remove(key);
            }
        }
        return due;
    }

    private void GiveBack(Window window, int repeats)
    {
        if (window.Repeats == 0 && !(_windows.TryGetValue(window.Key, out var current) && current == window))
        {
            _ended.Add(window);
        }
        window.Repeats += repeats;
    }

    private sealed class Window(string key, DateTimeOffset start, AuthEvent row)
    {
        // The recorded first refusal, kept only until it is saved and has its id.
        private AuthEvent? _row = row;
        private long _rowId;

        public string Key { get; } = key;

        public DateTimeOffset Start { get; } = start;

        public int Repeats { get; set; }

        // 0 until the request that recorded the first refusal has saved its row.
        public long RowId()
        {
            if (_row is { Id: not 0 } saved)
            {
                _rowId = saved.Id;
                _row = null;
            }
            return _rowId;
        }
    }
}

// Writes the counted repeats every RepeatedRefusals.WriteInterval, and when the app stops: first
// as stopping begins, while every service still works, then after the last tick, for refusals
// counted meanwhile.
public class RepeatedRefusalWriter(RepeatedRefusals refusals, TimeProvider time)
    : BackgroundService, IHostedLifecycleService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RepeatedRefusals.WriteInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await WriteAsync(stoppingToken);
        }
    }

    public Task StoppingAsync(CancellationToken cancellationToken) => WriteAsync(cancellationToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await WriteAsync(cancellationToken);
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task WriteAsync(CancellationToken cancellationToken) => refusals.TryWriteAsync(cancellationToken);
}
