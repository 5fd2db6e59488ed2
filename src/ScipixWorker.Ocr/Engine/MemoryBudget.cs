namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Bounds the memory that concurrent model runs hold at once (Ocr:MemoryBudgetMegabytes). Each run leases
/// its estimated size (<see cref="ActivationMemory"/>) before it starts and returns it when it ends; a run
/// that does not fit waits, first come first served, so a large run is never starved by small ones. A run
/// larger than the whole budget leases all of it and so runs alone. A thread holds at most one lease at a
/// time (the engine never nests them), which is what makes waiting deadlock-free. Thread-safe; waiting blocks
/// the calling thread (the engine's stages run on dedicated threads).
/// </summary>
public sealed class MemoryBudget
{
    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _inUse;
    private long _waits;
    private long _waitTicks;
    private long _peak;
    private long _fall;

    /// <summary>A budget of <paramref name="capacityBytes"/>; 0 means no limit (leases are free and never wait).</summary>
    public MemoryBudget(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        Capacity = capacityBytes;
    }

    /// <summary>A budget that never makes a run wait.</summary>
    public static MemoryBudget Unlimited { get; } = new(0);

    /// <summary>The budget in bytes; 0 when unlimited.</summary>
    public long Capacity { get; }

    /// <summary>False when the budget is unlimited.</summary>
    public bool IsLimited => Capacity > 0;

    /// <summary>Bytes leased now.</summary>
    public long InUse
    {
        get
        {
            lock (_gate)
            {
                return _inUse;
            }
        }
    }

    /// <summary>Runs waiting for a lease now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>
    /// The most the bytes leased have fallen below their peak since start or the last <see cref="ResetFall"/>, counted
    /// before a waiting lease takes what was freed: how much memory model runs have freed together (the worker trims the
    /// native heap by it).
    /// </summary>
    public long Fall
    {
        get
        {
            lock (_gate)
            {
                return _fall;
            }
        }
    }

    /// <summary>Leases that had to wait, since start.</summary>
    public long Waits => Interlocked.Read(ref _waits);

    /// <summary>Total time leases waited, since start.</summary>
    public TimeSpan WaitTime => TimeSpan.FromTicks(Interlocked.Read(ref _waitTicks));

    /// <summary>
    /// Leases <paramref name="bytes"/> (at most the whole budget), waiting while the leases of other runs
    /// leave too little. Dispose the lease when the run's memory is released.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while waiting.</exception>
    public Lease Acquire(long bytes, CancellationToken cancellationToken = default)
    {
        if (!IsLimited)
        {
            return default;
        }

        var need = Math.Clamp(bytes, 0, Capacity);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiters.Count == 0 && _inUse + need <= Capacity)
            {
                Take(need);
                return new Lease(this, need);
            }

            waiter = new Waiter(need);
            waiter.Node = _waiters.AddLast(waiter);
        }

        var started = TimeProvider.System.GetTimestamp();
        try
        {
            waiter.Granted.Wait(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                if (waiter.Node.List is not null)
                {
                    _waiters.Remove(waiter.Node);
                }
                else
                {
                    // Granted as the wait was cancelled: give it back.
                    _inUse -= need;
                }

                GrantWaiting();
            }

            throw;
        }
        finally
        {
            Interlocked.Increment(ref _waits);
            Interlocked.Add(ref _waitTicks, TimeProvider.System.GetElapsedTime(started).Ticks);
            waiter.Granted.Dispose();
        }

        return new Lease(this, need);
    }

    /// <summary>
    /// The most a run should lease when <paramref name="concurrentRuns"/> of them are meant to run side by side:
    /// an equal share of the budget, or <see cref="long.MaxValue"/> when unlimited.
    /// </summary>
    public long Share(int concurrentRuns) => IsLimited ? Capacity / Math.Max(1, concurrentRuns) : long.MaxValue;

    /// <summary>Starts <see cref="Fall"/> afresh: no fall yet, from the bytes leased now.</summary>
    public void ResetFall()
    {
        lock (_gate)
        {
            _peak = _inUse;
            _fall = 0;
        }
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _inUse -= bytes;
            _fall = Math.Max(_fall, _peak - _inUse);
            GrantWaiting();
        }
    }

    // In arrival order: the first waiter that does not fit blocks the ones behind it. Under _gate.
    private void GrantWaiting()
    {
        while (_waiters.First is { } first && _inUse + first.Value.Need <= Capacity)
        {
            _waiters.RemoveFirst();
            Take(first.Value.Need);
            first.Value.Granted.Set();
        }
    }

    // A lease granted: the bytes leased, and their peak, rise. Under _gate.
    private void Take(long bytes)
    {
        _inUse += bytes;
        _peak = Math.Max(_peak, _inUse);
    }

    /// <summary>Memory leased from a <see cref="MemoryBudget"/>; disposing returns it (once).</summary>
    public struct Lease : IDisposable
    {
        private MemoryBudget? _budget;

        internal Lease(MemoryBudget budget, long bytes)
        {
            _budget = budget;
            Bytes = bytes;
        }

        /// <summary>Bytes held (0 for an unlimited budget).</summary>
        public long Bytes { get; }

        /// <inheritdoc />
        public void Dispose()
        {
            var budget = Interlocked.Exchange(ref _budget, null);
            budget?.Release(Bytes);
        }
    }

    private sealed class Waiter(long need)
    {
        public long Need { get; } = need;

        public ManualResetEventSlim Granted { get; } = new(false);

        public LinkedListNode<Waiter> Node { get; set; } = null!;
    }
}
