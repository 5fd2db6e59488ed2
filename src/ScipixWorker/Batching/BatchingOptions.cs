using System.ComponentModel.DataAnnotations;

namespace ScipixWorker.Batching;

/// <summary>Bounds and objective of the adaptive batch controller (section <c>Batching</c>).</summary>
public sealed class BatchingOptions
{
    public const string SectionName = "Batching";

    /// <summary>Smallest batch the controller chooses.</summary>
    [Range(1, 64)]
    public int MinBatchSize { get; set; } = 1;

    /// <summary>Largest batch the controller chooses; also the consumer's MassTransit message limit.</summary>
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

    /// <summary>Decisions between re-measurements of the next larger size while saturated.</summary>
    [Range(1, 100_000)]
    public int ExploreInterval { get; set; } = 200;

    /// <summary>A different size is chosen only if it is estimated this much better (fraction): no oscillation.</summary>
    [Range(0.0, 1.0)]
    public double Hysteresis { get; set; } = 0.1;
}
