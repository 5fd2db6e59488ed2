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
/// asynchronously, and a job holding a slot waits until fewer than Worker:MaxQueuedCrops line crops wait for
/// recognition, so decoding and detection never run far ahead of recognition: the oldest jobs finish first and the
/// crops waiting in memory stay few. Before that, at most Worker:ImagesAhead jobs download and hold their image while
/// they wait for a slot, the others waiting before downloading; and those images together hold at most
/// Worker:ImageBytesAhead, each job waiting, once its blob's size is known and before its body is read, for its share.
/// </summary>
internal sealed class InferenceGate(OcrEngine engine, IOptions<WorkerOptions> options) : IDisposable
{
    private readonly SemaphoreSlim _slots = new(options.Value.EffectiveConcurrentInferences);
    private readonly DedicatedThreads _threads = new(options.Value.EffectiveConcurrentInferences, "scipix-stage1", ModelArena.JoinCurrentThread);
    private readonly int _pagesInFlight = options.Value.PagesInFlightPerJob;
    private readonly int _maxQueuedCrops = options.Value.MaxQueuedCrops;
    private readonly SemaphoreSlim? _ahead = options.Value.ImagesAhead > 0 ? new(options.Value.ImagesAhead) : null;
    private readonly ByteBudget? _bytesAhead = options.Value.ImageBytesAhead > 0 ? new(options.Value.ImageBytesAhead) : null;

    public OcrModelInfo Model => engine.Model;

    /// <summary>A job's wait in the broker, for the recognition scheduler (Batching:BehindWait).</summary>
    public void ObserveUpstreamWait(TimeSpan wait) => engine.ObserveUpstreamWait(wait);

    /// <summary>
    /// Waits until the job may download its image (<c>Worker:ImagesAhead</c>): the reservation is handed back when the
    /// job takes its first stage-1 slot (<see cref="RecognizeAsync"/>), or when disposed, whichever comes first. Its
    /// bytes (<c>Worker:ImageBytesAhead</c>) are waited for with <see cref="ImageReservation.HoldBytesAsync"/> once the
    /// image's size is known.
    /// </summary>
    public async Task<ImageReservation> ReserveImageAsync(CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        if (_ahead is not null)
        {
            await WaitCountedAsync(_ahead.WaitAsync, stopWaiting, cancellationToken);
        }

        return new ImageReservation(_ahead, _bytesAhead is null ? null : new BytesWait(_bytesAhead, stopWaiting));
    }

    /// <summary>
    /// Waits for a slot (given up when <paramref name="stopWaiting"/> or <paramref name="cancellationToken"/>
    /// fires), then recognizes the pages of <paramref name="selection"/> (<see cref="PageRange.All"/>: every page). <paramref name="stopWaiting"/> also gives up a job whose line crops are all
    /// still queued for recognition; only <paramref name="cancellationToken"/> cancels a recognition under way.
    /// </summary>
    /// <remarks>
    /// A multi-page document goes through <c>Worker:PagesInFlightPerJob</c> pages at a time, each group taking a
    /// slot of its own, so its memory does not grow with its length and other jobs get slots between its groups.
    /// Once its first pages are recognized the job has started: later groups wait for a slot whatever
    /// <paramref name="stopWaiting"/> says, and finish.
    /// </remarks>
    public async Task<OcrDocument> RecognizeAsync(
        ReadOnlyMemory<byte> image, OcrMode mode, PageRange selection, OcrExtras extras, ImageReservation? reservation, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        var pages = new List<OcrPage>();
        var end = (long)selection.First + selection.Count; // exclusive
        var next = selection.First;
        OcrDocument group;
        do
        {
            var started = pages.Count > 0;
            var count = (int)Math.Min(_pagesInFlight, end - next);
            group = await RecognizePagesAsync(image, mode, new PageRange(next, count), extras, reservation, started ? CancellationToken.None : stopWaiting, cancellationToken);
            pages.AddRange(group.Pages);
            next += group.Pages.Count;
        }
        while (group.Pages.Count > 0 && next < Math.Min(end, group.SourcePages));

        return pages.Count == group.Pages.Count ? group : new OcrDocument(pages) { Format = group.Format, SourcePages = group.SourcePages };
    }

