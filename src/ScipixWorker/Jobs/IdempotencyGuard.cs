using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;
using ScipixWorker.Storage;

namespace ScipixWorker.Jobs;

/// <summary>
/// Makes a job run once per idempotency key (or JobId) within <see cref="WorkerOptions.IdempotencyWindow"/>:
/// a repeat that arrives after the first produced its result is acknowledged without a second result, and one that
/// arrives while the first still runs here waits for that run's outcome. Always in-process; with <see cref="IdempotencyStore.Blob"/> also across replicas and
/// restarts (<see cref="BlobIdempotencyStore"/>). If that store cannot be reached the guard fails open: the
/// job runs (a possible duplicate result, never a lost job). docs/worker.md.
/// </summary>
internal sealed class IdempotencyGuard(IOptions<WorkerOptions> options, TimeProvider time, ILogger<IdempotencyGuard> logger, BlobIdempotencyStore? shared = null)
{
    // The keys whose job published its final outcome here (or, with the shared store, anywhere), for the window.
    private readonly BoundedLruCache<string, bool> _done = new(
        options.Value.IdempotencyCapacity, options.Value.IdempotencyCapacity, options.Value.IdempotencyWindow, time);

    // The keys claimed in this process whose job still runs, each with what a repeat delivered meanwhile waits for.
    private readonly Dictionary<string, TaskCompletionSource> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public static string KeyOf(RecognizeDocument job) =>
        string.IsNullOrEmpty(job.IdempotencyKey) ? $"job:{job.JobId:N}" : $"key:{job.IdempotencyKey}";

    /// <summary>Where the keys live, for the start-up log.</summary>
    public string Describe() => shared is null
        ? "in-process (each replica remembers its own jobs)"
        : $"shared by replicas in blob container {shared.ContainerName} (lease {shared.Lease.TotalSeconds:F0} s)";

    /// <summary>
    /// Claims the key. The claim says whether the job may run, is a repeat, or is being run by another replica
    /// right now (then put it back on the queue). Complete or abandon a running claim, then dispose it.
    /// A repeat delivered while the job still runs in this process waits for that run: it is a repeat once the run
    /// published its result, and runs the job itself if the run ended without one. Refusing it at once lost the job
    /// where the run then could not publish: a broker restart redelivers the jobs in flight while their first runs
    /// still wait to publish on the connection that went away (docs/worker.md, "Broker restarts").
    /// </summary>
    public async Task<IdempotencyClaim> BeginAsync(string key, Guid jobId, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task running;
            lock (_gate)
            {
                if (!_running.TryGetValue(key, out var run))
                {
                    if (_done.TryGet(key, out _))
                    {
                        return IdempotencyClaim.Repeat;
                    }

                    _running[key] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    break;
                }

                running = run.Task;
            }

            Log.JobWaitsForItsRun(logger, jobId);
            await running.WaitAsync(cancellationToken);
        }

        try
        {
            return await ClaimSharedAsync(key, jobId, cancellationToken);
        }
        catch
        {
            Ended(key, completed: false);
            throw;
        }
    }

    // The shared side of a claim this process holds for `key`: a claim to run, or a repeat or a run elsewhere (the
    // in-process claim then ended).
    private async Task<IdempotencyClaim> ClaimSharedAsync(string key, Guid jobId, CancellationToken cancellationToken)
    {
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
                Ended(key, completed: true);
                return IdempotencyClaim.Repeat;
            case ClaimOutcome.HeldElsewhere:
                Ended(key, completed: false);
                return IdempotencyClaim.Elsewhere;
            default:
                return new IdempotencyClaim(this, key, jobId, result.Claim);
        }
    }

    internal async Task CompleteAsync(string key, Guid jobId, SharedClaim? claim)
    {
        Ended(key, completed: true);
        await EndSharedAsync("complete", jobId, claim, shared => shared.CompleteAsync(claim!, CancellationToken.None));
    }

    internal async Task AbandonAsync(string key, Guid jobId, SharedClaim? claim)
    {
        Ended(key, completed: false);
        await EndSharedAsync("release", jobId, claim, shared => shared.ReleaseAsync(claim!, CancellationToken.None));
    }

    // The run of `key` in this process ended: remembered as done (a repeat from now on) or forgotten (the next delivery
    // runs it), then the repeats waiting for it look again.
    private void Ended(string key, bool completed)
    {
        TaskCompletionSource? run;
        lock (_gate)
        {
            if (completed)
            {
                _done.Set(key, true);
            }

            _running.Remove(key, out run);
        }

        run?.TrySetResult();
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
