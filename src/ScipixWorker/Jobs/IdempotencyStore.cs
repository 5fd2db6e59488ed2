namespace ScipixWorker.Jobs;

/// <summary>Where a replica keeps the idempotency keys of its jobs (<c>Worker:IdempotencyStore</c>).</summary>
public enum IdempotencyStore
{
    /// <summary>In-process only: each replica remembers its own jobs until it restarts.</summary>
    Memory,

    /// <summary>
    /// In-process, and shared by every replica through one blob per key in <c>BlobStorage:IdempotencyContainer</c>
    /// (docs/worker.md, "Idempotency and the result cache").
    /// </summary>
    Blob,
}
