using Microsoft.Extensions.Logging;

namespace ScipixWorker.Cli.Common;

/// <summary>
/// Warnings and errors of the engine on standard error, for the commands that print results on standard output:
/// a CUDA provider that could not load, and so fell back to the CPU, says why.
/// </summary>
internal sealed class StderrLogger<T> : ILogger<T>
{
    public static readonly StderrLogger<T> Instance = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {logLevel}: {formatter(state, exception)}{(exception is null ? string.Empty : $" ({exception.Message})")}");
        }
    }
}
