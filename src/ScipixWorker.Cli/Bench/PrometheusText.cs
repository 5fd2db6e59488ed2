using System.Globalization;

namespace ScipixWorker.Cli.Bench;

/// <summary>A histogram's count and sum, read from Prometheus text exposition.</summary>
public sealed record HistogramTotals(double Count, double Sum)
{
    public double Mean => Count == 0 ? 0 : Sum / Count;

    public HistogramTotals Minus(HistogramTotals? before) => before is null ? this : new(Count - before.Count, Sum - before.Sum);
}

/// <summary>Just enough of the Prometheus text format to read the worker's own histograms.</summary>
public static class PrometheusText
{
    /// <summary>
    /// <c>NAME_count</c> and <c>NAME_sum</c> of an unlabelled histogram (summed over label sets when labelled);
    /// null when the metric is not exposed.
    /// </summary>
    public static HistogramTotals? Histogram(string exposition, string name)
    {
        double? count = null, sum = null;
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space < 0)
            {
                continue;
            }

            var series = line[..space];
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            var metric = brace < 0 ? series : series[..brace];
            if (!double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            if (metric == name + "_count")
            {
                count = (count ?? 0) + value;
            }
            else if (metric == name + "_sum")
            {
                sum = (sum ?? 0) + value;
            }
        }

        return count is { } c && sum is { } s ? new HistogramTotals(c, s) : null;
    }
}
