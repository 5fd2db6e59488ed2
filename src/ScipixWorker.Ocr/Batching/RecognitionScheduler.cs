using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// Recognizes line crops of any number of concurrent callers in shared batches. Crops enter a bounded
/// channel (a full channel makes producers wait: back-pressure); executor threads move them into a queue per
/// width bucket, ask the controller (or the static size) for a batch size and wait, take a batch from the
/// oldest crop's bucket, run the recognizer and complete each crop's task. See docs/batching.md.
/// </summary>
internal sealed class RecognitionScheduler : IDisposable
{
    private readonly TextRecognizer _recognizer;
    private readonly BatchingOptions _options;
    private readonly bool _padToBucket;
    private readonly IRecognitionObserver? _observer;
    private readonly ILogger _logger;
    private readonly AdaptiveBatchController? _controller;
    private readonly Channel<RecognitionItem> _inbox;
    private readonly BucketQueue _pending = new();
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Thread[] _executors;
    private readonly long _epoch = Stopwatch.GetTimestamp();
    private int _disposed;
    private int _running; // executors inside a recognizer call
    private TaskCompletionSource _queueShrank = NewSignal(); // completed and replaced whenever crops leave the queue (taken or dropped)

    public RecognitionScheduler(TextRecognizer recognizer, BatchingOptions options, bool padToBucket, IRecognitionObserver? observer, ILogger logger)
    {
        _recognizer = recognizer;
        _options = options;
        _padToBucket = padToBucket;
        _observer = observer;
        _logger = logger;
        _controller = options.Mode == BatchingMode.Adaptive
            ? new AdaptiveBatchController(options, WithinBudget(options.MaxBatchSize))
            : null;
        _inbox = Channel.CreateBounded<RecognitionItem>(new BoundedChannelOptions(options.QueueCapacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
        });
        _executors = new Thread[options.Executors];
        for (var i = 0; i < _executors.Length; i++)
        {
            _executors[i] = new Thread(Execute) { IsBackground = true, Name = $"scipix-recognizer-{i}" };
            _executors[i].Start();
        }

        Log.SchedulerStarted(logger, options.Mode.ToString(), options.Executors, MaxBatchSize, options.QueueCapacity, padToBucket);
    }

