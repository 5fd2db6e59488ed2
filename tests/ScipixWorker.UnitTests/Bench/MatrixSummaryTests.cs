using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class MatrixSummaryTests
{
    private static E2eResult Run(string label, double rate, double throughput, double p50 = 30, double p95 = 80) =>
        new() { Label = label, OfferedRate = rate, Throughput = throughput, P50Ms = p50, P95Ms = p95 };

    [Fact]
    public void Cells_take_the_median_of_the_rounds_and_compare_with_the_best_static_size_at_each_rate()
    {
        E2eResult[] runs =
        [
            // 107.5/s: static 8 is the best static size by its median (90), though static 1 had the single best run.
            Run("static 1", 107.5, 70), Run("static 1", 107.5, 99), Run("static 1", 107.5, 72),
            Run("static 8", 107.5, 88), Run("static 8", 107.5, 90), Run("static 8", 107.5, 95),
            Run("adaptive", 107.5, 81), Run("adaptive", 107.5, 86), Run("adaptive", 107.5, 93),
            // 35.8/s, listed after the higher rate: every configuration keeps up; p50 decides.
            Run("static 1", 35.8, 35.8, p50: 30), Run("static 1", 35.8, 35.8, p50: 34),
            Run("static 8", 35.8, 35.8, p50: 35), Run("static 8", 35.8, 35.8, p50: 37),
            Run("adaptive", 35.8, 35.8, p50: 33), Run("adaptive", 35.8, 35.8, p50: 35),
        ];

        var cells = MatrixSummary.Summarize(runs);

        Assert.Equal([35.8, 35.8, 35.8, 107.5, 107.5, 107.5], cells.Select(c => c.OfferedRate));
        Assert.Equal(["static 1", "static 8", "adaptive"], cells.Take(3).Select(c => c.Label));
        var adaptive = cells.Single(c => c.Label == "adaptive" && c.OfferedRate == 107.5);
        Assert.Equal((3, 86, 81, 93), (adaptive.Runs, adaptive.MedianThroughput, adaptive.MinThroughput, adaptive.MaxThroughput));
        Assert.Equal("static 8", adaptive.BestStatic);
        Assert.Equal(86.0 / 90, adaptive.ThroughputVsBestStatic!.Value, precision: 9);
        var light = cells.Single(c => c.Label == "adaptive" && c.OfferedRate == 35.8);
        Assert.Equal(34, light.MedianP50Ms);
        Assert.Equal(34.0 / 32, light.P50VsStatic1!.Value, precision: 9);
        Assert.Equal(1.0, cells.Single(c => c.Label == "static 1" && c.OfferedRate == 35.8).P50VsStatic1);
    }

    [Fact]
    public void Without_static_runs_there_is_nothing_to_compare_with()
    {
        var cells = MatrixSummary.Summarize([Run("adaptive", 50, 49), Run("adaptive", 50, 47)]);

        var cell = Assert.Single(cells);
        Assert.Equal(48, cell.MedianThroughput);
        Assert.Null(cell.BestStatic);
        Assert.Null(cell.ThroughputVsBestStatic);
        Assert.Null(cell.P50VsStatic1);
    }

    [Fact]
    public void A_rate_where_a_configuration_failed_every_round_has_no_cell_for_it()
    {
        var cells = MatrixSummary.Summarize([Run("static 1", 10, 10), Run("adaptive", 10, 10), Run("static 1", 20, 19)]);

        Assert.Equal([("static 1", 10.0), ("adaptive", 10.0), ("static 1", 20.0)], cells.Select(c => (c.Label, c.OfferedRate)));
    }

    [Theory]
    [InlineData(0, "a b c d")]
    [InlineData(1, "b c d a")]
    [InlineData(3, "d a b c")]
    [InlineData(4, "a b c d")]
    [InlineData(6, "c d a b")]
    public void Each_round_turns_the_order_by_one(int round, string expected)
    {
        Assert.Equal(expected, string.Join(' ', MatrixSummary.Rotation(["a", "b", "c", "d"], round)));
    }
}
