using ScipixWorker.Storage;

namespace ScipixWorker.Jobs;

/// <summary>What <see cref="IdempotencyGuard.BeginAsync"/> found.</summary>
internal enum ClaimOutcome
{
    /// <summary>This delivery runs the job.</summary>
    Claimed,

    /// <summary>The job ran already (here, or where the shared store says): acknowledge without an event.</summary>
    Duplicate,

    /// <summary>Another replica is running it now: put this delivery back on the queue.</summary>
    HeldElsewhere,
}

/// <summary>
/// One delivery's hold on its job's idempotency key. A claimed key ends with <see cref="CompleteAsync"/> (a final
/// result was published) or <see cref="AbandonAsync"/> (no final result: a later delivery may run it); while the
/// job runs, a shared claim is renewed in the background.
/// </summary>
internal sealed class IdempotencyClaim : IAsyncDisposable
{
    public static readonly IdempotencyClaim Repeat = new(ClaimOutcome.Duplicate);
    public static readonly IdempotencyClaim Elsewhere = new(ClaimOutcome.HeldElsewhere);

    private readonly IdempotencyGuard? _guard;
    private readonly string _key = string.Empty;
    private readonly Guid _jobId;
    private readonly SharedClaim? _shared;
    private readonly CancellationTokenSource? _stopRenewal;
    private readonly Task _renewal = Task.CompletedTask;
    private bool _ended;

    public IdempotencyClaim(IdempotencyGuard guard, string key, Guid jobId, SharedClaim? shared)
    {
        Outcome = ClaimOutcome.Claimed;
        _guard = guard;
        _key = key;
        _jobId = jobId;
        _shared = shared;
        if (shared is not null)
        {
            _stopRenewal = new CancellationTokenSource();
            _renewal = guard.RenewUntilCancelledAsync(shared, jobId, _stopRenewal.Token);
        }
    }

    private IdempotencyClaim(ClaimOutcome outcome) => Outcome = outcome;

    public ClaimOutcome Outcome { get; }

    /// <summary>
    /// Runs of this job that replicas lost (they stopped before answering it) in a row before this claim, as the shared
    /// store counts them; 0 without it.
    /// </summary>
    public int LostRuns => _shared?.LostRuns ?? 0;

    public async Task CompleteAsync()
    {
        if (await EndAsync())
        {
            await _guard!.CompleteAsync(_key, _jobId, _shared);
        }
    }

    public async Task AbandonAsync()
    {
        if (await EndAsync())
        {
            await _guard!.AbandonAsync(_key, _jobId, _shared);
        }
    }

    /// <summary>A claim disposed of without an end is abandoned: the job published nothing final that is known of.</summary>
    public async ValueTask DisposeAsync() => await AbandonAsync();

    // Stops the renewal once; true the first time for a claimed key.
    private async Task<bool> EndAsync()
    {
        if (Outcome != ClaimOutcome.Claimed || _ended)
        {
            return false;
        }

        _ended = true;
        if (_stopRenewal is not null)
        {
            await _stopRenewal.CancelAsync();
            await _renewal;
            _stopRenewal.Dispose();
        }

        return true;
    }
}
