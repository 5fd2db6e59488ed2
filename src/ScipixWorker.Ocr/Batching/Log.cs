using Microsoft.Extensions.Logging;

namespace ScipixWorker.Ocr.Batching;

/// <summary>Source-generated log messages of the recognition scheduler (event ids 1100-1199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Recognition scheduler started: {Mode} batching, {Executors} executor(s), batches up to {LargestBatch}, queue capacity {Capacity}, pad to bucket {PadToBucket}")]
    public static partial void SchedulerStarted(ILogger logger, string mode, int executors, int largestBatch, int capacity, bool padToBucket);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Error,
        Message = "A recognition batch of {Size} crops (width {Width}) failed; its callers get the error")]
    public static partial void BatchFailed(ILogger logger, Exception exception, int size, int width);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "A recognition observer threw; the scheduler goes on")]
    public static partial void ObserverFailed(ILogger logger, Exception exception);
}
