using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Jobs;

/// <summary>How the worker takes jobs off the queue and runs them (section <c>Worker</c>).</summary>
public sealed class WorkerOptions : IValidatableObject
{
    public const string SectionName = "Worker";

    /// <summary>The queue the worker consumes; its error queue is this name plus <c>_error</c>.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9._:-]{1,200}$", ErrorMessage = "Worker:QueueName must be 1-200 letters, digits, '.', '_', ':' or '-'.")]
    public string QueueName { get; set; } = "recognize-document";

    /// <summary>
    /// Most jobs in one MassTransit delivery batch (MessageLimit). 1 by default: each job is a delivery of its own,
    /// <see cref="ConcurrentBatches"/> of them run at once, and each is acknowledged as soon as it is answered; the
    /// line crops of all jobs in flight still share recognizer calls, batched in-process (docs/batching.md). Larger
    /// deliveries measured slower: a delivery closes on MassTransit's <see cref="BatchTimeLimit"/> timer, so under
    /// load the prefetched messages sat in many deliveries of 1-3 jobs with two running (few jobs in flight, small
    /// recognizer calls), and at light load every job waited for the timer (docs/benchmarks.md, "Deliveries of one").
    /// </summary>
    [Range(1, 1000)]
    public int MaxBatchSize { get; set; } = 1;

    /// <summary>
    /// With <see cref="MaxBatchSize"/> above 1: longest wait for a delivery batch to fill before the partial batch is
    /// processed. Short: at light load a job should not wait for company (batching into inference calls happens
    /// in-process). Measured at 14 jobs/s: p50 48-53 ms at 1 ms, 55-59 ms at 10 ms, 40-44 ms with deliveries of one
    /// (docs/benchmarks.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan BatchTimeLimit { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>
    /// Delivery batches processed at the same time (MassTransit's ConcurrencyLimit); with deliveries of one job, the
    /// jobs in flight. 64 lets the recognition scheduler see the crops of every prefetched job; the CPU-bound work is
    /// bounded separately (<see cref="MaxConcurrentInferences"/>, <see cref="MaxQueuedCrops"/>).
    /// </summary>
    [Range(1, 100)]
    public int ConcurrentBatches { get; set; } = 64;

    /// <summary>
    /// Unacknowledged messages the broker may push ahead; 0 means MaxBatchSize x ConcurrentBatches, the least
    /// that lets every concurrent batch fill. A smaller value is refused at start.
    /// </summary>
    [Range(0, 65535)]
    public int PrefetchCount { get; set; }

    /// <summary>Images recognized at the same time (CPU-bound); 0 means one per core.</summary>
    [Range(0, 1024)]
    public int MaxConcurrentInferences { get; set; }

    /// <summary>
    /// An image starts decoding and detection only while fewer than this many line crops wait for recognition; 0: no
    /// limit. Without it, a burst of page jobs would detect every page while the first pages' lines wait, so every
    /// job finished late (processor sharing) and the waiting crops held memory. A receipt has 30-60 lines: at 64 the
    /// next page is detected while the last one's lines are recognized. Single-line jobs (a crop each) reach it only with more
    /// than 64 jobs in flight.
    /// </summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedCrops { get; set; } = 64;

    /// <summary>
    /// Jobs that may download their image and hold it while they wait to start their first stage; the others wait
    /// before downloading. 0: no limit. With 64 jobs in flight, a burst of pages otherwise held 64 downloaded images
    /// while two were decoded at a time (peak RSS 20-25 MiB higher with receipts of 0.3 MB, and 64 times the largest
    /// image allowed in the worst case). 16 keeps downloads ahead of decoding with blob storage tens of milliseconds
    /// away; single lines, which never wait long for a slot, are not held back.
    /// </summary>
    [Range(0, 1024)]
    public int ImagesAhead { get; set; } = 16;

