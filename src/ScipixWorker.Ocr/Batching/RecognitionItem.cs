using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Batching;

/// <summary>One line crop waiting for, or in, a recognition batch.</summary>
internal sealed class RecognitionItem(RgbBuffer crop, int bucket, object owner, TimeSpan enqueuedAt)
{
    public RgbBuffer Crop { get; } = crop;

    /// <summary>Its width bucket (<see cref="WidthBuckets.Of"/>).</summary>
    public int Bucket { get; } = bucket;

    /// <summary>The call the crop belongs to (to count the callers sharing a batch).</summary>
    public object Owner { get; } = owner;

    public TimeSpan EnqueuedAt { get; } = enqueuedAt;

    /// <summary>Arrival order, set when it joins a <see cref="BucketQueue"/>.</summary>
    public long Sequence { get; set; }

    /// <summary>Where it is; changed only under the scheduler's lock.</summary>
    public RecognitionItemState State { get; set; }

    public TaskCompletionSource<LineReading> Completion { get; } =
        new(TaskCreationOptions.RunContinuationsAsynchronously);
}

internal enum RecognitionItemState
{
    /// <summary>In the bounded inbox channel.</summary>
    Inbox,

    /// <summary>In the bucket queue, ready to be batched.</summary>
    Pending,

    /// <summary>In a batch being recognized.</summary>
    Taken,

    /// <summary>Its caller gave up before it was batched: it is skipped.</summary>
    Cancelled,
}
