using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Storage;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class IdempotencyGuardTests
{
    private static readonly Guid JobId = Guid.NewGuid();
    private readonly ManualTimeProvider _time = new();

    private IdempotencyGuard CreateGuard() =>
        new(Options.Create(new WorkerOptions { IdempotencyWindow = TimeSpan.FromMinutes(10), IdempotencyCapacity = 100 }), _time, NullLogger<IdempotencyGuard>.Instance);

    private async Task<ClaimOutcome> BeginAsync(IdempotencyGuard guard, string key)
    {
        await using var claim = await guard.BeginAsync(key, JobId, CancellationToken.None);
        return claim.Outcome;
    }

    [Fact]
    public async Task A_repeat_while_the_first_runs_waits_for_it_and_is_refused_once_it_completed()
    {
        var guard = CreateGuard();

        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);
        Assert.Equal(ClaimOutcome.Claimed, first.Outcome);
        var repeat = guard.BeginAsync("k", JobId, TestContext.Current.CancellationToken);
        Assert.Equal(ClaimOutcome.Claimed, await BeginAsync(guard, "other"));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(repeat.IsCompleted);

        await first.CompleteAsync();

        await using var second = await repeat.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(ClaimOutcome.Duplicate, second.Outcome);
        Assert.Equal(ClaimOutcome.Duplicate, await BeginAsync(guard, "k"));
    }

    [Fact]
    public async Task A_repeat_waiting_for_a_run_that_ends_without_a_result_runs_the_job_itself()
    {
        var guard = CreateGuard();
        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);
        var repeats = new[]
        {
            guard.BeginAsync("k", JobId, TestContext.Current.CancellationToken),
            guard.BeginAsync("k", JobId, TestContext.Current.CancellationToken),
        };

        // The first run could not publish (the broker went away): its redelivery must run the job, not drop it.
        await first.AbandonAsync();

        var claimed = await Task.WhenAny(repeats).WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        var winner = await claimed;
        Assert.Equal(ClaimOutcome.Claimed, winner.Outcome);
        var other = repeats.Single(r => r != claimed);
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.False(other.IsCompleted); // waits for the new run in turn

        await winner.CompleteAsync();
        Assert.Equal(ClaimOutcome.Duplicate, (await other.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).Outcome);
    }

    [Fact]
    public async Task A_waiting_repeat_gives_up_when_its_delivery_is_cancelled_and_the_run_goes_on()
    {
        var guard = CreateGuard();
        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var repeat = guard.BeginAsync("k", JobId, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => repeat);
        await first.CompleteAsync();
        Assert.Equal(ClaimOutcome.Duplicate, await BeginAsync(guard, "k"));
    }

    [Fact]
    public async Task A_claim_disposed_of_without_an_end_is_abandoned()
    {
        var guard = CreateGuard();
        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);
        var repeat = guard.BeginAsync("k", JobId, TestContext.Current.CancellationToken);

        await first.DisposeAsync();

        await using var second = await repeat.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
        Assert.Equal(ClaimOutcome.Claimed, second.Outcome);
    }

    [Fact]
    public async Task An_abandoned_job_may_run_again()
    {
        var guard = CreateGuard();
        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);

        await first.AbandonAsync();

        Assert.Equal(ClaimOutcome.Claimed, await BeginAsync(guard, "k"));
    }

    [Fact]
    public async Task A_claim_ends_once()
    {
        var guard = CreateGuard();
        var first = await guard.BeginAsync("k", JobId, CancellationToken.None);

        await first.CompleteAsync();
        await first.AbandonAsync(); // too late: the result was published, repeats stay refused
        await first.DisposeAsync();

        Assert.Equal(ClaimOutcome.Duplicate, await BeginAsync(guard, "k"));
    }

    [Fact]
    public async Task A_key_is_forgotten_after_the_window()
    {
        var guard = CreateGuard();
        await (await guard.BeginAsync("k", JobId, CancellationToken.None)).CompleteAsync();

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.Equal(ClaimOutcome.Claimed, await BeginAsync(guard, "k"));
    }

    [Fact]
    public void Without_a_shared_store_the_keys_are_described_as_in_process()
    {
        Assert.StartsWith("in-process", CreateGuard().Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void With_the_blob_store_the_keys_are_described_as_shared_naming_the_container_and_lease()
    {
        var worker = Options.Create(new WorkerOptions { IdempotencyStore = IdempotencyStore.Blob, IdempotencyLease = TimeSpan.FromSeconds(45) });
        var store = new BlobIdempotencyStore(
            new Azure.Storage.Blobs.BlobServiceClient(new Uri("http://127.0.0.1:9/devstoreaccount1")), // never called here
            Options.Create(new BlobStorageOptions { IdempotencyContainer = "keys-here" }), worker, _time);

        var description = new IdempotencyGuard(worker, _time, NullLogger<IdempotencyGuard>.Instance, store).Describe();

        Assert.Equal("shared by replicas in blob container keys-here (lease 45 s)", description);
    }

    [Fact]
    public void The_key_is_the_idempotency_key_or_else_the_job_id()
    {
        var jobId = Guid.Parse("6c5428c9-ee13-4d2d-a49e-21e2d5298e89");
        var image = new ImageLocation("c", "b");

        Assert.Equal("key:abc", IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image, IdempotencyKey: "abc")));
        Assert.Equal("job:6c5428c9ee134d2da49e21e2d5298e89", IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image)));
        Assert.NotEqual(
            IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image, IdempotencyKey: "job:6c5428c9ee134d2da49e21e2d5298e89")),
            IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image)));
    }
}
