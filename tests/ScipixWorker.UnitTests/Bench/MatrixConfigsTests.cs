using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class MatrixConfigsTests
{
    [Fact]
    public void A_static_size_is_fed_by_deliveries_of_its_size_two_at_a_time_and_adaptive_runs_the_defaults()
    {
        var configs = BenchCommand.MatrixConfigs([1, 8], new Dictionary<string, string> { ["Ocr:IntraOpThreads"] = "1" });

        Assert.Equal(["static 1", "static 8", "adaptive"], configs.Select(c => c.Label));
        var static8 = configs[1].Config;
        Assert.Equal(
            ("static", "8", "8", "2", "0", "1"),
            (static8["Batching:Mode"], static8["Batching:StaticBatchSize"], static8["Worker:MaxBatchSize"], static8["Worker:ConcurrentBatches"],
                static8["Ocr:MemoryBudgetMegabytes"], static8["Ocr:IntraOpThreads"]));
        Assert.Equal(
            new Dictionary<string, string> { ["Batching:Mode"] = "adaptive", ["Ocr:IntraOpThreads"] = "1" },
            configs[2].Config.OrderBy(p => p.Key).ToDictionary());
    }
}
