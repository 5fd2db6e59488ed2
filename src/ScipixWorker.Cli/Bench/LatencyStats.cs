namespace ScipixWorker.Cli.Bench;

/// <summary>Percentiles by linear interpolation between closest ranks (the same as <c>scipix eval</c> and numpy's default).</summary>
public static class LatencyStats
{
    /// <summary>The <paramref name="p"/>-quantile (0..1) of <paramref name="sorted"/>, which must be in ascending order; 0 when empty.</summary>
    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(p, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(p, 1);
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }

    /// <summary>p50, p95 and p99 of <paramref name="values"/> (any order).</summary>
    public static (double P50, double P95, double P99) Summarize(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return (Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99));
    }
}
