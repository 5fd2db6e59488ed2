using ScipixWorker.Contracts;

namespace ScipixWorker.Cli.Bench;

/// <summary>What one end-to-end run offers the worker.</summary>
internal sealed record E2eRequest(
    string SetDirectory,
    bool Lines,
    Arrival Arrival,
    double Rate,
    int Jobs,
    TimeSpan Duration,
    IReadOnlyDictionary<string, string> WorkerConfig,
    string WorkerDll,
    TimeSpan DrainTimeout,
    string Label,
    int? Warmup = null,
    double? JitSettle = null)
{
    /// <summary>
    /// Unmeasured jobs before the measured ones (default 1,000 lines or 20 pages): the steady state of a
    /// long-running worker. A fresh process spends its first several hundred jobs compiling: tier-0 code, then
    /// instrumented and tier-1 recompilation of the hot paths (0.3-0.8 s of JIT per second and 13-14 % of the
    /// worker's CPU samples during a 300-job burst after 4 or after 100 warm-up jobs; docs/benchmarks.md).
    /// </summary>
    public int WarmupJobs => Warmup ?? (Lines ? 1000 : 20);

    /// <summary>
    /// Results on a durable queue that expires 10 minutes after its last use, rather than the private auto-deleted one:
    /// a broker restart then loses no result, which an outage check needs to tell a job the worker lost from a result
    /// the load generator's queue lost.
    /// </summary>
    public bool DurableResults { get; init; }

    /// <summary>
    /// The images go in the job messages (<c>image.data</c>) instead of blobs: no storage round trip a job, neither the
    /// load generator's upload nor the worker's download.
    /// </summary>
    public bool Inline { get; init; }

    /// <summary>What the jobs ask their results to carry: the page text by default, as a search index would.</summary>
    public DetailLevel Detail { get; init; } = DetailLevel.Text;

    /// <summary>
    /// After the warm-up burst, more unmeasured bursts of half its size follow while the worker's JIT took more than
    /// this share of the last one's time (<see cref="JitSettling"/>; 0: the warm-up alone). By default
    /// <see cref="JitSettling.DefaultShare"/>, or 0 where the caller chose the warm-up's size (<c>--warmup 4</c> measures a
    /// cold replica).
    /// </summary>
    public double JitSettleShare => JitSettle ?? (Warmup is null ? JitSettling.DefaultShare : 0);

    /// <summary>
    /// After the warm-up burst, a rate run offers its rate for this long, unmeasured: the code paths of a steady
    /// arrival rate got hot only in the measured window after a burst alone, and their JIT took 0.8-1.9 s of a 10 s
    /// window over capacity, 6-13 % of the worker's CPU, varying with the configuration; after this, 0.78-0.95 s for
    /// every configuration measured (docs/load-test.md).
    /// </summary>
    public static readonly TimeSpan PacedWarmup = TimeSpan.FromSeconds(5);
}

/// <summary>What one end-to-end run measured; latencies in milliseconds, publish to result event received.</summary>
internal sealed record E2eResult
{
    public string Label { get; init; } = string.Empty;

    public string Set { get; init; } = string.Empty;

    public string Mode { get; init; } = string.Empty;

    public string Arrival { get; init; } = string.Empty;

    /// <summary>The images went in the job messages, not in blobs (<see cref="E2eRequest.Inline"/>).</summary>
    public bool Inline { get; init; }

    /// <summary>Offered jobs/s (0 for a burst).</summary>
    public double OfferedRate { get; init; }

    public IReadOnlyDictionary<string, string> WorkerConfig { get; init; } = new Dictionary<string, string>();

    public int Published { get; init; }

    public int Recognized { get; init; }

    public int Failed { get; init; }

    /// <summary>Published jobs with no result event by the drain timeout.</summary>
    public int Missing { get; init; }

    /// <summary>
    /// Result events beyond the first for a job, seen while the run waited (a job answered twice, as when a delivery in
    /// flight is redelivered after the broker connection drops). Duplicates arriving after the last first result are not seen.
    /// </summary>
    public int Duplicates { get; init; }

    /// <summary>First publish to last result, seconds.</summary>
    public double WindowSeconds { get; init; }

    /// <summary>Results (recognized + failed) per second over the window.</summary>
    public double Throughput { get; init; }

    public double P50Ms { get; init; }

    public double P95Ms { get; init; }

    public double P99Ms { get; init; }

    public double MaxMs { get; init; }

    /// <summary>Worker CPU time over the window / window length: cores kept busy.</summary>
    public double? WorkerCpuCores { get; init; }

    /// <summary>The worker's peak resident set (VmHWM) at the end of the window, bytes.</summary>
    public long? WorkerPeakRssBytes { get; init; }

    /// <summary>Mean of scipix_batch_size over the window, when the worker exposes it.</summary>
    public double? MeanBatchSize { get; init; }

    public double? Batches { get; init; }

    /// <summary>Mean of scipix_recognition_batch_crops over the window: line crops per recognizer call.</summary>
    public double? MeanCropsPerCall { get; init; }

    /// <summary>
    /// Recognizer batches taken over the window by the reason for their size (scipix_recognition_batch_decisions_total:
    /// keep_up, saturated, explore, ...; static in static mode).
    /// </summary>
    public IReadOnlyDictionary<string, double>? Decisions { get; init; }

    /// <summary>
    /// Seconds the worker's JIT spent compiling over the window (system_runtime_dotnet_jit_compilation_time): code first
    /// reached, or first hot, after the warm-up. Over 1-2 % of the window's worker CPU it weighs on throughput comparisons
    /// (docs/load-test.md); null when not exported.
    /// </summary>
    public double? WorkerJitSeconds { get; init; }

    /// <summary>Unmeasured jobs before the window: the warm-up burst, the rounds until the JIT settled, the paced seconds.</summary>
    public int WarmupJobs { get; init; }

    /// <summary>The JIT's share of each unmeasured burst's time, the first warm-up first (<see cref="JitSettling"/>).</summary>
    public IReadOnlyList<double>? WarmupJitShares { get; init; }

    /// <summary>
    /// The native allocator the worker ran on (scipix_native_allocator_info: jemalloc where Debian's libjemalloc2 is
    /// installed, else glibc), which moves throughput and memory (docs/operations.md); null when not exported.
    /// </summary>
    public string? Allocator { get; init; }

    /// <summary>1-minute load average at the start and end of the window (/proc/loadavg).</summary>
    public string LoadAverage { get; init; } = string.Empty;

    public int? WorkerExitCode { get; init; }
}
