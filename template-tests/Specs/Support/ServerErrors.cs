using System.Text.Json;
using Microsoft.Extensions.Logging;

[assembly: AssemblyFixture(typeof(Specs.Support.ServerErrors.RunStart))]

namespace Specs.Support;

// Errors the app under test logs (unhandled exceptions behind a 500, failed background work),
// written to server-errors.jsonl next to the specs, one JSON object per line, so a failing run
// shows the cause and a harness can fail a run on any error no spec asked for.
// A spec that makes the app log errors on purpose carries [Trait("ServerErrors", "expected")];
// its entries have "expected": true.
// EF Core's own errors are left out: it logs every failed command, including ones the app expects
// (a duplicate email on a race, PostgreSQL probing for the migrations table), and an unexpected
// one reaches the log again as the unhandled exception it causes.
public sealed class ServerErrors : ILoggerProvider
{
    public const string Trait = "ServerErrors";
    public const string Expected = "expected";

    private static readonly Lock Gate = new();

    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "server-errors.jsonl");

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
    }

    // The file describes one run: it starts empty before the first spec.
    public sealed class RunStart
    {
        public RunStart()
        {
            lock (Gate)
            {
                System.IO.File.WriteAllText(File, "");
            }
        }
    }

    private sealed record Entry(
        DateTime Time, string? Test, bool Expected, string Category, string Level,
        int EventId, string? EventName, string Message, string? Exception);

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private sealed class FileLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Error && !category.StartsWith("Microsoft.EntityFrameworkCore.", StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }
            var test = TestContext.Current.Test;
            var expected = test is not null
                && test.Traits.TryGetValue(Trait, out var values)
                && values.Contains(Expected);
            var line = JsonSerializer.Serialize(new Entry(
                DateTime.UtcNow, test?.TestDisplayName, expected, category, logLevel.ToString(),
                eventId.Id, eventId.Name, formatter(state, exception), exception?.ToString()), Json);
            lock (Gate)
            {
                System.IO.File.AppendAllText(File, line + "\n");
            }
        }
    }
}
