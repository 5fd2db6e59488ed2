using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Batching;

public sealed class BucketQueueTests
{
    private static readonly object Job = new();
    private static readonly WidthBuckets Buckets = new(WidthBuckets.DefaultMinWidth);

    private static RecognitionItem Crop(int width, object? owner = null) =>
        new(new RgbBuffer(width, 48), Buckets.Of(width, 48), owner ?? Job, TimeSpan.Zero);

    [Fact]
    public void A_batch_comes_from_the_bucket_of_the_oldest_crop_and_holds_only_that_bucket()
    {
        var queue = new BucketQueue();
        var wide = Crop(900);
        queue.Add(wide);
        queue.Add(Crop(100));
        queue.Add(Crop(950));
        queue.Add(Crop(200));

        var oldest = queue.Oldest();
        Assert.Same(wide, oldest);
        var batch = queue.Take(oldest!.Bucket, 8);

        Assert.Equal(2, batch.Count);
        Assert.All(batch, i => Assert.Equal(960, i.Bucket));
        Assert.Equal(2, queue.Count);
        Assert.Equal(WidthBuckets.DefaultMinWidth, queue.Oldest()!.Bucket);
    }

    [Fact]
    public void A_batch_takes_at_most_the_decided_size_oldest_first()
    {
        var queue = new BucketQueue();
        var crops = Enumerable.Range(0, 5).Select(_ => Crop(300)).ToList();
        crops.ForEach(queue.Add);

        var batch = queue.Take(320, 3);

        Assert.Equal(crops.Take(3), batch);
        Assert.Equal(2, queue.CountIn(320));
        Assert.All(batch, i => Assert.Equal(RecognitionItemState.Taken, i.State));
    }

    [Fact]
    public void Crops_of_different_jobs_share_a_batch()
    {
        var queue = new BucketQueue();
        var a = new object();
        var b = new object();
        queue.Add(Crop(300, a));
        queue.Add(Crop(310, b));

        var batch = queue.Take(queue.Oldest()!.Bucket, 8);

        Assert.Equal([a, b], batch.Select(i => i.Owner));
    }

    [Fact]
    public void A_cancelled_crop_is_neither_counted_nor_batched_nor_the_oldest()
    {
        var queue = new BucketQueue();
        var cancelled = Crop(300);
        var kept = Crop(300);
        var other = Crop(700);
        queue.Add(cancelled);
        queue.Add(other);
        queue.Add(kept);

        Assert.True(queue.Remove(cancelled));
        Assert.False(queue.Remove(cancelled));

        Assert.Equal(2, queue.Count);
        Assert.Equal(1, queue.CountIn(320));
        Assert.Same(other, queue.Oldest());
        Assert.Equal([kept], queue.Take(320, 8));
        Assert.Equal(RecognitionItemState.Cancelled, cancelled.State);
    }

    [Fact]
    public void A_crop_already_in_a_batch_cannot_be_removed()
    {
        var queue = new BucketQueue();
        var crop = Crop(300);
        queue.Add(crop);
        queue.Take(320, 1);

        Assert.False(queue.Remove(crop));
        Assert.Equal(0, queue.Count);
    }

    [Fact]
    public void Clearing_returns_every_waiting_crop()
    {
        var queue = new BucketQueue();
        var cancelled = Crop(300);
        queue.Add(cancelled);
        queue.Add(Crop(300));
        queue.Add(Crop(2500));
        queue.Remove(cancelled);

        var left = queue.Clear();

        Assert.Equal(2, left.Count);
        Assert.Equal(0, queue.Count);
        Assert.Null(queue.Oldest());
    }
}
