namespace ScipixWorker.Ocr.Batching;

/// <summary>Why the controller chose a size.</summary>
public enum BatchReason
{
    /// <summary>Nothing to do: smallest size, no wait.</summary>
    Idle,

    /// <summary>The smallest size whose throughput keeps up with arrivals (lowest latency).</summary>
    KeepUp,

    /// <summary>Arrivals outrun every size: the size with the highest throughput within the cap.</summary>
    Saturated,

    /// <summary>Measuring a size whose cost is not known yet or is stale: the next larger, or the next smaller.</summary>
    Explore,

    /// <summary>The latency objective was breached: the cap was halved.</summary>
    BackOff,

    /// <summary>Batching:Mode is static: always Batching:StaticBatchSize, no controller.</summary>
    Static,
}

/// <summary>How many items the next batch takes, and how long it may wait to fill.</summary>
public readonly record struct BatchDecision(int Size, TimeSpan MaxWait, BatchReason Reason);
