using Microsoft.Extensions.Logging;

namespace Specs.Support;

// Errors the app under test logs (unhandled exceptions behind a 500, failed background work),
// appended to server-errors.log next to the specs, so a failing run shows the cause.
// EF Core's own errors are left out: it logs every failed command, including ones the app expects
// (a duplicate email on a race, PostgreSQL probing for the migrations table), and an unexpected
// one reaches the log again as the unhandled exception it causes.
public sealed class ServerErrors : ILoggerProvider
{
    private static readonly object Gate = new();

    public static string File { get; } = Path.Combine(AppContext.BaseDirectory, "server-errors.log");

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
    }

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
            var test = TestContext.Current.Test?.TestDisplayName ?? "(no test)";
            lock (Gate)
            {
                System.IO.File.AppendAllText(File, $"[{DateTime.UtcNow:HH:mm:ss.fff}] {test}\n{category}: {formatter(state, exception)}\n{exception}\n\n");
            }
        }
    }
}
