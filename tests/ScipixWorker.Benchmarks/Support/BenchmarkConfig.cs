using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using Perfolizer.Horology;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// One short job for every benchmark: the suite runs on small shared machines (2 cores here) and must
/// finish in minutes, so few iterations, and the median as the figure to quote (robust to the noise of
/// neighbours compiling on the same cores).
/// </summary>
internal static class BenchmarkConfig
{
    public static IConfig Create() =>
        DefaultConfig.Instance
            .AddJob(Job.Default
                .WithId("Short")
                .WithLaunchCount(1)
                .WithWarmupCount(2)
                .WithIterationCount(7)
                // Inference invocations take 10 ms to 1 s and run once per iteration; this only shortens
                // the pre-processing micro-benchmarks.
                .WithIterationTime(TimeInterval.FromMilliseconds(250))
                // The default job, so that command-line job options (`--iterationCount 15`, `--inProcess`)
                // adjust it instead of adding a second job (`--job` does not replace it).
                .AsDefault())
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(StatisticColumn.Median, StatisticColumn.Min, StatisticColumn.Max)
            .HideColumns(Column.Error, Column.StdDev)
            // Model file names (ch_PP-OCRv4_rec_infer.onnx, *_int8.onnx) in full, not cut to 20 characters.
            .WithSummaryStyle(SummaryStyle.Default.WithMaxParameterColumnWidth(48));
}
