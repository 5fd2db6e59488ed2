using System.Globalization;
using System.Text;

namespace ScipixWorker.Cli.Bench;

/// <summary>The tables <c>scipix bench</c> prints, in markdown so they paste into docs/load-test.md.</summary>
internal static class BenchMarkdown
{
    public static string Ceiling(CeilingResult ceiling)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"In-process ceiling, {ceiling.Set} ({ceiling.Mode}), {ceiling.Engine}, load {ceiling.LoadAverage}:"));
        text.AppendLine();
        text.AppendLine("| engine | batch | concurrent calls | images timed | images/s |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: |");
        foreach (var point in ceiling.Points)
        {
            text.AppendLine(Invariant($"| {point.Engine} | {point.BatchSize} | {point.Streams} | {point.Images} | {point.ImagesPerSecond:F1}{(point == ceiling.Best ? " (best)" : string.Empty)} |"));
        }

        if (ceiling.Tesseract is { } tesseract)
        {
            text.AppendLine(Invariant($"| {tesseract.Engine} (one process per image, OMP_THREAD_LIMIT=1) | 1 | 1 | {tesseract.Images} | {tesseract.ImagesPerSecond:F1} |"));
        }

        return text.ToString();
    }

    public static string Runs(IReadOnlyList<E2eResult> runs, double? ceiling)
    {
        var text = new StringBuilder();
        text.AppendLine("| config | offered | jobs | throughput (jobs/s) | p50 ms | p95 ms | p99 ms | failed+missing | worker CPU (cores) | peak RSS (MiB) | mean batch | % of ceiling | load |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var run in runs)
        {
            var offered = run.Arrival == "burst" ? $"burst of {run.Published}" : Invariant($"{run.Arrival} {run.OfferedRate:0.#}/s");
            text.AppendLine(Invariant(
                $"| {run.Label} | {offered} | {run.Published} | {run.Throughput:F1} | {run.P50Ms:F0} | {run.P95Ms:F0} | {run.P99Ms:F0} | {run.Failed + run.Missing} | {Optional(run.WorkerCpuCores, "F2")} | {Optional(run.WorkerPeakRssBytes / (1024.0 * 1024.0), "F0")} | {Optional(run.MeanBatchSize, "F1")} | {(ceiling is > 0 ? (run.Throughput / ceiling.Value).ToString("P0", CultureInfo.InvariantCulture) : "n/a")} | {run.LoadAverage} |"));
        }

        return text.ToString();
    }

    private static string Optional(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
