using ScipixWorker.Jobs;

namespace ScipixWorker.Observability;

/// <summary>
/// Whether the worker is getting anywhere: how many jobs are in flight and when one last finished (any outcome). Jobs
/// in flight with none finishing for <see cref="WorkerOptions.StallTimeout"/> is a wedged worker (a native call that
/// never returns, a deadlock): <see cref="JobProgressHealthCheck"/> then fails <c>/health/live</c>, so that the
/// orchestrator restarts the process and the broker redelivers its jobs elsewhere.
/// </summary>
internal sealed class JobProgress(TimeProvider time)
{
    private long _inFlight;
    private long _lastProgressTicks = time.GetUtcNow().UtcTicks;

    public long InFlight => Interlocked.Read(ref _inFlight);

    /// <summary>A job started; the first after an idle spell starts the clock afresh (idle time is not a stall).</summary>
    public void Started()
    {
        if (Interlocked.Increment(ref _inFlight) == 1)
        {
            Touch();
        }
    }

    /// <summary>A job ended: answered, skipped as a repeat, or put back on the queue.</summary>
    public void Finished()
    {
        Interlocked.Decrement(ref _inFlight);
        Touch();
    }

    /// <summary>How long since a job last finished (or the first of the jobs now in flight started).</summary>
    public TimeSpan SinceProgress => time.GetUtcNow() - new DateTimeOffset(Interlocked.Read(ref _lastProgressTicks), TimeSpan.Zero);

    private void Touch() => Interlocked.Exchange(ref _lastProgressTicks, time.GetUtcNow().UtcTicks);
}
