using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class MemoryBudgetTests
{
    private static readonly TimeSpan Soon = TimeSpan.FromSeconds(5);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Leases_that_fit_are_granted_at_once_and_returned_on_dispose()
    {
        var budget = new MemoryBudget(100);

        var first = budget.Acquire(60, Ct);
        var second = budget.Acquire(40, Ct);
        Assert.Equal(100, budget.InUse);

        first.Dispose();
        first.Dispose(); // a second dispose returns nothing more
        Assert.Equal(40, budget.InUse);
        second.Dispose();
        Assert.Equal((0L, 0L), (budget.InUse, budget.Waits));
    }

    [Fact]
    public async Task The_fall_is_the_most_the_leased_bytes_dropped_below_their_peak_since_the_last_reset()
    {
        var budget = new MemoryBudget(100);
        budget.Acquire(30, Ct).Dispose();
        Assert.Equal(30, budget.Fall);

        // Rising to a peak is no fall; coming down from it is, by what was freed at once.
        var held = budget.Acquire(50, Ct);
        var second = budget.Acquire(40, Ct);
        Assert.Equal(30, budget.Fall);
        second.Dispose();
        Assert.Equal(40, budget.Fall);

        budget.ResetFall();
        Assert.Equal(0, budget.Fall);

        // A lease that ends while another waits falls to what is left before the waiting one takes its share.
        var waiting = Waiting(budget, 60, Ct);
        await WaitUntil(() => budget.Waiting == 1);
        held.Dispose();
        var granted = await waiting.WaitAsync(Soon, Ct);
        Assert.Equal((50L, 60L), (budget.Fall, budget.InUse));
        granted.Dispose();
        Assert.Equal(60, budget.Fall);
    }

    [Fact]
    public async Task A_lease_larger_than_the_budget_takes_all_of_it_and_runs_alone()
    {
        var budget = new MemoryBudget(100);
        var huge = budget.Acquire(1_000, Ct);
        Assert.Equal(100, huge.Bytes);

        var small = Waiting(budget, 1, Ct);
        await WaitUntil(() => budget.Waiting == 1);
        huge.Dispose();

        (await small.WaitAsync(Soon, Ct)).Dispose();
        Assert.Equal((0L, 1L), (budget.InUse, budget.Waits));
    }

    [Fact]
    public async Task Waiters_are_granted_in_arrival_order_so_a_large_run_is_not_starved()
    {
        var budget = new MemoryBudget(100);
        var held = budget.Acquire(50, Ct);

        // The large request arrives first and does not fit; the small one behind it would fit (50 + 10) but
        // queues behind it (else Waiting would never reach 2).
        var large = Waiting(budget, 80, Ct);
        await WaitUntil(() => budget.Waiting == 1);
        var small = Waiting(budget, 10, Ct);
        await WaitUntil(() => budget.Waiting == 2);
        Assert.Equal(50, budget.InUse);

        held.Dispose();
        var leases = await Task.WhenAll(large, small).WaitAsync(Soon, Ct);

        Assert.Equal(90, budget.InUse);
        foreach (var lease in leases)
        {
            lease.Dispose();
        }

        Assert.Equal((0L, 2L), (budget.InUse, budget.Waits));
    }

    [Fact]
    public async Task A_cancelled_wait_leaves_the_budget_as_it_was_and_lets_the_next_waiter_in()
    {
        var budget = new MemoryBudget(100);
        var held = budget.Acquire(70, Ct);
        using var cancel = new CancellationTokenSource();
        var cancelled = Waiting(budget, 50, cancel.Token);
        await WaitUntil(() => budget.Waiting == 1);
        var next = Waiting(budget, 20, Ct);
        await WaitUntil(() => budget.Waiting == 2);

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        var lease = await next.WaitAsync(Soon, Ct);
        Assert.Equal(90, budget.InUse);
        lease.Dispose();
        held.Dispose();
        Assert.Equal((0L, 0), (budget.InUse, budget.Waiting));
    }

    [Fact]
    public void Concurrent_leases_never_exceed_the_budget()
    {
        var budget = new MemoryBudget(1_000);
        long inUse = 0, peak = 0;
        Parallel.For(0, 2_000, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, i =>
        {
            var bytes = 50 + (i * 37 % 600);
            using var lease = budget.Acquire(bytes, Ct);
            var now = Interlocked.Add(ref inUse, bytes);
            InterlockedMax(ref peak, now);
            Thread.SpinWait(200);
            Interlocked.Add(ref inUse, -bytes);
        });

        Assert.InRange(peak, 1, 1_000);
        Assert.Equal(0, budget.InUse);
    }

    [Fact]
    public void An_unlimited_budget_never_waits()
    {
        var budget = MemoryBudget.Unlimited;
        using var a = budget.Acquire(long.MaxValue, Ct);
        using var b = budget.Acquire(long.MaxValue, Ct);
        Assert.Equal((0L, 0L, long.MaxValue), (budget.InUse, budget.Waits, budget.Share(3)));
    }

    [Fact]
    public void A_share_is_an_equal_part_of_the_budget()
    {
        Assert.Equal(25, new MemoryBudget(100).Share(4));
        Assert.Equal(100, new MemoryBudget(100).Share(0));
    }

    // Acquire blocks its thread: each waiter gets a thread of its own.
    private static Task<MemoryBudget.Lease> Waiting(MemoryBudget budget, long bytes, CancellationToken token) =>
        Task.Factory.StartNew(() => budget.Acquire(bytes, token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Soon;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(5, Ct);
        }
    }

    private static void InterlockedMax(ref long target, long value)
    {
        long current;
        while ((current = Interlocked.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
