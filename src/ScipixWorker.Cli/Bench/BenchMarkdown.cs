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
        text.AppendLine("| engine | batch | concurrent calls | intra-op threads | images timed | images/s |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var point in ceiling.Points)
        {
            var mark = point == ceiling.Best ? " (ceiling)" : point == ceiling.EngineBest ? " (engine best)" : string.Empty;
            text.AppendLine(Invariant($"| {point.Engine} | {point.BatchSize} | {point.Streams} | {point.Threads} | {point.Images} | {point.ImagesPerSecond:F1}{mark} |"));
        }

        if (ceiling.Tesseract is { } tesseract)
        {
            text.AppendLine(Invariant($"| {tesseract.Engine} (one process per image, OMP_THREAD_LIMIT=1) | 1 | 1 | 1 | {tesseract.Images} | {tesseract.ImagesPerSecond:F1} |"));
        }

        return text.ToString();
    }

    /// <param name="ceiling">The ceiling (ONNX Runtime alone for lines).</param>
    /// <param name="engineCeiling">The whole engine's best in-process throughput.</param>
    public static string Runs(IReadOnlyList<E2eResult> runs, double? ceiling, double? engineCeiling = null)
    {
        var text = new StringBuilder();
        text.AppendLine("| config | offered | jobs | throughput (jobs/s) | p50 ms | p95 ms | p99 ms | failed+missing | duplicates | worker CPU (cores) | peak RSS (MiB) | allocator | jobs per delivery | crops per call | % of ceiling | % of engine | load |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var run in runs)
        {
            var offered = (run.Arrival == "burst" ? $"burst of {run.Published}" : Invariant($"{run.Arrival} {run.OfferedRate:0.#}/s"))
                + (run.Inline ? ", images inline" : string.Empty);
            text.AppendLine(Invariant(
                $"| {run.Label} | {offered} | {run.Published} | {run.Throughput:F1} | {run.P50Ms:F0} | {run.P95Ms:F0} | {run.P99Ms:F0} | {run.Failed + run.Missing} | {run.Duplicates} | {Optional(run.WorkerCpuCores, "F2")} | {Optional(run.WorkerPeakRssBytes / (1024.0 * 1024.0), "F0")} | {run.Allocator ?? "n/a"} | {Optional(run.MeanBatchSize, "F1")} | {Optional(run.MeanCropsPerCall, "F1")} | {Percent(run.Throughput, ceiling)} | {Percent(run.Throughput, engineCeiling)} | {run.LoadAverage} |"));
        }

        return text.ToString();
    }

    /// <summary>The matrix's medians per configuration and rate (<see cref="MatrixSummary"/>).</summary>
    public static string Summary(IReadOnlyList<MatrixCell> cells)
    {
        var text = new StringBuilder();
        text.AppendLine("| config | offered (jobs/s) | runs | throughput: median (min-max) | vs best static | p50 ms | p95 ms | p50 vs static 1 |");
        text.AppendLine("| --- | ---: | ---: | --- | --- | ---: | ---: | ---: |");
        foreach (var cell in cells)
        {
            var versus = cell.ThroughputVsBestStatic is { } ratio ? Invariant($"{ratio:P0} ({cell.BestStatic})") : "n/a";
            text.AppendLine(Invariant(
                $"| {cell.Label} | {cell.OfferedRate:0.#} | {cell.Runs} | {cell.MedianThroughput:F1} ({cell.MinThroughput:F1}-{cell.MaxThroughput:F1}) | {versus} | {cell.MedianP50Ms:F0} | {cell.MedianP95Ms:F0} | {Optional(cell.P50VsStatic1, "P0")} |"));
        }

        return text.ToString();
    }

    public static string Pipeline(PipelineResult result)
    {
        var text = new StringBuilder();
        text.AppendLine(Invariant($"In-process pipeline, {result.Set} ({result.Mode}), {result.Engine}, {result.Executors} executor(s) x {result.IntraOpThreads} intra-op thread(s), batches up to {result.MaxBatchSize}{(result.Engine.Contains("cuda", StringComparison.Ordinal) ? $", cuDNN search {result.ConvAlgoSearch}" : string.Empty)}, load {result.LoadAverage}:"));
        text.AppendLine();
        text.AppendLine("| config | offered | jobs | lines/s | p50 ms | p95 ms | p99 ms | failed | unfinished | batches | mean batch (per crop) | most crops in batches of | why | ms per call | CPU (cores) | peak RSS (MiB) |");
        text.AppendLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: | ---: | ---: |");
        foreach (var run in result.Runs)
        {
            text.AppendLine(Invariant(
                $"| {run.Label} | {run.Offered} | {run.Jobs} | {run.LinesPerSecond:F1} | {run.P50Ms:F1} | {run.P95Ms:F1} | {run.P99Ms:F1} | {run.Failed} | {run.Unfinished} | {run.Batches} | {run.MeanBatchSize:F1} | {run.CommonSizes} | {run.Reasons} | {run.MeanExecutionMs:F2} | {run.CpuCores:F2} | {run.PeakRssBytes / (1024.0 * 1024.0):F0} |"));
        }

        return text.ToString();
    }

    private static string Percent(double value, double? of) => of is > 0 ? (value / of.Value).ToString("P0", CultureInfo.InvariantCulture) : "n/a";

    private static string Optional(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
