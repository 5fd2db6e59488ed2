using System.Globalization;

namespace ScipixWorker.Cli.Bench;

/// <summary>A histogram's count and sum, read from Prometheus text exposition.</summary>
public sealed record HistogramTotals(double Count, double Sum)
{
    public double Mean => Count == 0 ? 0 : Sum / Count;

    public HistogramTotals Minus(HistogramTotals? before) => before is null ? this : new(Count - before.Count, Sum - before.Sum);
}

/// <summary>Just enough of the Prometheus text format to read the worker's own histograms and counters.</summary>
public static class PrometheusText
{
    /// <summary>
    /// <c>NAME_count</c> and <c>NAME_sum</c> of an unlabelled histogram (summed over label sets when labelled);
    /// null when the metric is not exposed.
    /// </summary>
    public static HistogramTotals? Histogram(string exposition, string name) =>
        Value(exposition, name + "_count") is { } count && Value(exposition, name + "_sum") is { } sum ? new HistogramTotals(count, sum) : null;

    /// <summary>
    /// A counter's value by one label's value (<c>NAME{reason="idle"} 3</c> as idle = 3), summed over its other labels;
    /// empty when the metric is not exposed.
    /// </summary>
    public static IReadOnlyDictionary<string, double> ByLabel(string exposition, string name, string label)
    {
        var values = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var key = label + "=\"";
        foreach (var (metric, labels, value) in Samples(exposition))
        {
            var at = labels.IndexOf(key, StringComparison.Ordinal);
            if (metric != name || at < 0)
            {
                continue;
            }

            var start = at + key.Length;
            var end = labels.IndexOf('"', start);
            var labelValue = end < 0 ? labels[start..] : labels[start..end];
            values[labelValue] = values.GetValueOrDefault(labelValue) + value;
        }

        return values;
    }

    /// <summary>A gauge's or counter's value, summed over its label sets; null when the metric is not exposed.</summary>
    public static double? Value(string exposition, string name)
    {
        double? total = null;
        foreach (var (metric, _, value) in Samples(exposition))
        {
            if (metric == name)
            {
                total = (total ?? 0) + value;
            }
        }

        return total;
    }

    // Each sample line as its metric name, its label set ("" or "{...}") and its value.
    private static IEnumerable<(string Metric, string Labels, double Value)> Samples(string exposition)
    {
        foreach (var raw in exposition.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            if (space < 0 || !double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var series = line[..space];
            var brace = series.IndexOf('{', StringComparison.Ordinal);
            yield return brace < 0 ? (series, string.Empty, value) : (series[..brace], series[brace..], value);
        }
    }
}