    /// <summary>
    /// Bytes the images downloaded ahead (<see cref="ImagesAhead"/>) may hold together; 0: no limit. A job learns its
    /// blob's size from the download's response headers and waits, before reading the body, until its image fits (an
    /// image larger than the whole budget waits until none is held, then goes alone). Receipts and lines (under a
    /// megabyte each) never reach it; bursts of uncompressed 5-20 MB TIFF scans, which held 16 of them, peak at a median
    /// of 572 MiB with 16 MiB against 640 without, at the same speed (docs/benchmarks.md, "Bytes downloaded ahead"). An
    /// image in the message is not counted: it arrived with the message.
    /// </summary>
    [Range(0, 4L * 1024 * 1024 * 1024)]
    public long ImageBytesAhead { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// Pages of one document (a multi-page TIFF or PDF) in flight at once: they are decoded, detected and cropped,
    /// and the next pages wait until their lines are recognized. Every page in flight holds its line crops, so this
    /// keeps a long document's memory from growing with its length (30 A4 pages scanned at 300 dpi, in one job: peak
    /// 433 MiB at 4 pages in flight, 453 MiB with all 30; docs/benchmarks.md).
    /// </summary>
    [Range(1, 1000)]
    public int PagesInFlightPerJob { get; set; } = 4;

    /// <summary>
    /// The largest image a job may carry in its message (<c>image.data</c>) instead of in a blob; a larger one is answered
    /// <c>image-too-large</c>. Bounds what the messages the broker has delivered ahead (the prefetch) hold.
    /// </summary>
    [Range(1, 16 * 1024 * 1024)]
    public int MaxInlineImageBytes { get; set; } = 256 * 1024;

    /// <summary>Results whose JSON is larger than this go to a result blob and the event carries its location.</summary>
    [Range(256, 64 * 1024 * 1024)]
    public int InlineResultMaxBytes { get; set; } = 256 * 1024;

    /// <summary>Retries of a storage call that failed transiently (5xx, timeout, connection), per job.</summary>
    [Range(0, 10)]
    public int TransientRetryCount { get; set; } = 3;

    /// <summary>First retry delay; doubled on each further retry (with jitter).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan TransientRetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// How long a result publish may still wait for the broker's confirmation once the job's delivery was cancelled. A
    /// dropped broker connection cancels the deliveries in flight, and a publish caught by it can wait for a
    /// confirmation that never comes; after this it fails, the job's claim is abandoned and its redelivery runs it
    /// again (docs/worker.md, "Broker restarts"). While the delivery stands, a publish waits as long as the broker makes it.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest a job may run in the worker, from pickup: a job still running then is stopped and answered
    /// <c>processing-timeout</c> (not retryable), so that nothing holds an inference slot and its delivery for ever.
    /// Keep it under RabbitMQ's <c>consumer_timeout</c> (30 min by default), which closes the channel of a delivery
    /// unacknowledged longer. 0: no limit.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan JobTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Jobs in flight with none finishing for this long makes <c>/health/live</c> fail, so that the orchestrator restarts
    /// a wedged worker (a native call that never returns, a deadlock) and the broker redelivers its jobs. Must be above
    /// <see cref="JobTimeout"/>, which stops a single long job first. 0: off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>How long a job's idempotency key is remembered after its result.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan IdempotencyWindow { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Most idempotency keys remembered; the least recently used are forgotten first.</summary>
    [Range(1, 10_000_000)]
    public int IdempotencyCapacity { get; set; } = 100_000;

    /// <summary>
    /// Memory: each replica remembers its own jobs. Blob: every replica sees every other's, and a restart forgets
    /// nothing (one small blob per key in BlobStorage:IdempotencyContainer).
    /// </summary>
    public IdempotencyStore IdempotencyStore { get; set; } = IdempotencyStore.Memory;

    /// <summary>
    /// With the Blob store: how long a running job's claim holds without renewal. The replica running it renews it
    /// every third of this; a claim left by a replica that died is taken over once it runs out.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan IdempotencyLease { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Most results kept in the result cache (by image SHA-256, mode and model); 0 disables it.</summary>
    [Range(0, 1_000_000)]
    public int ResultCacheEntries { get; set; } = 1000;

    /// <summary>Approximate memory the result cache may use; the least recently used results go first.</summary>
    [Range(0, long.MaxValue)]
    public long ResultCacheMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>How long a cached result is served.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan ResultCacheTtl { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// On shutdown the worker stops taking messages and lets in-flight jobs finish; jobs still running after
    /// 70% of this are cancelled and put back on the queue, and the process exits within this time. Unset:
    /// the .NET host's own setting (<c>shutdownTimeoutSeconds</c>, e.g. DOTNET_shutdownTimeoutSeconds; 30 s).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan? ShutdownTimeout { get; set; }

    /// <summary>
    /// How often free native heap pages are given back to the system (glibc malloc_trim) at least; zero turns
    /// trimming off. Keeps the RSS of a long-running worker near its working set (docs/benchmarks.md).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan NativeHeapTrimInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Trim as soon as the memory model runs hold (their Ocr:MemoryBudgetMegabytes leases) has fallen this much from
    /// its peak since the last trim, instead of waiting for the interval: one page's detection frees 100-300 MiB, and
    /// several of them inside one interval, each thread in its own glibc arena, were what made page bursts peak at
    /// over 1 GiB. Small runs one after another (single lines) never fall this far: each reuses what the one before
    /// freed, and trimming after them cost a third of single-line throughput where page faults are dear. 0: by the
    /// interval only.
    /// </summary>
    [Range(0, 1_048_576)]
    public int NativeHeapTrimAfterMegabytes { get; set; } = 64;

    /// <summary>When above 0, the queue is declared as a priority queue (x-max-priority) with this many levels (classic queues only).</summary>
    [Range(0, 255)]
    public int MaxPriority { get; set; }

    /// <summary>
    /// Send each job's outcome to its requester too, when the request names where (an AMQP reply_to, a MassTransit
    /// response address); false: events only (for producers whose client sets reply_to for purposes of its own).
    /// </summary>
    public bool SendReplies { get; set; } = true;

    /// <summary>
    /// The type the worker declares its queue with: <see cref="Jobs.QueueType.Classic"/> (RabbitMQ's default) or
    /// <see cref="Jobs.QueueType.Quorum"/> (replicated across the cluster's nodes, the durable type RabbitMQ 4 keeps,
    /// and counting each job's deliveries: <see cref="DeliveryLimit"/>). A queue keeps the type it was created with, and
    /// declaring it with another fails the worker's start (PRECONDITION_FAILED): docs/worker.md, "Quorum queues".
    /// </summary>
    public QueueType QueueType { get; set; } = QueueType.Classic;

    /// <summary>
    /// On a quorum queue, which counts the deliveries that ended without an acknowledgement (a worker that died, a
    /// dropped connection): a job delivered this many times without an answer is answered <c>delivery-limit-exceeded</c>
    /// (retryable) instead of being run again, so that a job that kills the worker cannot take the replicas down one
    /// after another. With <see cref="IdempotencyStore"/> <c>Blob</c>, on any queue: a job whose runs were lost this many
    /// times in a row with the replicas running them (each claim that ran out while running counts one) is answered so
    /// too. Classic queues do not count deliveries themselves. 0: no limit.
    /// </summary>
    [Range(0, 1000)]
    public int DeliveryLimit { get; set; } = 5;

    /// <summary>The prefetch count in effect.</summary>
    public int EffectivePrefetchCount => PrefetchCount > 0 ? PrefetchCount : MaxBatchSize * ConcurrentBatches;

    /// <summary>The inference concurrency in effect.</summary>
    public int EffectiveConcurrentInferences => MaxConcurrentInferences > 0 ? MaxConcurrentInferences : Environment.ProcessorCount;

    /// <summary>After this long in-flight jobs are cancelled and requeued (MassTransit's ConsumerStopTimeout).</summary>
    public static TimeSpan ConsumerStopTimeout(TimeSpan shutdownTimeout) => shutdownTimeout * 0.7;

    /// <summary>How long the bus may take to stop (MassTransit's StopTimeout): under the host's timeout.</summary>
    public static TimeSpan BusStopTimeout(TimeSpan shutdownTimeout) => shutdownTimeout * 0.9;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (PrefetchCount > 0 && PrefetchCount < MaxBatchSize * ConcurrentBatches)
        {
            yield return new ValidationResult(
                $"Worker:PrefetchCount ({PrefetchCount}) must be at least Worker:MaxBatchSize x Worker:ConcurrentBatches ({MaxBatchSize * ConcurrentBatches}), or 0; otherwise batches never fill.",
                [nameof(PrefetchCount)]);
        }

        if (StallTimeout > TimeSpan.Zero && JobTimeout > TimeSpan.Zero && StallTimeout <= JobTimeout)
        {
            yield return new ValidationResult(
                $"Worker:StallTimeout ({StallTimeout}) must be above Worker:JobTimeout ({JobTimeout}), or 0: a single long job is stopped by the job timeout, not by restarting the worker.",
                [nameof(StallTimeout), nameof(JobTimeout)]);
        }

        if (QueueType == QueueType.Quorum && MaxPriority > 0)
        {
            yield return new ValidationResult(
                "Worker:MaxPriority needs a classic queue: RabbitMQ refuses x-max-priority on a quorum queue (Worker:QueueType).",
                [nameof(MaxPriority), nameof(QueueType)]);
        }

        if (MaxBatchSize * ConcurrentBatches > 65535)
        {
            yield return new ValidationResult("Worker:MaxBatchSize x Worker:ConcurrentBatches must be at most 65535 (the AMQP prefetch limit).", [nameof(MaxBatchSize)]);
        }
    }
}

/// <summary>Validates <see cref="WorkerOptions"/> at start (source-generated from the data annotations).</summary>
[OptionsValidator]
internal sealed partial class WorkerOptionsValidator : IValidateOptions<WorkerOptions>;
