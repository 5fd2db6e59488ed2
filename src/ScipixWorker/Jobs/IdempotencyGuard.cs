using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>
/// Makes a job run once per idempotency key (or JobId) within <see cref="WorkerOptions.IdempotencyWindow"/>:
/// a repeat that arrives while the first runs, or after it produced a result, is acknowledged without a
/// second result. In-process: each replica remembers only its own jobs (docs/idempotency.md).
/// </summary>
internal sealed class IdempotencyGuard(IOptions<WorkerOptions> options, TimeProvider time)
{
    private readonly BoundedLruCache<string, bool> _keys = new(
        options.Value.IdempotencyCapacity, options.Value.IdempotencyCapacity, options.Value.IdempotencyWindow, time);

    public static string KeyOf(RecognizeDocument job) =>
        string.IsNullOrEmpty(job.IdempotencyKey) ? $"job:{job.JobId:N}" : $"key:{job.IdempotencyKey}";

    /// <summary>Claims the key; false when another delivery of the same job has it or had it.</summary>
    public bool TryBegin(string key) => _keys.TryAdd(key, false);

    /// <summary>The job produced its one result (success or permanent failure): keep refusing repeats.</summary>
    public void Complete(string key) => _keys.Set(key, true);

    /// <summary>The job produced no final result (cancelled, retryable failure): a later delivery may run it.</summary>
    public void Abandon(string key) => _keys.Remove(key);
}
