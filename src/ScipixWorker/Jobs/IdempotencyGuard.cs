using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;
using ScipixWorker.Storage;

namespace ScipixWorker.Jobs;

/// <summary>
/// Makes a job run once per idempotency key (or JobId) within <see cref="WorkerOptions.IdempotencyWindow"/>:
/// a repeat that arrives while the first runs, or after it produced a result, is acknowledged without a
/// second result. Always in-process; with <see cref="IdempotencyStore.Blob"/> also across replicas and
/// restarts (<see cref="BlobIdempotencyStore"/>). If that store cannot be reached the guard fails open: the
/// job runs (a possible duplicate result, never a lost job). docs/worker.md.
/// </summary>
internal sealed class IdempotencyGuard(IOptions<WorkerOptions> options, TimeProvider time, ILogger<IdempotencyGuard> logger, BlobIdempotencyStore? shared = null)
{
    private readonly BoundedLruCache<string, bool> _keys = new(
        options.Value.IdempotencyCapacity, options.Value.IdempotencyCapacity, options.Value.IdempotencyWindow, time);

    public static string KeyOf(RecognizeDocument job) =>
        string.IsNullOrEmpty(job.IdempotencyKey) ? $"job:{job.JobId:N}" : $"key:{job.IdempotencyKey}";

    /// <summary>Where the keys live, for the start-up log.</summary>
    public string Describe() => shared is null
        ? "in-process (each replica remembers its own jobs)"
        : $"shared by replicas in blob container {shared.ContainerName} (lease {shared.Lease.TotalSeconds:F0} s)";

    /// <summary>
    /// Claims the key. The claim says whether the job may run, is a repeat, or is being run by another replica
    /// right now (then put it back on the queue). Complete or abandon a running claim, then dispose it.
    /// </summary>
    public async Task<IdempotencyClaim> BeginAsync(string key, Guid jobId, CancellationToken cancellationToken)
    {
        if (!_keys.TryAdd(key, false))
        {
            return IdempotencyClaim.Repeat;
        }

        if (shared is null)
        {
            return new IdempotencyClaim(this, key, jobId, null);
        }

        (ClaimOutcome Outcome, SharedClaim? Claim) result;
        try
        {
            result = await shared.TryClaimAsync(key, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _keys.Remove(key);
            throw;
        }
        catch (Exception exception)
        {
            StoreFailed("claim", jobId, exception);
            return new IdempotencyClaim(this, key, jobId, null);
        }

        switch (result.Outcome)
        {
            case ClaimOutcome.Duplicate:
                _keys.Set(key, true);
                return IdempotencyClaim.Repeat;
            case ClaimOutcome.HeldElsewhere:
                _keys.Remove(key);
                return IdempotencyClaim.Elsewhere;
            default:
                return new IdempotencyClaim(this, key, jobId, result.Claim);
        }
    }

    internal async Task CompleteAsync(string key, Guid jobId, SharedClaim? claim)
    {
        _keys.Set(key, true);
        await EndSharedAsync("complete", jobId, claim, shared => shared.CompleteAsync(claim!, CancellationToken.None));
    }

    internal async Task AbandonAsync(string key, Guid jobId, SharedClaim? claim)
    {
        _keys.Remove(key);
        await EndSharedAsync("release", jobId, claim, shared => shared.ReleaseAsync(claim!, CancellationToken.None));
    }

    /// <summary>Keeps a running claim alive until <paramref name="cancellationToken"/> (the job ended).</summary>
    internal async Task RenewUntilCancelledAsync(SharedClaim claim, Guid jobId, CancellationToken cancellationToken)
    {
        var period = shared!.Lease / 3;
        try
        {
            while (true)
            {
                await Task.Delay(period, time, cancellationToken);
                try
                {
                    if (!await shared.RenewAsync(claim, cancellationToken))
                    {
                        Log.IdempotencyClaimLost(logger, jobId);
                        return;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    StoreFailed("renew", jobId, exception); // tried again next period
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    // The shared side of ending a claim: logged and counted if the store fails (the job's outcome stands).
    private async Task EndSharedAsync(string operation, Guid jobId, SharedClaim? claim, Func<BlobIdempotencyStore, Task> end)
    {
        if (claim is null)
        {
            return;
        }

        try
        {
            await end(shared!);
        }
        catch (Exception exception)
        {
            StoreFailed(operation, jobId, exception);
        }
    }

    private void StoreFailed(string operation, Guid jobId, Exception exception)
    {
        Log.IdempotencyStoreFailed(logger, operation, jobId, exception.Message);
        WorkerMetrics.IdempotencyStoreErrorsTotal.WithLabels(operation).Inc();
    }
}
