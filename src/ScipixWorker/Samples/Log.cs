using Microsoft.Extensions.Logging;

namespace ScipixWorker.Samples;

/// <summary>Samples: event ids 5000-5099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "--samples {Directory}: no images there")]
    public static partial void NoSamples(ILogger logger, string directory);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Queued {Count} sample image(s) from container {Container}; results follow")]
    public static partial void SamplesQueued(ILogger logger, int count, string container);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "All samples answered. The worker keeps consuming; Ctrl-C stops it.")]
    public static partial void SamplesDone(ILogger logger);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Count} sample job(s) had no result in time; the worker keeps consuming")]
    public static partial void SamplesTimedOut(ILogger logger, int count);
}
