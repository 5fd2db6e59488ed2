namespace ScipixWorker.Cli.Bench;

/// <summary>
/// When the worker's JIT has settled after a warm-up: the compile time one unmeasured round cost, as a share of the
/// round's wall time (<c>system_runtime_dotnet_jit_compilation_time</c>). A fresh worker keeps recompiling its hot
/// paths (tier 1 with dynamic PGO) well past a fixed warm-up: with 64 jobs in flight, a saturated burst after 1,000
/// warm-up lines still spent a third of its window in the JIT and carried 10 % fewer jobs a second than after 3,000
/// (docs/benchmarks.md, "A warm-up that waits for the JIT").
/// </summary>
internal static class JitSettling
{
    /// <summary>A round whose JIT time is at most this share of its wall time ends the warm-up.</summary>
    public const double DefaultShare = 0.05;

    /// <summary>The most rounds after the first warm-up, whatever the JIT does.</summary>
    public const int MaxRounds = 8;

    /// <summary>The JIT's compile seconds over a round as a share of the round's wall seconds (0 for an empty round).</summary>
    public static double Share(double jitSeconds, double roundSeconds) =>
        roundSeconds > 0 ? Math.Max(0, jitSeconds) / roundSeconds : 0;

    /// <summary>
    /// Whether another round is needed: the last round's JIT <paramref name="share"/> is above <paramref name="limit"/>
    /// and fewer than <see cref="MaxRounds"/> rounds were added. An unknown share (the worker does not export the JIT's
    /// time) ends the warm-up.
    /// </summary>
    public static bool Again(double? share, double limit, int roundsAdded) =>
        limit > 0 && share is { } last && roundsAdded < MaxRounds && last > limit;

    /// <summary>Jobs in each added round: half the first warm-up, at least one.</summary>
    public static int RoundJobs(int warmupJobs) => Math.Max(1, warmupJobs / 2);
}
