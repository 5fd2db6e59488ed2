namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// Crops waiting for recognition, one FIFO per width bucket. A batch is taken from the bucket of the
/// oldest crop, so no crop starves and a batch holds crops of one tensor width. Cancelled crops are
/// removed lazily. Not thread-safe: the scheduler calls it under its lock.
/// </summary>
internal sealed class BucketQueue
{
    private readonly SortedDictionary<int, Queue<RecognitionItem>> _buckets = [];
    private readonly Dictionary<int, int> _live = [];
    private long _sequence;

    /// <summary>Crops waiting (cancelled ones not counted).</summary>
    public int Count { get; private set; }

    public void Add(RecognitionItem item)
    {
        if (!_buckets.TryGetValue(item.Bucket, out var queue))
        {
            _buckets[item.Bucket] = queue = new Queue<RecognitionItem>();
        }

        item.Sequence = _sequence++;
        item.State = RecognitionItemState.Pending;
        queue.Enqueue(item);
        _live[item.Bucket] = _live.GetValueOrDefault(item.Bucket) + 1;
        Count++;
    }

    /// <summary>Drops a waiting crop (its caller cancelled); false when it was not waiting here.</summary>
    public bool Remove(RecognitionItem item)
    {
        if (item.State != RecognitionItemState.Pending)
        {
            return false;
        }

        item.State = RecognitionItemState.Cancelled;
        _live[item.Bucket]--;
        Count--;
        return true;
    }

    /// <summary>Live crops in one bucket.</summary>
    public int CountIn(int bucket) => _live.GetValueOrDefault(bucket);

    /// <summary>The crop that has waited longest, or null.</summary>
    public RecognitionItem? Oldest()
    {
        RecognitionItem? oldest = null;
        foreach (var queue in _buckets.Values)
        {
            while (queue.Count > 0 && queue.Peek().State != RecognitionItemState.Pending)
            {
                queue.Dequeue();
            }

            if (queue.Count > 0 && (oldest is null || queue.Peek().Sequence < oldest.Sequence))
            {
                oldest = queue.Peek();
            }
        }

        return oldest;
    }

    /// <summary>Takes up to <paramref name="max"/> live crops of <paramref name="bucket"/>, oldest first.</summary>
    public List<RecognitionItem> Take(int bucket, int max)
    {
        var batch = new List<RecognitionItem>(Math.Min(max, CountIn(bucket)));
        if (!_buckets.TryGetValue(bucket, out var queue))
        {
            return batch;
        }

        while (batch.Count < max && queue.TryDequeue(out var item))
        {
            if (item.State == RecognitionItemState.Pending)
            {
                item.State = RecognitionItemState.Taken;
                batch.Add(item);
            }
        }

        _live[bucket] -= batch.Count;
        Count -= batch.Count;
        return batch;
    }

    /// <summary>Removes and returns every live crop (the scheduler is stopping).</summary>
    public List<RecognitionItem> Clear()
    {
        var all = _buckets.Values.SelectMany(q => q).Where(i => i.State == RecognitionItemState.Pending).ToList();
        foreach (var item in all)
        {
            item.State = RecognitionItemState.Cancelled;
        }

        _buckets.Clear();
        _live.Clear();
        Count = 0;
        return all;
    }
}
