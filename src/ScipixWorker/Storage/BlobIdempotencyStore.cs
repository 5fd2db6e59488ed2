using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;

namespace ScipixWorker.Storage;

/// <summary>
/// Idempotency keys shared by every replica: one empty blob per key (named by the key's SHA-256, under the queue's
/// name) whose metadata says that the job is running and until when that claim holds, or that it is done and until
/// when repeats are refused. A claim is created with If-None-Match: * and taken over with If-Match on the ETag just
/// read, so two replicas never both win a key; the storage account arbitrates, no clock is compared across
/// replicas except for the expiry (keep them NTP-synchronized). docs/worker.md, "Idempotency and the result cache".
/// <para>
/// A running claim that ran out is a run lost: its replica stopped (a crash, an out-of-memory kill, a lost node) before
/// it answered the job. The replica that takes it over counts it in the claim (<see cref="LostKey"/>), and a run that
/// ends without a final answer deletes the claim, so the count is the key's runs lost in a row: what
/// <c>Worker:DeliveryLimit</c> stops, on a classic queue too (a quorum queue counts deliveries itself).
/// </para>
/// </summary>
internal sealed class BlobIdempotencyStore
{
    public const string StateKey = "state";
    public const string ExpiresKey = "expires";
    public const string OwnerKey = "owner";
    public const string LostKey = "lost";
    public const string Running = "running";
    public const string Done = "done";

    private readonly WritableContainer _container;
    private readonly string _queue;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _window;
    private readonly TimeProvider _time;

    public BlobIdempotencyStore(BlobServiceClient service, IOptions<BlobStorageOptions> storage, IOptions<WorkerOptions> worker, TimeProvider time)
    {
        _container = new WritableContainer(service.GetBlobContainerClient(storage.Value.IdempotencyContainer));
        _queue = worker.Value.QueueName;
        _lease = worker.Value.IdempotencyLease;
        _window = worker.Value.IdempotencyWindow;
        _time = time;
    }

