using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class DedicatedThreadsTests
{
    [Fact]
    public async Task Work_runs_on_the_named_threads_and_returns_its_result()
    {
        using var threads = new DedicatedThreads(2, "test-stage");

        var (name, background, pooled) = await threads.Run(
            () => (Thread.CurrentThread.Name, Thread.CurrentThread.IsBackground, Thread.CurrentThread.IsThreadPoolThread),
            TestContext.Current.CancellationToken);

        Assert.StartsWith("test-stage-", name);
        Assert.True(background);
        Assert.False(pooled);
    }

    [Fact]
    public async Task The_same_few_threads_serve_every_item()
    {
        using var threads = new DedicatedThreads(2, "test-reuse");

        var ids = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => threads.Run(() => Environment.CurrentManagedThreadId, TestContext.Current.CancellationToken)));

        Assert.InRange(ids.Distinct().Count(), 1, 2);
    }

    [Fact]
    public async Task Work_runs_in_its_caller_s_context_and_leaves_the_thread_without_it()
    {
        using var threads = new DedicatedThreads(1, "test-context");
        using var source = new System.Diagnostics.ActivitySource("test-context");
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == "test-context",
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);

        string? seen;
        using (var span = source.StartActivity("job"))
        {
            Assert.NotNull(span);
            seen = await threads.Run(() => System.Diagnostics.Activity.Current?.Id, TestContext.Current.CancellationToken);
            Assert.Equal(span.Id, seen);
        }

        var after = await threads.Run(() => System.Diagnostics.Activity.Current, TestContext.Current.CancellationToken);
        Assert.Null(after); // the next item, sent outside the span, does not see it
    }

    [Fact]
    public async Task Each_thread_runs_its_start_action_once_before_any_item()
    {
        var started = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        using var threads = new DedicatedThreads(2, "test-start", () => started.AddOrUpdate(Environment.CurrentManagedThreadId, 1, (_, n) => n + 1));

        var ids = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => threads.Run(
            () => started.TryGetValue(Environment.CurrentManagedThreadId, out var count) ? (Environment.CurrentManagedThreadId, count) : (Environment.CurrentManagedThreadId, 0),
            TestContext.Current.CancellationToken)));

        Assert.All(ids, item => Assert.Equal(1, item.Item2)); // started before the item, exactly once
        Assert.All(ids.Select(i => i.Item1).Distinct(), id => Assert.True(started.ContainsKey(id)));
    }

    [Fact]
    public async Task No_more_items_run_at_once_than_there_are_threads()
    {
        using var threads = new DedicatedThreads(2, "test-limit");
        var running = 0;
        var most = 0;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => threads.Run(
            () =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref most, now);
                Thread.Sleep(5);
                Interlocked.Decrement(ref running);
                return 0;
            },
            TestContext.Current.CancellationToken)));

        Assert.InRange(most, 1, 2);
    }

    [Fact]
    public async Task An_exception_fails_only_its_own_item()
    {
        using var threads = new DedicatedThreads(1, "test-fault");

        var failing = threads.Run<int>(() => throw new InvalidDataException("corrupt page"), TestContext.Current.CancellationToken);
        var next = threads.Run(() => 7, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => failing);
        Assert.Equal("corrupt page", error.Message);
        Assert.Equal(7, await next);
    }

    [Fact]
    public async Task Work_cancelled_before_a_thread_takes_it_never_runs()
    {
        using var threads = new DedicatedThreads(1, "test-cancel");
        using var release = new ManualResetEventSlim();
        using var cancel = new CancellationTokenSource();
        var blocker = threads.Run(() => release.Wait(TimeSpan.FromSeconds(30)), TestContext.Current.CancellationToken);
        var ran = false;

        var queued = threads.Run(() => ran = true, cancel.Token);
        await cancel.CancelAsync();
        release.Set();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.True(await blocker);
        Assert.False(ran);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => threads.Run(() => 1, cancel.Token));
    }

    [Fact]
    public async Task Awaits_inside_the_work_continue_off_the_dedicated_threads()
    {
        using var threads = new DedicatedThreads(1, "test-await");

        var inner = await threads.Run(
            async () =>
            {
                await Task.Delay(10, TestContext.Current.CancellationToken);
                return Thread.CurrentThread.Name;
            },
            TestContext.Current.CancellationToken);

        // Stage 2 of a job (awaiting its recognition batches) must not queue behind other jobs' stage 1.
        Assert.False((await inner)?.StartsWith("test-await", StringComparison.Ordinal) ?? false);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
