namespace ScipixWorker.Cli.Bench;

/// <summary>
/// One configuration at one offered rate, over the matrix's rounds: medians, the spread of the throughput, and how the
/// configuration compares with the static sizes at that rate (the batching issue's criteria: throughput against the
/// best static size, light-load p50 against batch size 1).
/// </summary>
internal sealed record MatrixCell(
    string Label,
    double OfferedRate,
    int Runs,
    double MedianThroughput,
    double MinThroughput,
    double MaxThroughput,
    double MedianP50Ms,
    double MedianP95Ms,
    string? BestStatic,
    double? ThroughputVsBestStatic,
    double? P50VsStatic1);

/// <summary>The matrix's runs summed up per configuration and rate, and the order the configurations run in.</summary>
internal static class MatrixSummary
{
    public const string StaticPrefix = "static ";
    public const string Static1 = "static 1";

    /// <summary>
    /// A cell per configuration and offered rate, rates in ascending order, configurations in the order they first ran.
    /// The best static size at a rate is the one with the highest median throughput there.
    /// </summary>
    public static IReadOnlyList<MatrixCell> Summarize(IReadOnlyList<E2eResult> runs)
    {
        var labels = runs.Select(r => r.Label).Distinct().ToList();
        var cells = new List<MatrixCell>();
        foreach (var rate in runs.Select(r => r.OfferedRate).Distinct().Order())
        {
            var atRate = labels
                .Select(label => (Label: label, Runs: runs.Where(r => r.Label == label && r.OfferedRate == rate).ToList()))
                .Where(group => group.Runs.Count > 0)
                .Select(group => (group.Label, group.Runs, Throughput: Median(group.Runs.Select(r => r.Throughput)), P50: Median(group.Runs.Select(r => r.P50Ms))))
                .ToList();
            var statics = atRate.Where(c => c.Label.StartsWith(StaticPrefix, StringComparison.Ordinal)).ToList();
            var best = statics.Count == 0 ? default : statics.MaxBy(c => c.Throughput);
            var static1 = statics.FirstOrDefault(c => c.Label == Static1);
            foreach (var (label, group, throughput, p50) in atRate)
            {
                cells.Add(new MatrixCell(
                    label,
                    rate,
                    group.Count,
                    throughput,
                    group.Min(r => r.Throughput),
                    group.Max(r => r.Throughput),
                    p50,
                    Median(group.Select(r => r.P95Ms)),
                    best.Label,
                    best.Label is null || best.Throughput <= 0 ? null : throughput / best.Throughput,
                    static1.Label is null || static1.P50 <= 0 ? null : p50 / static1.P50));
            }
        }

        return cells;
    }

    /// <summary>
    /// The configurations in the order round <paramref name="round"/> runs them: turned by one a round, so that no
    /// configuration always runs first after a change of rate, or always just after the same neighbour.
    /// </summary>
    public static IReadOnlyList<T> Rotation<T>(IReadOnlyList<T> items, int round)
    {
        if (items.Count == 0)
        {
            return items;
        }

        var start = ((round % items.Count) + items.Count) % items.Count;
        return [.. items.Skip(start), .. items.Take(start)];
    }

    public static double Median(IEnumerable<double> values) => LatencyStats.Percentile(values.Order().ToList(), 0.5);
}
