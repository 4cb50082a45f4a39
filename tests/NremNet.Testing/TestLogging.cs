using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace NremNet.Testing;

/// <summary>
/// A logger provider that writes to a test's output and keeps every entry, so a test can fail when a server
/// logged an error it did not expect.
/// </summary>
public sealed class CapturingLoggerProvider(Action<string>? output = null) : ILoggerProvider
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Every entry logged so far.</summary>
    public IReadOnlyCollection<LogEntry> Entries => _entries;

    /// <summary>Entries at Error or above whose category or message does not match one of <paramref name="expected"/>.</summary>
    public IReadOnlyList<LogEntry> UnexpectedErrors(params string[] expected) =>
        _entries.Where(e => e.Level >= LogLevel.Error && !expected.Any(x => e.Message.Contains(x, StringComparison.Ordinal) || e.EventName == x)).ToList();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Add(LogEntry entry)
    {
        _entries.Enqueue(entry);
        try
        {
            output?.Invoke($"[{entry.Level}] {entry.Category}: {entry.Message}{(entry.Exception is null ? string.Empty : Environment.NewLine + entry.Exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test that owned the output has finished.
        }
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(new LogEntry(logLevel, category, eventId.Name, formatter(state, exception), exception));
    }
}

/// <summary>One captured log entry.</summary>
public sealed record LogEntry(LogLevel Level, string Category, string? EventName, string Message, Exception? Exception);
