using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class ByteBudgetTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_that_fit_are_granted_at_once_and_the_next_waits_for_a_release()
    {
        var budget = new ByteBudget(100);

        var first = await budget.AcquireAsync(70, Token);
        var second = budget.AcquireAsync(40, Token);

        Assert.Equal(70, first);
        Assert.False(second.IsCompleted);
        budget.Release(first);
        Assert.Equal(40, await second.WaitAsync(TimeSpan.FromSeconds(5), Token));
        Assert.Equal(40, budget.InUse);
    }

    [Fact]
    public async Task A_small_request_does_not_overtake_a_large_one_waiting_before_it()
    {
        var budget = new ByteBudget(100);
        await budget.AcquireAsync(60, Token);

        var large = budget.AcquireAsync(80, Token);
        var small = budget.AcquireAsync(10, Token); // 10 would fit now, but the large one came first

        Assert.False(small.IsCompleted);
        budget.Release(60);
        await large.WaitAsync(TimeSpan.FromSeconds(5), Token);
        await small.WaitAsync(TimeSpan.FromSeconds(5), Token);
        Assert.Equal(90, budget.InUse);
    }

    [Fact]
    public async Task A_request_larger_than_the_budget_gets_all_of_it_once_nothing_is_held()
    {
        var budget = new ByteBudget(100);
        var held = await budget.AcquireAsync(1, Token);

        var huge = budget.AcquireAsync(10_000, Token);

        Assert.False(huge.IsCompleted);
        budget.Release(held);
        Assert.Equal(100, await huge.WaitAsync(TimeSpan.FromSeconds(5), Token));
        Assert.Equal(100, budget.InUse);
    }

    [Fact]
    public async Task A_cancelled_request_at_the_head_lets_those_behind_it_through()
    {
        var budget = new ByteBudget(100);
        await budget.AcquireAsync(50, Token);
        using var cancel = new CancellationTokenSource();

        var large = budget.AcquireAsync(90, cancel.Token);
        var small = budget.AcquireAsync(30, Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => large);
        Assert.Equal(30, await small.WaitAsync(TimeSpan.FromSeconds(5), Token));
        Assert.Equal((80, 0), (budget.InUse, budget.Waiting));
    }

    [Fact]
    public async Task Many_concurrent_holders_never_exceed_the_budget_and_all_finish()
    {
        var budget = new ByteBudget(1_000);
        var peak = 0L;
        var inside = 0L;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(async () =>
        {
            var granted = await budget.AcquireAsync(1 + (i * 37 % 400), Token);
            var now = Interlocked.Add(ref inside, granted);
            InterlockedMax(ref peak, now);
            await Task.Yield();
            Interlocked.Add(ref inside, -granted);
            budget.Release(granted);
        }, Token)));

        Assert.InRange(peak, 1, 1_000);
        Assert.Equal((0, 0), (budget.InUse, budget.Waiting));
    }

    [Fact]
    public async Task An_already_cancelled_request_that_would_wait_is_refused()
    {
        var budget = new ByteBudget(10);
        await budget.AcquireAsync(10, Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => budget.AcquireAsync(5, new CancellationToken(canceled: true)));
        Assert.Equal(0, budget.Waiting);
    }

    private static void InterlockedMax(ref long target, long value)
    {
        for (var current = Interlocked.Read(ref target); value > current; current = Interlocked.Read(ref target))
        {
            if (Interlocked.CompareExchange(ref target, value, current) == current)
            {
                return;
            }
        }
    }
}
