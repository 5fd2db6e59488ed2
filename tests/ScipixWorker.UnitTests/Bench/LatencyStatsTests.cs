using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class LatencyStatsTests
{
    [Fact]
    public void Percentiles_interpolate_between_closest_ranks_like_numpy()
    {
        double[] sorted = [10, 20, 30, 40];

        Assert.Equal(10, LatencyStats.Percentile(sorted, 0));
        Assert.Equal(25, LatencyStats.Percentile(sorted, 0.5));
        Assert.Equal(38.5, LatencyStats.Percentile(sorted, 0.95), precision: 9);
        Assert.Equal(40, LatencyStats.Percentile(sorted, 1));
    }

    [Fact]
    public void One_value_is_every_percentile_and_none_is_zero()
    {
        Assert.Equal(7, LatencyStats.Percentile([7.0], 0.99));
        Assert.Equal(0, LatencyStats.Percentile(Array.Empty<double>(), 0.5));
    }

    [Fact]
    public void Summarize_sorts_its_input_first()
    {
        var values = Enumerable.Range(1, 100).Select(i => (double)i).Reverse();

        var (p50, p95, p99) = LatencyStats.Summarize(values);

        Assert.Equal(50.5, p50, precision: 9);
        Assert.Equal(95.05, p95, precision: 9);
        Assert.Equal(99.01, p99, precision: 9);
    }

    [Fact]
    public void A_quantile_outside_zero_to_one_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => LatencyStats.Percentile([1.0], 1.5));
    }
}
