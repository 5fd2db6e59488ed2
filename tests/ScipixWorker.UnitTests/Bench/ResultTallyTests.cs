using ScipixWorker.Cli.Bench;

namespace ScipixWorker.UnitTests.Bench;

public sealed class ResultTallyTests
{
    [Fact]
    public async Task The_round_completes_when_every_job_has_its_first_result_and_keeps_that_result()
    {
        var tally = new ResultTally();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        tally.Begin([a, b]);

        tally.Arrived(a, recognized: true, timestamp: 10);
        Assert.False(tally.AllArrived.IsCompleted);
        tally.Arrived(b, recognized: false, timestamp: 20);

        await tally.AllArrived.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.True(tally.TryGet(a, out var first));
        Assert.Equal((10L, true), first);
        Assert.True(tally.TryGet(b, out var second));
        Assert.Equal((20L, false), second);
        Assert.Equal(20, tally.LastArrival);
        Assert.Equal(0, tally.Duplicates);
    }

    [Fact]
    public void A_second_result_for_a_job_is_a_duplicate_and_does_not_replace_the_first()
    {
        var tally = new ResultTally();
        Guid a = Guid.NewGuid(), b = Guid.NewGuid();
        tally.Begin([a, b]);

        tally.Arrived(a, recognized: true, timestamp: 10);
        tally.Arrived(a, recognized: false, timestamp: 30);
        tally.Arrived(a, recognized: true, timestamp: 40);

        Assert.Equal(2, tally.Duplicates);
        Assert.True(tally.TryGet(a, out var kept));
        Assert.Equal((10L, true), kept);
        // A duplicate is not a first result: b still waits.
        Assert.False(tally.AllArrived.IsCompleted);
        Assert.Equal(10, tally.LastArrival);
    }

    [Fact]
    public void Results_of_another_round_or_run_are_ignored_and_a_new_round_starts_afresh()
    {
        var tally = new ResultTally();
        Guid warmup = Guid.NewGuid(), measured = Guid.NewGuid(), stranger = Guid.NewGuid();
        tally.Begin([warmup]);
        tally.Arrived(warmup, recognized: true, timestamp: 5);
        tally.Arrived(warmup, recognized: true, timestamp: 6);
        Assert.True(tally.AllArrived.IsCompleted);
        Assert.Equal(1, tally.Duplicates);

        tally.Begin([measured]);
        Assert.False(tally.AllArrived.IsCompleted);
        Assert.Equal(0, tally.Duplicates);
        Assert.Null(tally.LastArrival);

        tally.Arrived(warmup, recognized: true, timestamp: 7);
        tally.Arrived(stranger, recognized: true, timestamp: 8);
        Assert.Equal(0, tally.Duplicates);
        Assert.False(tally.TryGet(warmup, out _));
        Assert.False(tally.AllArrived.IsCompleted);

        tally.Arrived(measured, recognized: true, timestamp: 9);
        Assert.True(tally.AllArrived.IsCompleted);
    }

    [Fact]
    public void A_round_of_no_jobs_is_complete_at_once()
    {
        var tally = new ResultTally();
        tally.Begin([]);
        Assert.True(tally.AllArrived.IsCompleted);
    }

    [Fact]
    public async Task Concurrent_results_count_each_job_once_and_every_extra_as_a_duplicate()
    {
        var tally = new ResultTally();
        var jobs = Enumerable.Range(0, 500).Select(_ => Guid.NewGuid()).ToArray();
        tally.Begin(jobs);

        // Every job answered three times, from four threads at once.
        await Parallel.ForEachAsync(jobs.Concat(jobs).Concat(jobs), new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = TestContext.Current.CancellationToken },
            (job, _) =>
            {
                tally.Arrived(job, recognized: true);
                return ValueTask.CompletedTask;
            });

        await tally.AllArrived.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(1000, tally.Duplicates);
        Assert.All(jobs, job => Assert.True(tally.TryGet(job, out _)));
    }
}