    private async Task<OcrDocument> RecognizePagesAsync(
        ReadOnlyMemory<byte> image, OcrMode mode, PageRange range, OcrExtras extras, ImageReservation? reservation, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        await WaitCountedAsync(
            async waiting =>
            {
                await _slots.WaitAsync(waiting);
                try
                {
                    // With the slot held: the next image's decoding and detection wait until recognition has caught up.
                    await engine.WaitForRecognitionQueueBelowAsync(_maxQueuedCrops, waiting);
                }
                catch
                {
                    _slots.Release();
                    throw;
                }
            },
            stopWaiting,
            cancellationToken);

        // The image is being decoded: the next job may download its own.
        reservation?.Dispose();
        Task<OcrDocument> recognition;
        try
        {
            // RecognizeAsync runs stage 1 synchronously on this thread and returns once the crops are queued.
            recognition = await _threads.Run(() => engine.RecognizeAsync(image, mode, range, extras, cancellationToken, stopWaiting), cancellationToken);
        }
        finally
        {
            _slots.Release();
        }

        return await recognition;
    }

    // A wait before the first stage, counted in scipix_inferences_waiting and given up when either token fires.
    internal static async Task WaitCountedAsync(Func<CancellationToken, Task> wait, CancellationToken stopWaiting, CancellationToken cancellationToken)
    {
        WorkerMetrics.InferencesWaiting.Inc();
        try
        {
            using var waiting = CancellationTokenSource.CreateLinkedTokenSource(stopWaiting, cancellationToken);
            await wait(waiting.Token);
        }
        finally
        {
            WorkerMetrics.InferencesWaiting.Dec();
        }
    }

    public void Dispose()
    {
        _threads.Dispose();
        _slots.Dispose();
        _ahead?.Dispose();
    }
}

/// <summary>The budget of bytes downloaded ahead, and the token that gives up waiting for it.</summary>
internal sealed record BytesWait(ByteBudget Budget, CancellationToken StopWaiting);

/// <summary>
/// A job's leave to hold a downloaded image before its first stage (<see cref="InferenceGate.ReserveImageAsync"/>): a
/// place among <c>Worker:ImagesAhead</c> and, once held, the image's bytes out of <c>Worker:ImageBytesAhead</c>.
/// Disposing it hands both back; twice is harmless. One job's: not for concurrent use.
/// </summary>
internal sealed class ImageReservation(SemaphoreSlim? ahead, BytesWait? bytes) : IDisposable
{
    private SemaphoreSlim? _ahead = ahead;
    private long _bytesHeld;
    private volatile bool _disposed;

    /// <summary>Bytes of <c>Worker:ImageBytesAhead</c> this reservation holds.</summary>
    public long BytesHeld => Interlocked.Read(ref _bytesHeld);

    /// <summary>
    /// Waits until the image's <paramref name="length"/> fits in <c>Worker:ImageBytesAhead</c> beside the images
    /// already downloaded (the whole budget for an image larger than it), and holds it. A download tried again holds
    /// the larger of its lengths. Returns at once without a budget, or once disposed (the job's first stage has begun).
    /// </summary>
    public async Task HoldBytesAsync(long length, CancellationToken cancellationToken)
    {
        if (bytes is null || _disposed || length <= BytesHeld)
        {
            return;
        }

        var held = Interlocked.Exchange(ref _bytesHeld, 0);
        bytes.Budget.Release(held);
        long granted = 0;
        await InferenceGate.WaitCountedAsync(
            async waiting => granted = await bytes.Budget.AcquireAsync(length, waiting), bytes.StopWaiting, cancellationToken);
        Interlocked.Exchange(ref _bytesHeld, granted);
        if (_disposed)
        {
            // Disposed meanwhile: whichever of the two takes the held bytes hands them back.
            bytes.Budget.Release(Interlocked.Exchange(ref _bytesHeld, 0));
        }

        WorkerMetrics.ImageBytesAhead.Set(bytes.Budget.InUse);
    }

    public void Dispose()
    {
        _disposed = true;
        Interlocked.Exchange(ref _ahead, null)?.Release();
        if (bytes is not null && Interlocked.Exchange(ref _bytesHeld, 0) is var held and > 0)
        {
            bytes.Budget.Release(held);
            WorkerMetrics.ImageBytesAhead.Set(bytes.Budget.InUse);
        }
    }
}
