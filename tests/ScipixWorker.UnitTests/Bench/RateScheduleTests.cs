using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class RateScheduleTests
{
    [Fact]
    public void A_constant_rate_spaces_jobs_evenly_and_stops_at_the_job_limit()
    {
        var offsets = RateSchedule.Create(Arrival.Constant, rate: 4, maxJobs: 5, TimeSpan.FromMinutes(1));

        Assert.Equal([0, 250, 500, 750, 1000], offsets.Select(o => Math.Round(o.TotalMilliseconds)));
    }

    [Fact]
    public void A_rate_run_stops_at_the_duration_when_that_comes_first()
    {
        var offsets = RateSchedule.Create(Arrival.Constant, rate: 10, maxJobs: 1000, TimeSpan.FromSeconds(2));

        Assert.Equal(21, offsets.Count); // 0, 0.1, ..., 2.0 s
        Assert.All(offsets, o => Assert.InRange(o, TimeSpan.Zero, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Poisson_arrivals_average_the_rate_and_repeat_with_the_same_seed()
    {
        var offsets = RateSchedule.Create(Arrival.Poisson, rate: 50, maxJobs: 5000, TimeSpan.FromHours(1), seed: 7);
        var again = RateSchedule.Create(Arrival.Poisson, rate: 50, maxJobs: 5000, TimeSpan.FromHours(1), seed: 7);

        Assert.Equal(offsets, again);
        Assert.Equal(5000, offsets.Count);
        Assert.True(offsets.Zip(offsets.Skip(1)).All(pair => pair.First <= pair.Second), "offsets must be non-decreasing");
        var observedRate = (offsets.Count - 1) / offsets[^1].TotalSeconds;
        Assert.InRange(observedRate, 47, 53); // 5000 exponential gaps: the mean is within a few percent
        var gaps = offsets.Zip(offsets.Skip(1)).Select(pair => (pair.Second - pair.First).TotalSeconds).ToList();
        var cv = Math.Sqrt(gaps.Average(g => Math.Pow(g - gaps.Average(), 2))) / gaps.Average();
        Assert.InRange(cv, 0.9, 1.1); // exponential gaps: standard deviation = mean
    }

    [Fact]
    public void A_burst_publishes_every_job_at_once()
    {
        var offsets = RateSchedule.Create(Arrival.Burst, rate: 0, maxJobs: 3, TimeSpan.Zero);

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], offsets);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_run_needs_a_positive_finite_rate(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => RateSchedule.Create(Arrival.Poisson, rate, 10, TimeSpan.FromSeconds(1)));
    }
}
