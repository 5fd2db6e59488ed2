using System.ComponentModel.DataAnnotations;

namespace ScipixWorker.Ocr.Batching;

/// <summary>How recognition batches are sized.</summary>
public enum BatchingMode
{
    /// <summary>The <see cref="AdaptiveBatchController"/> chooses each batch's size and wait.</summary>
    Adaptive = 0,

    /// <summary>Every batch takes up to <see cref="BatchingOptions.StaticBatchSize"/> crops, without waiting: the baseline.</summary>
    Static = 1,
}

/// <summary>
/// Recognition batching (section <c>Batching</c>): how line crops of all jobs are grouped into recognizer
/// calls, and the bounds and objective of the adaptive batch controller. See docs/batching.md.
/// </summary>
public sealed class BatchingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Batching";

    /// <summary>Adaptive (the controller decides) or static (always <see cref="StaticBatchSize"/>).</summary>
    public BatchingMode Mode { get; set; } = BatchingMode.Adaptive;

    /// <summary>Crops per recognizer call in static mode (fewer when fewer are queued).</summary>
    [Range(1, 64)]
    public int StaticBatchSize { get; set; } = 6;

    /// <summary>
    /// Recognition batches run at once, each on its own thread, each using Ocr:IntraOpThreads threads.
    /// Default two (one on a single core): on the 2-core CPU two concurrent small recognitions with one
    /// intra-op thread each outran one with two threads by 1.7x in isolation and by about 25 % end to end
    /// (docs/benchmarks.md); the worker then defaults Ocr:IntraOpThreads to cores / executors.
    /// </summary>
    [Range(1, 64)]
    public int Executors { get; set; } = Math.Min(2, Environment.ProcessorCount);

    /// <summary>Crops that may wait for recognition before producers are held back (back-pressure).</summary>
    [Range(1, 100_000)]
    public int QueueCapacity { get; set; } = 1024;

    /// <summary>Smallest batch the controller chooses.</summary>
    [Range(1, 64)]
    public int MinBatchSize { get; set; } = 1;

    /// <summary>Largest recognition batch (crops per recognizer call) the controller chooses.</summary>
    [Range(1, 64)]
    public int MaxBatchSize { get; set; } = 32;

    /// <summary>
    /// The p95 of in-process batch latency (time waiting for the batch to fill plus its execution) that
    /// the controller keeps to. Queue time in the broker is not in it: the batch size cannot change that.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:10:00")]
    public TimeSpan LatencyObjective { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest the controller lets a batch wait to fill.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxWait { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>Capacity kept above the arrival rate when choosing the smallest batch that keeps up.</summary>
    [Range(1.0, 10.0)]
    public double Headroom { get; set; } = 1.25;

    /// <summary>Weight of a new execution-time sample in the per-size moving averages.</summary>
    [Range(0.01, 1.0)]
    public double Smoothing { get; set; } = 0.2;

    /// <summary>Decisions after which a size's cost is stale: while saturated the next larger and next smaller sizes are measured again.</summary>
    [Range(1, 100_000)]
    public int ExploreInterval { get; set; } = 200;

    /// <summary>
    /// Upstream wait at which the worker counts as behind: while jobs taken in the last seconds had waited this long in
    /// the broker (their queue wait), a batch takes every crop already queued, up to sizes not measured to cost more a
    /// line, instead of leaving crops to the idle executors for latency. Their latency is then the broker's, and the CPU a
    /// line that larger batches save is throughput. Zero: never behind.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan BehindWait { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>A different size is chosen only if it is estimated this much better (fraction): no oscillation.</summary>
    [Range(0.0, 1.0)]
    public double Hysteresis { get; set; } = 0.1;
}