    /// <summary>Crops waiting for a batch (in the channel or the bucket queue).</summary>
    public int QueueDepth
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count + _inbox.Reader.Count;
            }
        }
    }

    /// <summary>
    /// Completes once fewer than <paramref name="limit"/> crops wait for a batch (at once if they already do, or once
    /// the scheduler is disposed). A producer that awaits this before preparing more crops (decoding and detecting
    /// the next image) keeps its work from running ahead of recognition: the CPU goes to the crops already here, and
    /// the oldest jobs finish first.
    /// </summary>
    public async Task WaitForQueueBelowAsync(int limit, CancellationToken cancellationToken)
    {
        while (true)
        {
            // The signal before the depth: crops taken after this read complete it, so no wake-up is missed.
            var taken = Volatile.Read(ref _queueShrank);
            if (QueueDepth < limit || Volatile.Read(ref _disposed) != 0)
            {
                return;
            }

            await taken.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reports a job's wait upstream (in the broker) to the controller (<see cref="BatchingOptions.BehindWait"/>).</summary>
    public void ObserveUpstreamWait(TimeSpan wait) => _controller?.ObserveUpstreamWait(Now, wait);

    /// <summary>
    /// The largest batch this scheduler runs: the static size or Batching:MaxBatchSize, or fewer where the memory budget
    /// lets a call hold fewer crops of the narrowest tensor (the controller's bound).
    /// </summary>
    public int MaxBatchSize => _controller?.MaxBatchSize ?? WithinBudget(_options.StaticBatchSize);

    /// <summary>
    /// Recognizes <paramref name="crops"/>, in their order. Waits while the queue is full. Cancelling drops
    /// this call's crops that are not in a batch yet; crops of other calls are not affected.
    /// <paramref name="abandonUnstarted"/> cancels the call only while none of its crops is in a batch yet
    /// (a stopping worker puts such jobs back on the queue and lets the others finish).
    /// </summary>
    public async Task<LineReading[]> RecognizeAsync(
        IReadOnlyList<RgbBuffer> crops, CancellationToken cancellationToken, CancellationToken abandonUnstarted = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        abandonUnstarted.ThrowIfCancellationRequested();
        if (crops.Count == 0)
        {
            return [];
        }

        var owner = new Call();
        var items = new RecognitionItem[crops.Count];
        var registrations = new List<CancellationTokenRegistration>(crops.Count + 1);
        try
        {
            registrations.Add(abandonUnstarted.UnsafeRegister(static (state, token) =>
            {
                var (scheduler, call, items) = ((RecognitionScheduler, Call, RecognitionItem[]))state!;
                scheduler.AbandonUnstarted(call, items, token);
            }, (this, owner, items)));

            _controller?.ObserveArrival(Now, crops.Count);
            for (var i = 0; i < crops.Count; i++)
            {
                var item = new RecognitionItem(crops[i], _recognizer.Buckets.Of(crops[i].Width, crops[i].Height), owner, Now);
                items[i] = item;
                if (!_inbox.Writer.TryWrite(item))
                {
                    await _inbox.Writer.WriteAsync(item, cancellationToken);
                }

                registrations.Add(cancellationToken.UnsafeRegister(static (state, token) =>
                {
                    var (scheduler, item) = ((RecognitionScheduler, RecognitionItem))state!;
                    scheduler.Abandon(item, token);
                }, (this, item)));
            }

            var results = new LineReading[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                results[i] = await items[i].Completion.Task;
            }

            return results;
        }
        catch
        {
            // Items already written but not awaited (a write was cancelled, or one failed): drop them.
            foreach (var item in items)
            {
                if (item is not null)
                {
                    Abandon(item, cancellationToken);
                }
            }

            throw;
        }
        finally
        {
            foreach (var registration in registrations)
            {
                registration.Dispose();
            }
        }
    }

    private TimeSpan Now => Stopwatch.GetElapsedTime(_epoch);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalQueueShrank() => Interlocked.Exchange(ref _queueShrank, NewSignal()).TrySetResult();

    private void AbandonUnstarted(Call call, RecognitionItem?[] items, CancellationToken token)
    {
        lock (_gate)
        {
            if (call.Started)
            {
                return;
            }
        }

        foreach (var item in items)
        {
            if (item is not null)
            {
                Abandon(item, token);
            }
        }
    }

    private void Abandon(RecognitionItem item, CancellationToken token)
    {
        bool dropped;
        lock (_gate)
        {
            dropped = _pending.Remove(item);
            if (!dropped && item.State == RecognitionItemState.Inbox)
            {
                item.State = RecognitionItemState.Cancelled;
            }
        }

        if (dropped)
        {
            SignalQueueShrank();
        }

        item.Completion.TrySetCanceled(token);
    }

    private void Execute()
    {
        ModelArena.JoinCurrentThread();
        var stop = _stopping.Token;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                int backlog;
                RecognitionItem? oldest;
                lock (_gate)
                {
                    Drain();
                    backlog = _pending.Count;
                    oldest = _pending.Oldest();
                }

                if (oldest is null)
                {
                    if (!WaitForArrival(Timeout.InfiniteTimeSpan, stop))
                    {
                        return;
                    }

                    continue;
                }

                var decision = Decide(backlog, Now - oldest.EnqueuedAt);
                var (batch, fillWait, depth) = Fill(decision, stop);
                if (batch.Count > 0)
                {
                    // Reported only for a batch taken: both executors can see the same last crop and decide, and the
                    // one that finds it gone has decided nothing that ran.
                    Notify(o => o.BatchDecided(decision, backlog));
                    Interlocked.Increment(ref _running);
                    try
                    {
                        Run(batch, fillWait, depth, stop);
                    }
                    finally
                    {
                        Interlocked.Decrement(ref _running);
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private BatchDecision Decide(int backlog, TimeSpan oldestWait)
    {
        if (_controller is null)
        {
            return new BatchDecision(_options.StaticBatchSize, TimeSpan.Zero, BatchReason.Static);
        }

        // The other executors not running a batch are waiting for crops (or deciding): each takes a batch of its own.
        var idle = Math.Max(0, _options.Executors - 1 - Volatile.Read(ref _running));
        var decision = _controller.Decide(Now, backlog, oldestWait, idle);
        return decision with { Size = Math.Clamp(decision.Size, 1, _options.MaxBatchSize) };
    }

    // Waits up to the decision's wait for the oldest crop's bucket to hold a full batch, then takes it.
    private (List<RecognitionItem> Batch, TimeSpan FillWait, int Depth) Fill(BatchDecision decision, CancellationToken stop)
    {
        var started = Now;
        while (true)
        {
            lock (_gate)
            {
                Drain();
                var oldest = _pending.Oldest();
                var remaining = decision.MaxWait - (Now - started);
                var size = oldest is null ? decision.Size : Math.Min(decision.Size, BatchWithinBudget(oldest.Bucket));
                if (oldest is null || _pending.CountIn(oldest.Bucket) >= size || remaining <= TimeSpan.Zero ||
                    _pending.Count >= _options.QueueCapacity)
                {
                    var batch = oldest is null ? [] : _pending.Take(oldest.Bucket, size);
                    foreach (var item in batch)
                    {
                        ((Call)item.Owner).Started = true;
                    }

                    if (batch.Count > 0)
                    {
                        SignalQueueShrank();
                    }

                    return (batch, Now - started, _pending.Count + _inbox.Reader.Count);
                }
            }

            WaitForArrival(decision.MaxWait - (Now - started), stop);
        }
    }

    // The most crops of a bucket one call may take so that every executor's call and a page's detection fit in
    // the memory budget together (a bucket is the widest its crops pad to).
    private int BatchWithinBudget(int bucket) =>
        _recognizer.Budget.IsLimited
            ? ActivationMemory.RecognitionBatchWithin(_recognizer.Budget.Share(_options.Executors + 1), bucket)
            : int.MaxValue;

    // A configured batch size, or fewer where the budget's share of a call holds fewer crops of the narrowest tensor.
    private int WithinBudget(int size) => Math.Min(size, BatchWithinBudget(_recognizer.Buckets.Widths[0]));

    private void Run(List<RecognitionItem> batch, TimeSpan fillWait, int depth, CancellationToken stop)
    {
        var crops = new RgbBuffer[batch.Count];
        for (var i = 0; i < crops.Length; i++)
        {
            crops[i] = batch[i].Crop;
        }

        var width = Math.Max(TextRecognizer.BatchWidth(crops, _recognizer.Buckets.MinWidth), _padToBucket ? batch[0].Bucket : 0);
        var started = Now;
        var readAgain = 0;
        var readAgainTime = TimeSpan.Zero;
        try
        {
            (var results, readAgain, readAgainTime) = _recognizer.RecognizeBatchCounted(crops, width, stop);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Completion.TrySetResult(results[i]);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            foreach (var item in batch)
            {
                item.Completion.TrySetException(new ObjectDisposedException(nameof(RecognitionScheduler)));
            }

            throw;
        }
        catch (Exception exception)
        {
            Log.BatchFailed(_logger, exception, batch.Count, width);
            foreach (var item in batch)
            {
                item.Completion.TrySetException(exception);
            }
        }

        var execution = Now - started;
        // Per column of the lines, not of the padded tensor: the padding a larger batch brings is charged to its size.
        var lineWidth = TextRecognizer.MeanWidth(crops, _recognizer.Buckets.MinWidth);
        _controller?.ObserveBatch(batch.Count, execution, fillWait, lineWidth, readAgainTime);
        var jobs = batch.Select(i => i.Owner).Distinct().Count();
        Notify(o => o.BatchCompleted(new RecognitionBatch(batch.Count, width, execution, fillWait, depth, jobs, readAgain, lineWidth)));
    }

    // Moves crops from the channel into the bucket queue, up to its capacity (so at most twice the capacity
    // waits in all), dropping the ones whose callers gave up. Under _gate.
    private void Drain()
    {
        while (_pending.Count < _options.QueueCapacity && _inbox.Reader.TryRead(out var item))
        {
            if (item.State == RecognitionItemState.Inbox)
            {
                _pending.Add(item);
            }
        }
    }

    // False when the scheduler is stopping. Executors are dedicated threads, so blocking here is fine.
    private bool WaitForArrival(TimeSpan timeout, CancellationToken stop)
    {
        if (timeout != Timeout.InfiniteTimeSpan && timeout <= TimeSpan.Zero)
        {
            return true;
        }

        try
        {
            var wait = _inbox.Reader.WaitToReadAsync(stop).AsTask();
            if (!wait.Wait(timeout, stop))
            {
                return true;
            }

            return wait.Result;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return false;
        }
        catch (AggregateException) when (stop.IsCancellationRequested)
        {
            return false;
        }
    }

    private void Notify(Action<IRecognitionObserver> call)
    {
        if (_observer is null)
        {
            return;
        }

        try
        {
            call(_observer);
        }
#pragma warning disable CA1031 // An observer's bug must not stop recognition.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Log.ObserverFailed(_logger, exception);
        }
    }

    /// <summary>One RecognizeAsync call; its fields change under _gate.</summary>
    private sealed class Call
    {
        public bool Started { get; set; }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _inbox.Writer.TryComplete();
        _stopping.Cancel();
        foreach (var executor in _executors)
        {
            executor.Join();
        }

        List<RecognitionItem> left;
        lock (_gate)
        {
            Drain();
            left = _pending.Clear();
        }

        while (_inbox.Reader.TryRead(out var item))
        {
            left.Add(item);
        }

        foreach (var item in left)
        {
            item.Completion.TrySetException(new ObjectDisposedException(nameof(RecognitionScheduler)));
        }

        _queueShrank.TrySetResult();
        _stopping.Dispose();
    }
}
