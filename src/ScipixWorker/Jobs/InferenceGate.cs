using Microsoft.Extensions.Options;
using ScipixWorker.Observability;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Jobs;

/// <summary>
/// Runs recognitions on at most Worker:MaxConcurrentInferences dedicated threads: OCR is CPU-bound, so more
/// would only contend, and running it off the thread pool keeps MassTransit's and Kestrel's threads free.
/// Jobs wait for a slot asynchronously.
/// </summary>
internal sealed class InferenceGate(OcrEngine engine, IOptions<WorkerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.EffectiveConcurrentInferences);

    public OcrModelInfo Model => engine.Model;

    /// <summary>
    /// Waits for a slot (given up when <paramref name="stopWaiting"/> or <paramref name="cancellationToken"/>
    /// fires), then recognizes; only <paramref name="cancellationToken"/> cancels a recognition under way.
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

        try
        {
            return await Task.Factory.StartNew(
                () => engine.Recognize(image, mode, cancellationToken),
                cancellationToken,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default);
        }
        finally
        {
            _slots.Release();
        }
    }

    public void Dispose() => _slots.Dispose();
}