    /// <summary>Says which replica and process wrote a claim (for whoever reads the blobs).</summary>
    public string Owner { get; init; } = $"{Ascii(Environment.MachineName)}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>How long a repeat waits for a claim that another replica holds before it gives up (and is put back on the queue).</summary>
    public TimeSpan HeldWait { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a waiting repeat reads the other replica's claim again.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a claim holds without renewal (Worker:IdempotencyLease).</summary>
    public TimeSpan Lease => _lease;

    public string ContainerName => _container.Client.Name;

    /// <summary>The blob that holds <paramref name="key"/> of the jobs on <paramref name="queue"/>: keys are per queue.</summary>
    public static string BlobName(string queue, string key) => $"{queue}/{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))}";

    /// <summary>
    /// Claims the key for this replica, or says that it is done (a repeat), or that another replica has held it
    /// for longer than <see cref="HeldWait"/>. A claim that ran out (its replica died) or a result older than the
    /// window is taken over.
    /// </summary>
    public async Task<(ClaimOutcome Outcome, SharedClaim? Claim)> TryClaimAsync(string key, CancellationToken cancellationToken)
    {
        var blob = _container.Client.GetBlobClient(BlobName(_queue, key));
        var giveUpAt = _time.GetUtcNow() + HeldWait;
        while (true)
        {
            if (await TryWriteAsync(blob, RunningMetadata(0), new BlobRequestConditions { IfNoneMatch = ETag.All }, cancellationToken) is { } created)
            {
                return (ClaimOutcome.Claimed, new SharedClaim(blob, created));
            }

            BlobProperties properties;
            try
            {
                properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken)).Value;
            }
            catch (RequestFailedException exception) when (exception.Status == 404)
            {
                continue; // released between the two calls: try to create it again
            }

            switch (Decide(properties.Metadata, _time.GetUtcNow()))
            {
                case ClaimVerdict.Duplicate:
                    return (ClaimOutcome.Duplicate, null);
                case ClaimVerdict.TakeOver:
                    var lost = LostRuns(properties.Metadata);
                    if (await TryWriteAsync(blob, RunningMetadata(lost), new BlobRequestConditions { IfMatch = properties.ETag }, cancellationToken) is { } taken)
                    {
                        return (ClaimOutcome.Claimed, new SharedClaim(blob, taken) { LostRuns = lost });
                    }

                    continue; // another replica changed it first: read it again
                default:
                    if (_time.GetUtcNow() >= giveUpAt)
                    {
                        return (ClaimOutcome.HeldElsewhere, null);
                    }

                    await Task.Delay(PollInterval, _time, cancellationToken);
                    continue;
            }
        }
    }

    /// <summary>Extends a running claim by a lease; false when another replica took it over meanwhile.</summary>
    public async Task<bool> RenewAsync(SharedClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            var info = await claim.Blob.SetMetadataAsync(RunningMetadata(claim.LostRuns), new BlobRequestConditions { IfMatch = claim.ETag }, cancellationToken);
            claim.ETag = info.Value.ETag;
            return true;
        }
        catch (RequestFailedException exception) when (exception.Status is 404 or 412)
        {
            return false;
        }
    }

    /// <summary>The job published its one result: refuse repeats for the window. Written whoever holds the claim now.</summary>
    public Task CompleteAsync(SharedClaim claim, CancellationToken cancellationToken) =>
        claim.Blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = Metadata(Done, _window) }, cancellationToken);

    /// <summary>The job produced no final result: let the next delivery run it (unless another replica took the claim over).</summary>
    public async Task ReleaseAsync(SharedClaim claim, CancellationToken cancellationToken)
    {
        try
        {
            await claim.Blob.DeleteIfExistsAsync(conditions: new BlobRequestConditions { IfMatch = claim.ETag }, cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 412)
        {
            // Taken over: not ours to delete.
        }
    }

    /// <summary>What a replica that finds a key's blob does (pure; unit-tested).</summary>
    public static ClaimVerdict Decide(IDictionary<string, string> metadata, DateTimeOffset now)
    {
        if (!metadata.TryGetValue(StateKey, out var state)
            || !metadata.TryGetValue(ExpiresKey, out var expiresText)
            || !DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var expires)
            || expires <= now)
        {
            return ClaimVerdict.TakeOver; // ran out, or not written by this worker
        }

        return state == Done ? ClaimVerdict.Duplicate : ClaimVerdict.Wait;
    }

    /// <summary>
    /// The runs lost in a row that taking over a key's blob with <paramref name="metadata"/> makes (pure; unit-tested): a
    /// running claim that ran out is one more than it counted; a result that ran out, or a blob this worker did not
    /// write, none.
    /// </summary>
    public static int LostRuns(IDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(StateKey, out var state) || state != Running)
        {
            return 0;
        }

        return metadata.TryGetValue(LostKey, out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var counted)
            ? counted + 1
            : 1;
    }

    private Dictionary<string, string> RunningMetadata(int lost)
    {
        var metadata = Metadata(Running, _lease);
        metadata[LostKey] = lost.ToString(CultureInfo.InvariantCulture);
        return metadata;
    }

    private Dictionary<string, string> Metadata(string state, TimeSpan validFor) => new()
    {
        [StateKey] = state,
        [ExpiresKey] = (_time.GetUtcNow() + validFor).ToString("O", CultureInfo.InvariantCulture),
        [OwnerKey] = Owner,
    };

    // The new ETag, or null when the condition failed (the blob exists / changed).
    private Task<ETag?> TryWriteAsync(BlobClient blob, Dictionary<string, string> metadata, BlobRequestConditions conditions, CancellationToken cancellationToken) =>
        _container.WriteAsync<ETag?>(
            async (_, token) =>
            {
                try
                {
                    var info = await blob.UploadAsync(BinaryData.Empty, new BlobUploadOptions { Metadata = metadata, Conditions = conditions }, token);
                    return info.Value.ETag;
                }
                catch (RequestFailedException exception) when (exception.Status is 409 or 412)
                {
                    return null;
                }
            },
            cancellationToken);

    private static string Ascii(string text) => new(text.Select(c => c is > ' ' and < (char)127 ? c : '-').ToArray());
}

/// <summary>What a replica does about a key's blob it did not create.</summary>
internal enum ClaimVerdict
{
    /// <summary>Its claim or its result ran out (or it is not ours): claim it.</summary>
    TakeOver,

    /// <summary>The job is done and inside the window: a repeat.</summary>
    Duplicate,

    /// <summary>Another replica is running it now.</summary>
    Wait,
}

/// <summary>This replica's hold on a key's blob: the blob and the ETag of its last write.</summary>
internal sealed class SharedClaim(BlobClient blob, ETag etag)
{
    public BlobClient Blob { get; } = blob;

    /// <summary>Runs of the job lost before this one took the key over (<see cref="BlobIdempotencyStore.LostRuns"/>).</summary>
    public int LostRuns { get; init; }

    public ETag ETag { get; set; } = etag;
}
