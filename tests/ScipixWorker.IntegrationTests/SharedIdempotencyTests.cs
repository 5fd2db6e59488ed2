using System.Diagnostics;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;
using ScipixWorker.Jobs;
using ScipixWorker.Storage;

namespace ScipixWorker.IntegrationTests;

/// <summary>Idempotency keys shared by replicas through blob storage (Worker:IdempotencyStore=Blob), on the real Azurite.</summary>
public sealed class SharedIdempotencyTests : IAsyncLifetime
{
    private readonly BlobServiceClient _storage = new(TestEnvironment.BlobConnectionString, new BlobClientOptions { Retry = { MaxRetries = 0 } });
    private readonly string _container = $"it-keys-{Guid.NewGuid().ToString("N")[..12]}";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _storage.GetBlobContainerClient(_container).DeleteIfExistsAsync();

    private BlobIdempotencyStore Store(string owner, TimeSpan? lease = null, TimeSpan? window = null, TimeSpan? heldWait = null, BlobServiceClient? storage = null) =>
        new(
            storage ?? _storage,
            Options.Create(new BlobStorageOptions { IdempotencyContainer = _container }),
            Options.Create(new WorkerOptions { QueueName = "it-queue", IdempotencyLease = lease ?? TimeSpan.FromSeconds(30), IdempotencyWindow = window ?? TimeSpan.FromHours(1) }),
            TimeProvider.System)
        {
            Owner = owner,
            HeldWait = heldWait ?? TimeSpan.FromMilliseconds(300),
            PollInterval = TimeSpan.FromMilliseconds(50),
        };

