using ScipixWorker.Cli.Bench;
using ScipixWorker.Ocr.Batching;

namespace ScipixWorker.UnitTests.Bench;

public sealed class PipelineRunnerTests
{
    [Fact]
    public void Static_sizes_run_first_then_the_adaptive_controller_each_on_its_own_copy()
    {
        var batching = new BatchingOptions { MaxBatchSize = 64, Executors = 3 };

        var configs = PipelineRunner.Configs(batching, [1, 8]).ToList();

        Assert.Equal(["static 1", "static 8", "adaptive"], configs.Select(c => c.Label));
        Assert.Equal([BatchingMode.Static, BatchingMode.Static, BatchingMode.Adaptive], configs.Select(c => c.Options.Mode));
        Assert.Equal([1, 8], configs.Take(2).Select(c => c.Options.StaticBatchSize));
        Assert.All(configs, c => Assert.NotSame(batching, c.Options));
        Assert.All(configs, c => Assert.Equal((64, 3), (c.Options.MaxBatchSize, c.Options.Executors)));
    }

    [Fact]
    public void A_copy_carries_every_setting()
    {
        // Every settable property gets a value unlike its default, so a setting added later and left out of Copy fails here.
        var source = new BatchingOptions();
        var defaults = new BatchingOptions();
        foreach (var property in typeof(BatchingOptions).GetProperties().Where(p => p.CanWrite))
        {
            object value = property.GetValue(defaults) switch
            {
                int i => i + 1,
                double d => d / 2,
                TimeSpan t => t + TimeSpan.FromMilliseconds(7),
                BatchingMode m => m == BatchingMode.Adaptive ? BatchingMode.Static : BatchingMode.Adaptive,
                var other => throw new InvalidOperationException($"BatchingOptions.{property.Name}: no test value for {other?.GetType()}"),
            };
            property.SetValue(source, value);
        }

        var copy = PipelineRunner.Copy(source);

        foreach (var property in typeof(BatchingOptions).GetProperties().Where(p => p.CanWrite))
        {
            Assert.Equal(property.GetValue(source), property.GetValue(copy));
        }
    }

    [Fact]
    public void In_flight_jobs_default_to_two_full_batches_per_executor()
    {
        Assert.Equal(256, PipelineRunner.DefaultConcurrency(new BatchingOptions { Executors = 2, MaxBatchSize = 64 }));
        Assert.Equal(32, PipelineRunner.DefaultConcurrency(new BatchingOptions { Executors = 1, MaxBatchSize = 16 }));
    }

    [Fact]
    public void Common_sizes_are_the_sizes_that_carried_most_crops()
    {
        PipelineRunner.BatchLog.Entry Batch(int size) => new(0, size, 1.0);
        var batches = new[] { Batch(32), Batch(32), Batch(32), Batch(8), Batch(1), Batch(1), Batch(2) }; // 96 + 8 + 2 + 2 crops; a tie goes to the larger size

        Assert.Equal("32: 89 %, 8: 7 %, 2: 2 %", PipelineRunner.CommonSizes(batches, batches.Sum(b => b.Size)));
        Assert.Equal("-", PipelineRunner.CommonSizes([], 0));
    }

    [Fact]
    public void Reasons_are_listed_most_frequent_first_with_their_shares()
    {
        BatchReason[] decisions = [.. Enumerable.Repeat(BatchReason.Saturated, 9), BatchReason.Explore, BatchReason.Explore, BatchReason.KeepUp];

        Assert.Equal("Saturated 75 %, Explore 17 %, KeepUp 8 %", PipelineRunner.Reasons(decisions));
        Assert.Equal("-", PipelineRunner.Reasons([]));
    }
}
