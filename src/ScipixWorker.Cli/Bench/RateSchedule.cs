namespace ScipixWorker.Cli.Bench;

/// <summary>How jobs are offered: at a constant rate, as a Poisson process, or all at once.</summary>
public enum Arrival
{
    Constant,
    Poisson,
    Burst,
}

/// <summary>
/// When each job is published, as offsets from the start of the run. Open-loop: the schedule does not wait
/// for results, so a worker that falls behind shows up as growing latency, not as a lower offered rate.
/// </summary>
public static class RateSchedule
{
    /// <summary>
    /// Offsets for at most <paramref name="maxJobs"/> jobs within <paramref name="duration"/> (a burst ignores the
    /// duration). Poisson gaps are exponential with mean 1/rate, drawn from <paramref name="seed"/> so runs repeat.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Create(Arrival arrival, double rate, int maxJobs, TimeSpan duration, int seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxJobs);
        if (arrival == Arrival.Burst)
        {
            return Enumerable.Repeat(TimeSpan.Zero, maxJobs).ToList();
        }

        if (!(rate > 0) || double.IsInfinity(rate))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "The rate must be a positive number of jobs per second.");
        }

        var random = new Random(seed);
        var offsets = new List<TimeSpan>();
        var t = 0.0;
        while (offsets.Count < maxJobs)
        {
            var offset = TimeSpan.FromSeconds(t);
            if (offset > duration)
            {
                break;
            }

            offsets.Add(offset);
            // 1 - NextDouble() is in (0, 1]: never log(0).
            t += arrival == Arrival.Constant ? 1.0 / rate : -Math.Log(1.0 - random.NextDouble()) / rate;
        }

        return offsets;
    }
}