    private static IdempotencyGuard Guard(BlobIdempotencyStore store) =>
        new(Options.Create(new WorkerOptions()), TimeProvider.System, NullLogger<IdempotencyGuard>.Instance, store);

    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task A_key_claimed_by_one_replica_is_held_from_the_others_until_its_result_makes_them_repeats()
    {
        var a = Store("replica-a");
        var b = Store("replica-b");

        var (claimed, claim) = await a.TryClaimAsync("key:order-1", None);
        var watch = Stopwatch.StartNew();
        var (whileRunning, _) = await b.TryClaimAsync("key:order-1", None);
        watch.Stop();
        await a.CompleteAsync(claim!, None);
        var (afterResult, _) = await b.TryClaimAsync("key:order-1", None);
        var (otherKey, _) = await b.TryClaimAsync("key:order-2", None);

        Assert.Equal(ClaimOutcome.Claimed, claimed);
        Assert.Equal(ClaimOutcome.HeldElsewhere, whileRunning);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(250), $"gave up after {watch.ElapsedMilliseconds} ms, before HeldWait");
        Assert.Equal(ClaimOutcome.Duplicate, afterResult);
        Assert.Equal(ClaimOutcome.Claimed, otherKey);
        var properties = await _storage.GetBlobContainerClient(_container).GetBlobClient(BlobIdempotencyStore.BlobName("it-queue", "key:order-1")).GetPropertiesAsync(cancellationToken: None);
        Assert.Equal(BlobIdempotencyStore.Done, properties.Value.Metadata[BlobIdempotencyStore.StateKey]);
        Assert.Equal("replica-a", properties.Value.Metadata[BlobIdempotencyStore.OwnerKey]);
    }

    [Fact]
    public async Task A_repeat_waiting_for_another_replica_sees_the_result_arrive()
    {
        var a = Store("replica-a");
        var b = Store("replica-b", heldWait: TimeSpan.FromSeconds(10));
        var (_, claim) = await a.TryClaimAsync("key:k", None);

        var waiting = b.TryClaimAsync("key:k", None);
        await Task.Delay(300, None);
        Assert.False(waiting.IsCompleted);
        await a.CompleteAsync(claim!, None);

        Assert.Equal(ClaimOutcome.Duplicate, (await waiting.WaitAsync(TimeSpan.FromSeconds(5), None)).Outcome);
    }

    [Fact]
    public async Task A_released_claim_lets_the_next_delivery_run_the_job()
    {
        var a = Store("replica-a");
        var b = Store("replica-b");
        var (_, claim) = await a.TryClaimAsync("key:k", None);

        await a.ReleaseAsync(claim!, None);

        Assert.Equal(ClaimOutcome.Claimed, (await b.TryClaimAsync("key:k", None)).Outcome);
    }

    [Fact]
    public async Task A_claim_left_by_a_dead_replica_is_taken_over_once_its_lease_runs_out()
    {
        var dead = Store("replica-dead", lease: TimeSpan.FromSeconds(1));
        var b = Store("replica-b");
        var c = Store("replica-c");
        var (_, stale) = await dead.TryClaimAsync("key:k", None);
        Assert.Equal(ClaimOutcome.HeldElsewhere, (await b.TryClaimAsync("key:k", None)).Outcome);

        await Task.Delay(TimeSpan.FromSeconds(1.2), None);
        var (takenOver, _) = await b.TryClaimAsync("key:k", None);
        await dead.ReleaseAsync(stale!, None); // the old owner wakes up: its release must not free b's claim

        Assert.Equal(ClaimOutcome.Claimed, takenOver);
        Assert.Equal(ClaimOutcome.HeldElsewhere, (await c.TryClaimAsync("key:k", None)).Outcome);
    }

    [Fact]
    public async Task Runs_lost_with_their_replicas_are_counted_on_the_key_and_a_released_run_starts_the_count_again()
    {
        var lease = TimeSpan.FromSeconds(1);
        var (_, first) = await Store("replica-a", lease).TryClaimAsync("key:k", None); // a dies while running it

        await Task.Delay(lease * 1.2, None);
        var (_, second) = await Store("replica-b", lease).TryClaimAsync("key:k", None); // and so does b
        await Task.Delay(lease * 1.2, None);
        var c = Store("replica-c");
        var (_, third) = await c.TryClaimAsync("key:k", None);
        await c.ReleaseAsync(third!, None); // c stops gracefully: the job goes back without a result, no run lost
        var (_, fourth) = await Store("replica-d").TryClaimAsync("key:k", None);

        Assert.Equal([0, 1, 2, 0], new[] { first!, second!, third!, fourth! }.Select(claim => claim.LostRuns));
    }

    [Fact]
    public async Task A_renewed_claim_keeps_the_count_of_runs_lost_before_it()
    {
        var lease = TimeSpan.FromSeconds(1);
        await Store("replica-dead", lease).TryClaimAsync("key:renewed", None);
        await Task.Delay(lease * 1.2, None);
        var guard = Guard(Store("replica-b", lease: TimeSpan.FromSeconds(1.5)));
        var blob = _storage.GetBlobContainerClient(_container).GetBlobClient(BlobIdempotencyStore.BlobName("it-queue", "key:renewed"));

        await using var claim = await guard.BeginAsync("key:renewed", Guid.NewGuid(), None);
        var taken = (await blob.GetPropertiesAsync(cancellationToken: None)).Value;
        await Task.Delay(TimeSpan.FromSeconds(2.5), None); // renewed several times (every third of the lease)
        var renewed = (await blob.GetPropertiesAsync(cancellationToken: None)).Value;

        Assert.Equal(1, claim.LostRuns);
        Assert.NotEqual(taken.ETag, renewed.ETag);
        Assert.Equal("1", renewed.Metadata[BlobIdempotencyStore.LostKey]);
    }

    [Fact]
    public async Task A_long_job_keeps_its_claim_by_renewing_it()
    {
        var guard = Guard(Store("replica-a", lease: TimeSpan.FromSeconds(1.5)));
        var other = Store("replica-b");

        await using var claim = await guard.BeginAsync("key:long", Guid.NewGuid(), None);
        await Task.Delay(TimeSpan.FromSeconds(3.5), None); // more than twice the lease
        var (whileRunning, _) = await other.TryClaimAsync("key:long", None);
        await claim.CompleteAsync();

        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
        Assert.Equal(ClaimOutcome.HeldElsewhere, whileRunning);
        Assert.Equal(ClaimOutcome.Duplicate, (await other.TryClaimAsync("key:long", None)).Outcome);
    }

    [Fact]
    public async Task A_result_older_than_the_window_no_longer_refuses_the_key()
    {
        var a = Store("replica-a", window: TimeSpan.FromSeconds(1));
        var b = Store("replica-b");
        var (_, claim) = await a.TryClaimAsync("key:k", None);
        await a.CompleteAsync(claim!, None);
        Assert.Equal(ClaimOutcome.Duplicate, (await b.TryClaimAsync("key:k", None)).Outcome);

        await Task.Delay(TimeSpan.FromSeconds(1.2), None);

        Assert.Equal(ClaimOutcome.Claimed, (await b.TryClaimAsync("key:k", None)).Outcome);
    }

    [Fact]
    public async Task Of_many_replicas_claiming_one_key_at_once_exactly_one_wins()
    {
        var stores = Enumerable.Range(0, 8).Select(i => Store($"replica-{i}", heldWait: TimeSpan.Zero)).ToList();
        await stores[0].TryClaimAsync("key:warm-up", None); // the container exists before the race

        var outcomes = await Task.WhenAll(stores.Select(s => s.TryClaimAsync("key:contended", None)));

        Assert.Single(outcomes, o => o.Outcome == ClaimOutcome.Claimed);
        Assert.All(outcomes.Where(o => o.Outcome != ClaimOutcome.Claimed), o => Assert.Equal(ClaimOutcome.HeldElsewhere, o.Outcome));
    }

    [Fact]
    public async Task A_container_deleted_while_the_worker_runs_is_created_again()
    {
        var store = Store("replica-a");
        Assert.Equal(ClaimOutcome.Claimed, (await store.TryClaimAsync("key:before", None)).Outcome);

        await _storage.GetBlobContainerClient(_container).DeleteAsync(cancellationToken: None);
        var after = await store.TryClaimAsync("key:after", None); // Azurite frees the name at once (Azure: after a while)

        Assert.Equal(ClaimOutcome.Claimed, after.Outcome);
    }

    [Fact]
    public async Task An_identity_that_may_write_blobs_but_not_create_containers_still_claims_keys()
    {
        await _storage.GetBlobContainerClient(_container).CreateIfNotExistsAsync(cancellationToken: None);
        var objectsOnly = ObjectsOnlyClient();
        var denied = await Assert.ThrowsAsync<Azure.RequestFailedException>(
            () => objectsOnly.GetBlobContainerClient($"{_container}-other").CreateAsync(cancellationToken: None));
        Assert.Equal(403, denied.Status); // the premise: this identity cannot create containers
        var store = Store("replica-a", storage: objectsOnly);

        var (outcome, claim) = await store.TryClaimAsync("key:k", None);
        await store.CompleteAsync(claim!, None);

        Assert.Equal(ClaimOutcome.Claimed, outcome);
        Assert.Equal(ClaimOutcome.Duplicate, (await Store("replica-b").TryClaimAsync("key:k", None)).Outcome);
    }

    // An account SAS for blobs only (no container operations): read, write, create and delete blobs.
    private BlobServiceClient ObjectsOnlyClient()
    {
        var parts = TestEnvironment.BlobConnectionString.Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        var sas = new Azure.Storage.Sas.AccountSasBuilder(
            Azure.Storage.Sas.AccountSasPermissions.Read | Azure.Storage.Sas.AccountSasPermissions.Write
                | Azure.Storage.Sas.AccountSasPermissions.Create | Azure.Storage.Sas.AccountSasPermissions.Delete,
            DateTimeOffset.UtcNow.AddHours(1),
            Azure.Storage.Sas.AccountSasServices.Blobs,
            Azure.Storage.Sas.AccountSasResourceTypes.Object)
            .ToSasQueryParameters(new Azure.Storage.StorageSharedKeyCredential(parts["AccountName"], parts["AccountKey"]));
        return new BlobServiceClient(new Uri($"{_storage.Uri}?{sas}"), new BlobClientOptions { Retry = { MaxRetries = 0 } });
    }

    [Fact]
    public async Task An_unreachable_store_lets_the_job_run()
    {
        var unreachable = new BlobServiceClient(
            TestEnvironment.AzuriteConnectionString.Replace("127.0.0.1:10000", "127.0.0.1:9", StringComparison.Ordinal),
            new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } });
        var guard = Guard(Store("replica-a", storage: unreachable));

        await using var claim = await guard.BeginAsync("key:k", Guid.NewGuid(), None);
        await claim.CompleteAsync(); // logged, not thrown

        Assert.Equal(ClaimOutcome.Claimed, claim.Outcome);
    }

    [Theory]
    [InlineData(IdempotencyStore.Blob, 1)]
    [InlineData(IdempotencyStore.Memory, 2)] // the gap the shared store closes
    public async Task A_repeat_sent_after_a_restart_is_refused_only_with_the_shared_store(IdempotencyStore store, int results)
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:IdempotencyStore"] = store.ToString() });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, _) = SampleImages.Lines[1];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var first = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true), IdempotencyKey: $"order-{Guid.NewGuid()}");
        var repeat = first with { JobId = Guid.NewGuid() };

        await worker.SendAsync(first);
        await broker.WaitForResultsAsync([first.JobId]);
        await worker.RestartAsync();
        await worker.SendAsync(repeat);
        await Eventually.True(async () => await broker.MessageCountAsync(worker.QueueName) == 0, TimeSpan.FromSeconds(20), "the queue to drain");
        if (results == 2)
        {
            await broker.WaitForResultsAsync([repeat.JobId]);
        }

        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a duplicate would arrive now

        Assert.Equal(results, broker.For([first.JobId, repeat.JobId]).Count);
    }

    [Fact]
    public async Task On_a_classic_queue_a_job_whose_runs_were_lost_with_their_replicas_delivery_limit_times_is_answered_instead_of_run()
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:IdempotencyStore"] = "Blob", ["Worker:DeliveryLimit"] = "2" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[1];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var killer = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true), IdempotencyKey: $"killer-{Guid.NewGuid()}");
        var unlucky = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true), IdempotencyKey: $"unlucky-{Guid.NewGuid()}");

        // What replicas that died running them leave on the keys: the killer's runs lost twice, the other's once.
        var lease = TimeSpan.FromSeconds(1);
        BlobIdempotencyStore Dead(string owner) => new(
            new BlobServiceClient(TestEnvironment.BlobConnectionString),
            Options.Create(new BlobStorageOptions { IdempotencyContainer = worker.IdempotencyContainer }),
            Options.Create(new WorkerOptions { QueueName = worker.QueueName, IdempotencyLease = lease }),
            TimeProvider.System) { Owner = owner };
        await Dead("dead-1").TryClaimAsync(IdempotencyGuard.KeyOf(killer), None);
        await Dead("dead-1").TryClaimAsync(IdempotencyGuard.KeyOf(unlucky), None);
        await Task.Delay(lease * 1.2, None);
        Assert.Equal(1, (await Dead("dead-2").TryClaimAsync(IdempotencyGuard.KeyOf(killer), None)).Claim!.LostRuns);
        await Task.Delay(lease * 1.2, None);

        await worker.SendAsync(killer, unlucky);
        await broker.WaitForResultsAsync([killer.JobId, unlucky.JobId]);

        var refused = broker.For([killer.JobId]).Single();
        Assert.False(refused.Recognized);
        Assert.Equal(RecognitionErrorCodes.DeliveryLimitExceeded, refused.ErrorCode);
        Assert.True(refused.Body.GetProperty("retryable").GetBoolean());
        Assert.Contains("runs before were lost", refused.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(broker.For([unlucky.JobId]).Single().Recognized, "one run lost is under the limit: the job runs");

        // Sent again, it runs: the answer released the key.
        var again = killer with { JobId = Guid.NewGuid() };
        await worker.SendAsync(again);
        await broker.WaitForResultsAsync([again.JobId]);
        var result = broker.For([again.JobId]).Single();
        Assert.True(result.Recognized, result.ToString());
        Assert.True(SampleImages.Cer(truth, result.Text!) <= 0.1, result.Text);
    }

    [Fact]
    public async Task Copies_of_one_job_spread_over_two_replicas_give_one_result()
    {
        var settings = new Dictionary<string, string?> { ["Worker:IdempotencyStore"] = "Blob", ["Worker:MaxBatchSize"] = "2", ["Worker:ConcurrentBatches"] = "1" };
        await using var worker = new WorkerUnderTest(settings);
        await using var replica = worker.Replica();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await replica.StartAsync();
        var (file, _) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var job = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true), IdempotencyKey: $"order-{Guid.NewGuid()}");
        var copies = Enumerable.Range(0, 8).Select(_ => job with { JobId = Guid.NewGuid() }).ToArray();

        string[] ended = ["scipix_jobs_total{outcome=\"recognized\"}", "scipix_jobs_total{outcome=\"duplicate\"}"];
        var before = await worker.ScrapeMetricsAsync(); // both hosts are in this process: one registry

        await worker.SendAsync(copies); // prefetch 2 each: both replicas get copies
        await Eventually.True(
            async () =>
            {
                var now = await worker.ScrapeMetricsAsync();
                return ended.Sum(series => MetricsText.Value(now, series) - MetricsText.Value(before, series)) >= copies.Length;
            },
            TimeSpan.FromSeconds(60), "every copy to end recognized or as a duplicate (copies held elsewhere come round again)");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a second result would arrive now

        var result = Assert.Single(broker.For(copies.Select(c => c.JobId)));
        Assert.True(result.Recognized, result.ToString());
        var claim = await worker.Storage.GetBlobContainerClient(worker.IdempotencyContainer)
            .GetBlobClient(BlobIdempotencyStore.BlobName(worker.QueueName, IdempotencyGuard.KeyOf(job)))
            .GetPropertiesAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Equal(BlobIdempotencyStore.Done, claim.Value.Metadata[BlobIdempotencyStore.StateKey]);
    }
}
