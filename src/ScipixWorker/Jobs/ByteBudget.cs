namespace ScipixWorker.Jobs;

/// <summary>
/// A number of bytes shared by jobs, handed out first come, first served: a request waits while an earlier one waits,
/// so a large image is not starved by a stream of small ones. A request larger than the whole budget is granted the
/// whole budget once nothing else holds any (it waits its turn, then runs alone). Thread-safe.
/// </summary>
internal sealed class ByteBudget
{
    private readonly object _lock = new();
    private readonly LinkedList<Waiter> _waiting = new();
    private long _available;

    public ByteBudget(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
        _available = capacity;
    }

    public long Capacity { get; }

    /// <summary>Bytes granted and not yet released.</summary>
    public long InUse
    {
        get
        {
            lock (_lock)
            {
                return Capacity - _available;
            }
        }
    }

    /// <summary>Requests waiting for bytes.</summary>
    public int Waiting
    {
        get
        {
            lock (_lock)
            {
                return _waiting.Count;
            }
        }
    }

    /// <summary>
    /// Waits until <paramref name="bytes"/> (at most <see cref="Capacity"/>) are free and no earlier request waits, and
    /// takes them. Returns what was granted, which the caller hands back with <see cref="Release"/>.
    /// </summary>
    public Task<long> AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        var amount = Math.Clamp(bytes, 0, Capacity);
        LinkedListNode<Waiter> node;
        lock (_lock)
        {
            if (_waiting.Count == 0 && _available >= amount)
            {
                _available -= amount;
                return Task.FromResult(amount);
            }

            cancellationToken.ThrowIfCancellationRequested();
            node = _waiting.AddLast(new Waiter(amount));
        }

        node.Value.Cancellation = cancellationToken.Register(() => Cancel(node, cancellationToken));
        return node.Value.Granted.Task;
    }

    /// <summary>Hands back bytes granted by <see cref="AcquireAsync"/>, and grants the requests they let through.</summary>
    public void Release(long bytes)
    {
        if (bytes <= 0)
        {
            return;
        }

        List<Waiter> granted;
        lock (_lock)
        {
            _available = Math.Min(Capacity, _available + bytes);
            granted = TakeGrantable();
        }

        Complete(granted);
    }

    // A waiting request given up: removed, and those behind it may now go (it may have been the one at the head).
    private void Cancel(LinkedListNode<Waiter> node, CancellationToken cancellationToken)
    {
        List<Waiter> granted;
        lock (_lock)
        {
            if (node.List is null)
            {
                return; // already granted
            }

            _waiting.Remove(node);
            granted = TakeGrantable();
        }

        node.Value.Granted.TrySetCanceled(cancellationToken);
        Complete(granted);
    }

    // Under the lock: the requests at the head that now fit, their bytes taken.
    private List<Waiter> TakeGrantable()
    {
        var granted = new List<Waiter>();
        while (_waiting.First is { } first && first.Value.Amount <= _available)
        {
            _available -= first.Value.Amount;
            _waiting.RemoveFirst();
            granted.Add(first.Value);
        }

        return granted;
    }

    // Outside the lock: the granted requests' continuations run elsewhere (RunContinuationsAsynchronously).
    private static void Complete(List<Waiter> granted)
    {
        foreach (var waiter in granted)
        {
            waiter.Cancellation.Dispose();
            waiter.Granted.TrySetResult(waiter.Amount);
        }
    }

    private sealed class Waiter(long amount)
    {
        public long Amount { get; } = amount;

        public TaskCompletionSource<long> Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Cancellation { get; set; }
    }
}
