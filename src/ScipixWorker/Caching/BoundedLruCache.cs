namespace ScipixWorker.Caching;

/// <summary>
/// A thread-safe least-recently-used cache bounded by entry count and by the sum of entry sizes, whose
/// entries expire a fixed time after they were set. Small and synchronous: every operation takes one lock.
/// </summary>
internal sealed class BoundedLruCache<TKey, TValue>
    where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<Entry>> _index = [];
    private readonly LinkedList<Entry> _recency = new(); // most recently used first
    private readonly Lock _lock = new();
    private readonly int _maxEntries;
    private readonly long _maxSize;
    private readonly TimeSpan _timeToLive;
    private readonly TimeProvider _time;
    private long _size;

    public BoundedLruCache(int maxEntries, long maxSize, TimeSpan timeToLive, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxEntries);
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        _maxEntries = maxEntries;
        _maxSize = maxSize;
        _timeToLive = timeToLive;
        _time = time ?? TimeProvider.System;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _index.Count;
            }
        }
    }

    public long Size
    {
        get
        {
            lock (_lock)
            {
                return _size;
            }
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                if (node.Value.ExpiresAt > _time.GetUtcNow())
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    value = node.Value.Value;
                    return true;
                }

                RemoveNode(node);
            }

            value = default!;
            return false;
        }
    }

    /// <summary>Adds only when the key is absent (or expired). Returns false when a live entry exists.</summary>
    public bool TryAdd(TKey key, TValue value, long size = 1)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                if (node.Value.ExpiresAt > _time.GetUtcNow())
                {
                    return false;
                }

                RemoveNode(node);
            }

            return AddNode(key, value, size);
        }
    }

    /// <summary>Adds or replaces. An entry larger than the whole cache is not stored.</summary>
    public bool Set(TKey key, TValue value, long size = 1)
    {
        lock (_lock)
        {
            if (_index.TryGetValue(key, out var node))
            {
                RemoveNode(node);
            }

            return AddNode(key, value, size);
        }
    }

    public bool Remove(TKey key)
    {
        lock (_lock)
        {
            if (!_index.TryGetValue(key, out var node))
            {
                return false;
            }

            RemoveNode(node);
            return true;
        }
    }

    private bool AddNode(TKey key, TValue value, long size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (_maxEntries == 0 || size > _maxSize)
        {
            return false;
        }

        while (_index.Count >= _maxEntries || _size + size > _maxSize)
        {
            RemoveNode(_recency.Last!);
        }

        var node = _recency.AddFirst(new Entry(key, value, size, _time.GetUtcNow() + _timeToLive));
        _index[key] = node;
        _size += size;
        return true;
    }

    private void RemoveNode(LinkedListNode<Entry> node)
    {
        _recency.Remove(node);
        _index.Remove(node.Value.Key);
        _size -= node.Value.Size;
    }

    private sealed record Entry(TKey Key, TValue Value, long Size, DateTimeOffset ExpiresAt);
}
