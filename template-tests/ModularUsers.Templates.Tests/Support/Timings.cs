using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace ModularUsers.Templates.Tests.Support;

// Where the time of a test run went, written at its end to artifacts/test-timings.md (build.sh
// prints it above the runner's summary). A step is timed from its start to its end; steps run
// side by side, so their sum is more than the run's wall time.
public static class Timings
{
    private static readonly Stopwatch SinceStart = Stopwatch.StartNew();
    private static readonly ConcurrentQueue<Entry> Entries = new();

    public sealed record Entry(string Phase, string Step, TimeSpan Started, TimeSpan Elapsed, string Detail);

    public static async Task<T> TimeAsync<T>(string phase, string step, Func<Task<T>> work, Func<T, string>? detail = null)
    {
        var started = SinceStart.Elapsed;
        var watch = Stopwatch.StartNew();
        var result = await work();
        Entries.Enqueue(new Entry(phase, step, started, watch.Elapsed, detail?.Invoke(result) ?? ""));
        return result;
    }

    public static void Record(string phase, string step, TimeSpan started, TimeSpan elapsed, string detail = "") =>
        Entries.Enqueue(new Entry(phase, step, started, elapsed, detail));

    public static TimeSpan Now => SinceStart.Elapsed;

    public static IReadOnlyList<Entry> All => Entries.ToList();

    // One row per phase (its first start to its last end, and the sum of its steps), then every
    // spec run and every step of a minute or more.
    public static string Table()
    {
        var entries = All;
        var text = new StringBuilder()
            .AppendLine($"# Where the time of the template tests went ({Environment.ProcessorCount} cores, {SinceStart.Elapsed.TotalMinutes:F1} min in all)")
            .AppendLine()
            .AppendLine("| phase | steps | from (min) | to (min) | wall (s) | sum of steps (s) |")
            .AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var phase in entries.GroupBy(e => e.Phase).OrderBy(p => p.Min(e => e.Started)))
        {
            var from = phase.Min(e => e.Started);
            var to = phase.Max(e => e.Started + e.Elapsed);
            text.AppendLine($"| {phase.Key} | {phase.Count()} | {from.TotalMinutes:F1} | {to.TotalMinutes:F1} | {(to - from).TotalSeconds:F0} | {phase.Sum(e => e.Elapsed.TotalSeconds):F0} |");
        }
        text.AppendLine()
            .AppendLine("| step | phase | from (min) | seconds | detail |")
            .AppendLine("|---|---|---:|---:|---|");
        foreach (var entry in entries
            .Where(e => e.Phase.StartsWith("spec run", StringComparison.Ordinal) || e.Elapsed >= TimeSpan.FromMinutes(1))
            .OrderBy(e => e.Started))
        {
            text.AppendLine($"| {entry.Step} | {entry.Phase} | {entry.Started.TotalMinutes:F1} | {entry.Elapsed.TotalSeconds:F0} | {entry.Detail} |");
        }
        return text.ToString();
    }
}
