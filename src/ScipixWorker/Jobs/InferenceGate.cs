using Microsoft.Extensions.Options;
using ScipixWorker.Observability;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Jobs;

/// <summary>
/// Runs the CPU-bound first stage of each recognition (decode, detection, cropping, orientation) on
/// Worker:MaxConcurrentInferences dedicated threads (<see cref="DedicatedThreads"/>): more would only contend,
/// and running it off the thread pool keeps MassTransit's and Kestrel's threads free. The slot is released when
/// the line crops are queued for the engine's recognition scheduler, so the next job's detection overlaps this
/// job's recognition, and crops of all jobs share recognizer batches (docs/batching.md). Jobs wait for a slot
/// asynchronously.
/// </summary>
internal sealed class InferenceGate(OcrEngine engine, IOptions<WorkerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.EffectiveConcurrentInferences);
    private readonly DedicatedThreads _threads = new(options.Value.EffectiveConcurrentInferences, "scipix-stage1", ModelArena.JoinCurrentThread);

    public OcrModelInfo Model => engine.Model;

    /// <summary>
    /// Waits for a slot (given up when <paramref name="stopWaiting"/> or <paramref name="cancellationToken"/>
    /// fires), then recognizes. <paramref name="stopWaiting"/> also gives up a job whose line crops are all
    /// still queued for recognition; only <paramref name="cancellationToken"/> cancels a recognition under way.
    /// </summary>
    public async Task<OcrDocument> RecognizeAsync(ReadOnlyMemory<byte> image, OcrMode mode, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        WorkerMetrics.InferencesWaiting.Inc();
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopWaiting, cancellationToken);
            await _slots.WaitAsync(waiting.Token);
        }
        finally
        {
            WorkerMetrics.InferencesWaiting.Dec();
        }

        Task<OcrDocument> recognition;
        try
        {
            // RecognizeAsync runs stage 1 synchronously on this thread and returns once the crops are queued.
            recognition = await _threads.Run(() => engine.RecognizeAsync(image, mode, cancellationToken, stopWaiting), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }

        return await recognition;
    }

    public void Dispose()
    {
        _threads.Dispose();
        _slots.Dispose();
    }
}
