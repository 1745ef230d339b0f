using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Specs.Support;

// What the app under test logs at Warning or above, for specs that check a start-up message:
// services.AddSingleton<ILoggerProvider>(capture).
public sealed class LogCapture : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyCollection<string> Warnings => _messages;

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose()
    {
    }

    private sealed class Logger(LogCapture capture) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                capture._messages.Enqueue(formatter(state, exception));
            }
        }
    }
}
