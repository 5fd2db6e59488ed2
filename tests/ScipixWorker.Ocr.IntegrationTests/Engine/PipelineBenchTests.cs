using System.Globalization;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary><c>scipix bench pipeline</c> on the real models (its pure parts are unit-tested with the CLI).</summary>
public sealed class PipelineBenchTests
{
    /// <summary>The real models on three real receipt lines: each configuration runs, measures and batches as configured.</summary>
    [Fact]
    public void A_short_run_measures_every_configuration_on_the_real_models()
    {
        var set = Directory.CreateTempSubdirectory("scipix-pipeline-");
        try
        {
            var fixtures = Fixtures.Path("sroie");
            var manifest = new List<string> { "image\tground_truth\tnchars" };
            foreach (var name in new[] { "line_003_002", "line_003_008", "line_081_003" })
            {
                File.Copy(Path.Combine(fixtures, name + ".png"), Path.Combine(set.FullName, name + ".png"));
                File.Copy(Path.Combine(fixtures, name + ".gt.txt"), Path.Combine(set.FullName, name + ".gt.txt"));
                manifest.Add(string.Create(CultureInfo.InvariantCulture, $"{name}.png\t{name}.gt.txt\t1"));
            }

            File.WriteAllLines(Path.Combine(set.FullName, "manifest.tsv"), manifest);
            var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ClassifierModel = string.Empty };

            var result = PipelineRunner.Run(
                set.FullName, lines: true, options, new BatchingOptions { MaxBatchSize = 4 }, [1], [], concurrency: 4,
                TimeSpan.FromSeconds(0.3), TimeSpan.FromSeconds(1.5), _ => { }, TestContext.Current.CancellationToken);

            Assert.Equal(["static 1", "adaptive"], result.Runs.Select(r => r.Label));
            Assert.Equal("lines", result.Mode);
            Assert.Contains("(fp32, cpu)", result.Engine, StringComparison.Ordinal);
            Assert.All(result.Runs, run =>
            {
                Assert.True(run.Jobs > 0 && run.Lines == run.Jobs, $"{run.Label}: {run.Jobs} jobs, {run.Lines} lines");
                Assert.Equal(0, run.Failed);
                Assert.True(run.P50Ms > 0 && run.P99Ms >= run.P50Ms);
                Assert.True(run.Batches > 0 && run.CpuCores > 0 && run.PeakRssBytes > 0);
                Assert.InRange(run.MeanBatchSize, 1, 4);
            });
            Assert.Equal(1.0, result.Runs[0].MeanBatchSize);
            Assert.Equal("1: 100 %", result.Runs[0].CommonSizes);
        }
        finally
        {
            set.Delete(recursive: true);
        }
    }
}
