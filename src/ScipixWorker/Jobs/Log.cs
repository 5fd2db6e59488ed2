using Microsoft.Extensions.Logging;

namespace ScipixWorker.Jobs;

/// <summary>Jobs: event ids 1000-1099.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Job {JobId} recognized: {Pages} page(s), {Characters} characters, {TotalMs:F0} ms, from cache {FromCache}")]
    public static partial void JobRecognized(ILogger logger, Guid jobId, int pages, int characters, double totalMs, bool fromCache);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Job {JobId} failed: {ErrorCode} (retryable {Retryable}): {Reason}")]
    public static partial void JobFailed(ILogger logger, Guid jobId, string errorCode, bool retryable, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Job {JobId} skipped: idempotency key already seen")]
    public static partial void JobDuplicate(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "Job {JobId} had not started recognizing at shutdown: put back on the queue")]
    public static partial void JobRequeued(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Job {JobId} failed unexpectedly")]
    public static partial void JobCrashed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "{Operation} for job {JobId} failed transiently (attempt {Attempt}); retrying in {DelayMs:F0} ms: {Reason}")]
    public static partial void TransientRetry(ILogger logger, string operation, Guid jobId, int attempt, double delayMs, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Job {JobId}: result of {Bytes} bytes is over the inline limit; written to {Container}/{Blob}")]
    public static partial void ResultClaimChecked(ILogger logger, Guid jobId, int bytes, string? container, string? blob);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Debug, Message = "Batch of {Count} job(s) received")]
    public static partial void BatchReceived(ILogger logger, int count);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Information, Message = "Consuming {Queue} ({QueueType}): deliveries of up to {MaxBatchSize} job(s) within {BatchTimeLimitMs} ms, {ConcurrentBatches} at a time, prefetch {Prefetch}; {Inferences} concurrent inference(s), each started while fewer than {MaxQueuedCrops} line crops wait for recognition (0: no limit), {ImagesAhead} image(s) downloaded ahead of them holding up to {ImageBytesAhead} bytes together (0: no limit); idempotency keys {Idempotency}")]
    public static partial void ConsumerConfigured(ILogger logger, string queue, string queueType, int maxBatchSize, double batchTimeLimitMs, int concurrentBatches, int prefetch, int inferences, int maxQueuedCrops, int imagesAhead, long imageBytesAhead, string idempotency);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "Native heap trimming is off: {Reason}")]
    public static partial void NativeHeapTrimUnavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Information, Message = "Native allocator: {Allocator} (docs/operations.md, \"Memory: the native allocator\")")]
    public static partial void NativeAllocator(ILogger logger, string allocator);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "Job {JobId} is being run by another replica: put back on the queue")]
    public static partial void JobHeldElsewhere(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Shared idempotency store: {Operation} for job {JobId} failed ({Reason}); the job runs anyway (a repeat elsewhere may run it again)")]
    public static partial void IdempotencyStoreFailed(ILogger logger, string operation, Guid jobId, string reason);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Job {JobId}: its idempotency claim ran out and another replica took it over (the job ran longer than the lease without a renewal getting through)")]
    public static partial void IdempotencyClaimLost(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Information, Message = "Job {JobId} delivered again while its first delivery still runs here: waiting for that run's outcome")]
    public static partial void JobWaitsForItsRun(ILogger logger, Guid jobId);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Warning, Message = "Job {JobId}: the reply to its requester ({To}) failed ({Reason}); its result event stands")]
    public static partial void ReplyFailed(ILogger logger, Guid jobId, string to, string reason);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Information, Message = "Job {JobId}, a repeat, was answered to its requester alone (from the result cache: {FromCache}); no second event")]
    public static partial void RepeatAnswered(ILogger logger, Guid jobId, bool fromCache);
}
