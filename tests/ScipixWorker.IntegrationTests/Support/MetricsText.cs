using System.Globalization;

namespace ScipixWorker.IntegrationTests.Support;

/// <summary>Reads one sample from Prometheus' text format.</summary>
internal static class MetricsText
{
    /// <summary>The value of <paramref name="series"/> (name plus labels exactly as exposed, e.g. <c>scipix_jobs_total{outcome="failed"}</c>), 0 when absent.</summary>
    public static double Value(string scrape, string series)
    {
        foreach (var line in scrape.Split('\n'))
        {
            if (line.StartsWith(series + " ", StringComparison.Ordinal))
            {
                return double.Parse(line[(series.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
