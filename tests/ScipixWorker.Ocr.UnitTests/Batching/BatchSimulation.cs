using ScipixWorker.Ocr.Batching;

namespace ScipixWorker.Ocr.UnitTests.Batching;

/// <summary>
/// A discrete-event simulation of one executor fed by Poisson-like arrivals (fixed seed), driven either by
/// the controller or by a static batch size, with a modelled cost per batch size. <paramref name="largestRun"/> caps what
/// one batch takes whatever was decided, as the scheduler's memory budget does.
/// </summary>
internal sealed class BatchSimulation(Func<int, double> costSeconds, double arrivalsPerSecond, int seed = 1, int largestRun = int.MaxValue)
{
    public sealed record Result(double Throughput, double P50Latency, double P95Latency, IReadOnlyList<int> Sizes, IReadOnlyList<BatchDecision> Decisions);

    public Result Run(Func<TimeSpan, int, TimeSpan, BatchDecision> decide, Action<int, TimeSpan, TimeSpan>? observe, Action<TimeSpan>? arrive,
        int jobs = 4000)
    {
        var random = new Random(seed);
        var arrivals = new double[jobs];
        var t = 0.0;
        for (var i = 0; i < jobs; i++)
        {
            t += -Math.Log(1 - random.NextDouble()) / arrivalsPerSecond;
            arrivals[i] = t;
        }

        var latencies = new List<double>(jobs);
        var sizes = new List<int>();
        var decisions = new List<BatchDecision>();
        var clock = 0.0;
        var next = 0; // next job not yet taken
        var announced = 0; // arrivals already reported to the controller
        while (next < jobs)
        {
            if (arrivals[next] > clock)
            {
                clock = arrivals[next];
            }

            Announce(clock);
            var backlog = CountArrived(clock) - next;
            var decision = decide(TimeSpan.FromSeconds(clock), backlog, TimeSpan.FromSeconds(clock - arrivals[next]));
            decisions.Add(decision);
            var size = Math.Clamp(decision.Size, 1, largestRun);
            var start = clock;
            if (backlog < size && decision.MaxWait > TimeSpan.Zero)
            {
                // Wait until the batch is full or the wait is over, whichever comes first.
                var deadline = clock + decision.MaxWait.TotalSeconds;
                var fullAt = next + size - 1 < jobs ? arrivals[next + size - 1] : double.MaxValue;
                start = Math.Min(deadline, Math.Max(clock, fullAt));
                Announce(start);
            }

            var take = Math.Min(size, CountArrived(start) - next);
            var execution = costSeconds(take);
            var done = start + execution;
            for (var i = next; i < next + take; i++)
            {
                latencies.Add(done - arrivals[i]);
            }

            observe?.Invoke(take, TimeSpan.FromSeconds(execution), TimeSpan.FromSeconds(start - clock));
            sizes.Add(take);
            next += take;
            clock = done;
        }

        latencies.Sort();
        return new Result(jobs / (clock - arrivals[0]), latencies[latencies.Count / 2], latencies[(int)(latencies.Count * 0.95)], sizes, decisions);

        int CountArrived(double time)
        {
            var lo = 0;
            var hi = jobs;
            while (lo < hi)
            {
                var mid = (lo + hi) / 2;
                if (arrivals[mid] <= time)
                {
                    lo = mid + 1;
                }
                else
                {
                    hi = mid;
                }
            }

            return lo;
        }

        void Announce(double until)
        {
            while (announced < jobs && arrivals[announced] <= until)
            {
                arrive?.Invoke(TimeSpan.FromSeconds(arrivals[announced]));
                announced++;
            }
        }
    }

    public Result RunAdaptive(BatchingOptions options, int jobs = 4000, int? largestBatch = null)
    {
        var controller = new AdaptiveBatchController(options, largestBatch);
        return Run((now, backlog, oldestWait) => controller.Decide(now, backlog, oldestWait), (size, execution, wait) => controller.ObserveBatch(size, execution, wait),
            now => controller.ObserveArrival(now), jobs);
    }

    public Result RunStatic(int size, TimeSpan maxWait, int jobs = 4000) =>
        Run((_, _, _) => new BatchDecision(size, maxWait, BatchReason.KeepUp), null, null, jobs);
}
