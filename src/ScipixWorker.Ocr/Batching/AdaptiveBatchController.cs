namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// Chooses the size of the next inference batch and how long it may wait to fill, from what it observes:
/// execution time per batch size, arrival rate, backlog and in-process latency.
/// <para>
/// Policy: at light load it takes the smallest batch whose measured throughput keeps up with arrivals
/// (times a headroom), so latency stays that of batch size 1. When no size keeps up it takes the size with
/// the highest measured throughput (among sizes measured <see cref="ConfirmSamples"/> times), exploring the next
/// larger size while that one's cost is unknown and the last doubling paid, so it finds the hardware's optimum
/// (large on a GPU, small on a CPU where batching gains little) without being told. A cap on the size follows
/// AIMD against the latency objective (halve on a breached p95, grow by one with headroom, as Clipper does), and
/// a new size is only taken when it is estimated to be better by more than the hysteresis, so decisions converge
/// instead of oscillating.
/// </para>
/// Thread-safe; all times are passed in (a monotonic clock), so the logic is deterministic under test.
/// </summary>
public sealed class AdaptiveBatchController
{
    /// <summary>Measurements a size needs before it is taken over the size in use: one batch's time says little on a shared machine.</summary>
    public const int ConfirmSamples = 3;

    private const int LatencyWindow = 64;
    private const int MinLatencySamples = 16;
    private static readonly TimeSpan ArrivalWindow = TimeSpan.FromSeconds(2);

    private readonly BatchingOptions _options;
    private readonly double[] _cost; // smoothed seconds per batch and line column, by size; NaN = never measured
    private readonly long[] _measuredAt; // decision count when each size was last measured
    private readonly int[] _samples; // measurements since each size's cost was last started over
    private readonly long[] _exploredAt; // decision count when each size was last chosen to be measured; -1 = never
    private readonly int _max; // the largest batch the scheduler can run: Batching:MaxBatchSize or less
    private double _meanWidth = double.NaN; // smoothed width the batches' lines need (1 where callers give none)
    private readonly Queue<(TimeSpan At, int Count)> _arrivals = new();
    private readonly Queue<double> _latencies = new();
    private readonly object _gate = new();
    private int _arrivalCount;
    private int _cap;
    private int _current;
    private long _decisions;
    private int _samplesSinceGrow;
    private TimeSpan _behindUntil = TimeSpan.MinValue; // while now is before this, jobs are waiting upstream

    /// <summary>
    /// Starts at the smallest size with nothing measured. <paramref name="largestBatch"/>: the most crops the scheduler can
    /// put in one call (the memory budget's share at the narrowest tensor), when that is fewer than Batching:MaxBatchSize:
    /// a size it can never run is never measured, so asking for it would be exploring for ever.
    /// </summary>
    public AdaptiveBatchController(BatchingOptions options, int? largestBatch = null)
    {
        if (options.MinBatchSize > options.MaxBatchSize)
        {
            throw new ArgumentException($"Batching:MinBatchSize ({options.MinBatchSize}) exceeds Batching:MaxBatchSize ({options.MaxBatchSize}).", nameof(options));
        }

        _options = options;
        _max = Math.Clamp(largestBatch ?? options.MaxBatchSize, options.MinBatchSize, options.MaxBatchSize);
        _cost = Enumerable.Repeat(double.NaN, _max + 1).ToArray();
        _measuredAt = new long[_max + 1];
        _samples = new int[_max + 1];
        _exploredAt = Enumerable.Repeat(-1L, _max + 1).ToArray();
        _cap = _max;
        _current = options.MinBatchSize;
        Last = new BatchDecision(_current, TimeSpan.Zero, BatchReason.Idle);
    }

    /// <summary>The latest decision.</summary>
    public BatchDecision Last { get; private set; }

    /// <summary>The largest size it chooses: Batching:MaxBatchSize, or less where the scheduler cannot run more.</summary>
    public int MaxBatchSize => _max;

    /// <summary>The current upper bound from AIMD.</summary>
    public int Cap
    {
        get
        {
            lock (_gate)
            {
                return _cap;
            }
        }
    }

    /// <summary>Arrivals per second over the last two seconds.</summary>
    public double ArrivalRate(TimeSpan now)
    {
        lock (_gate)
        {
            Expire(now);
            return _arrivalCount / ArrivalWindow.TotalSeconds;
        }
    }

    /// <summary>
    /// Estimated execution time of a batch of <paramref name="size"/> whose lines need the mean width seen so far, its
    /// padding included (NaN before any measurement).
    /// </summary>
    public double EstimatedSeconds(int size)
    {
        lock (_gate)
        {
            return Estimate(size);
        }
    }

    /// <summary>Items arrived (jobs or crops entering the batcher).</summary>
    public void ObserveArrival(TimeSpan now, int count = 1)
    {
        lock (_gate)
        {
            _arrivals.Enqueue((now, count));
            _arrivalCount += count;
            Expire(now);
        }
    }

    /// <summary>
    /// A batch ran: its size, execution time, how long its first item waited for it to fill, and the mean tensor width its
    /// lines need on their own (0: unknown; <see cref="Recognition.TextRecognizer.MeanWidth"/>). Costs are kept per pixel column of
    /// the lines and compared at the mean width: a batch's cost grows with its width, and the sizes are not taken from the
    /// widths alike (a partial batch comes from a sparse bucket, and wide lines are the sparse ones), so raw times would
    /// make small sizes look dear. Columns a line is padded with to its batch's widest are not counted: that padding grows
    /// with the batch and is charged to its size (on sroie_lines about 3 % of the work at 2 crops, 6 % at 5, 7 % at 8).
    /// <paramref name="lineDependent"/>: the part of the execution that depends on which lines the batch held, not on its
    /// size (condensed lines read again, which doubled a batch of one's time): counted in the latency, not in the cost.
    /// </summary>
    public void ObserveBatch(int size, TimeSpan execution, TimeSpan fillWait, int lineWidth = 0, TimeSpan lineDependent = default)
    {
        if (size < 1)
        {
            return;
        }

        lock (_gate)
        {
            size = Math.Min(size, _max);
            var width = lineWidth > 0 ? lineWidth : 1;
            _meanWidth = double.IsNaN(_meanWidth) ? width : _meanWidth + (_options.Smoothing * (width - _meanWidth));
            var seconds = Math.Max(0, (execution - lineDependent).TotalSeconds) / width;

            // A size not measured for ExploreInterval decisions starts over: its old estimate may come from a different
            // moment (a cold start, other load) and would otherwise outweigh the fresh measurement four to one.
            var restart = double.IsNaN(_cost[size]) || Stale(size);
            _cost[size] = restart ? seconds : _cost[size] + (_options.Smoothing * (seconds - _cost[size]));
            _samples[size] = restart ? 1 : _samples[size] + 1;
            _measuredAt[size] = _decisions;

            _latencies.Enqueue((fillWait + execution).TotalSeconds);
            if (_latencies.Count > LatencyWindow)
            {
                _latencies.Dequeue();
            }

            AdjustCap();
        }
    }

    /// <summary>
    /// Reports how long a job waited upstream (in the broker) before the worker took it. A wait of at least
    /// <see cref="BatchingOptions.BehindWait"/> marks the worker as behind for the arrival window that follows.
    /// </summary>
    public void ObserveUpstreamWait(TimeSpan now, TimeSpan wait)
    {
        if (_options.BehindWait > TimeSpan.Zero && wait >= _options.BehindWait)
        {
            lock (_gate)
            {
                _behindUntil = now + ArrivalWindow;
            }
        }
    }

    /// <summary>Whether jobs taken within the last arrival window had waited upstream at least <see cref="BatchingOptions.BehindWait"/>.</summary>
    public bool IsBehind(TimeSpan now)
    {
        lock (_gate)
        {
            return now < _behindUntil;
        }
    }

    /// <summary>
    /// Decides the next batch given the items waiting now and how long the oldest has waited. <paramref name="idleExecutors"/>:
    /// the other executors waiting for crops at this moment, each about to take a batch of its own.
    /// </summary>
    public BatchDecision Decide(TimeSpan now, int backlog, TimeSpan oldestWait, int idleExecutors = 0)
    {
        lock (_gate)
        {
            _decisions++;
            Expire(now);
            var rate = _arrivalCount / ArrivalWindow.TotalSeconds;
            if (backlog <= 0 && rate <= 0)
            {
                return Last = new BatchDecision(_options.MinBatchSize, TimeSpan.Zero, BatchReason.Idle);
            }

            var (size, reason) = ChooseSize(rate, backlog);
            _current = size;
            var wait = WaitFor(size, backlog, rate, oldestWait);
            if (now < _behindUntil && reason is BatchReason.KeepUp or BatchReason.Saturated)
            {
                // Behind: jobs wait upstream, so throughput is their latency. Every crop already queued goes along, up to
                // the sizes not measured to cost more a line, none left to the idle executors (BatchingOptions.BehindWait).
                return Last = new BatchDecision(Math.Max(size, AllQueued(size, backlog)), wait, reason);
            }

            return Last = new BatchDecision(reason == BatchReason.KeepUp ? Math.Max(size, Queued(size, backlog - (Math.Max(0, idleExecutors) * size))) : size, wait, reason);
        }
    }

    private (int Size, BatchReason Reason) ChooseSize(double rate, int backlog)
    {
        var min = _options.MinBatchSize;
        var cap = Math.Max(min, _cap);
        if (double.IsNaN(Estimate(min)))
        {
            return (min, BatchReason.Explore);
        }

        // Smallest size that keeps up with arrivals (with headroom): lowest latency at light load.
        // Each executor takes its share of the arrivals: a size keeps up when executors x its throughput does.
        var need = rate * _options.Headroom / Math.Max(1, _options.Executors);
        var keepUp = -1;
        for (var b = min; b <= cap; b++)
        {
            if (!double.IsNaN(Estimate(b)) && Throughput(b) >= need)
            {
                keepUp = b;
                break;
            }
        }

        // Backlog beyond what the current size drains means arrivals outrun it, whatever the rate says.
        var saturated = keepUp < 0 || backlog > 2 * Math.Max(_current, 1);
        if (!saturated)
        {
            return (Stick(keepUp, candidateWins: keepUp < _current || Throughput(_current) < need), BatchReason.KeepUp);
        }

        // The best of the sizes measured often enough to tell and the best of the others; while none is confirmed, the best
        // of all is taken and there is no contender.
        int confirmed = 0, unconfirmed = 0;
        for (var b = min; b <= cap; b++)
        {
            if (double.IsNaN(_cost[b]))
            {
                continue;
            }

            if (_samples[b] >= ConfirmSamples)
            {
                confirmed = confirmed == 0 || Throughput(b) > Throughput(confirmed) ? b : confirmed;
            }
            else
            {
                unconfirmed = unconfirmed == 0 || Throughput(b) > Throughput(unconfirmed) ? b : unconfirmed;
            }
        }

        var best = confirmed > 0 ? confirmed : Math.Max(unconfirmed, min); // min is measured by now
        var contender = confirmed > 0 ? unconfirmed : 0;

        // A size that looks better on too few measurements is measured again before it is taken: on a shared machine one
        // lucky batch made a size that costs 40 % more a line look best, and the controller took it.
        if (contender > 0 && Throughput(contender) > Throughput(best) * (1 + _options.Hysteresis) && backlog >= contender && !Stale(contender))
        {
            return (contender, BatchReason.Explore);
        }

        // Measure the next larger size when it is unknown or stale, the backlog can fill it and the last doubling paid:
        // throughput rises with the batch and then flattens or falls (padding, caches), so where doubling gained nothing
        // the next doubling is not tried. On the CPU that is a batch of 16 or 32 not run to learn that it costs twice as
        // much a line; on a GPU every doubling up to the plateau pays and is tried.
        var next = Math.Min(cap, Larger(best));
        if (backlog >= next && WorthExploring(next, best))
        {
            return (Explored(next), BatchReason.Explore);
        }

        // And the next smaller one when stale: only the size in use is measured all the time, so a smaller size judged
        // on one slow early measurement would otherwise never be tried again.
        var smaller = Math.Max(min, best / 2);
        if (smaller < best && !double.IsNaN(_cost[smaller]) && Due(smaller))
        {
            return (Explored(smaller), BatchReason.Explore);
        }

        return (Stick(best, candidateWins: Throughput(best) > Throughput(_current) * (1 + _options.Hysteresis)), BatchReason.Saturated);
    }

    // Behind: the queued crops a batch of `size` takes, up to the cap: the largest size measured lately to give no fewer
    // lines a second than `size` by more than the hysteresis, or one size more that is not measured (or stale), which this
    // batch then measures; a batch grows into unmeasured sizes one at a time, never straight to the whole queue.
    private int AllQueued(int size, int backlog)
    {
        var most = Math.Min(Math.Max(_options.MinBatchSize, _cap), backlog);
        var take = size;
        var measuring = false;
        for (var b = size + 1; b <= most; b++)
        {
            if (!double.IsNaN(_cost[b]) && !Stale(b))
            {
                take = Throughput(b) * (1 + _options.Hysteresis) >= Throughput(size) ? b : take;
            }
            else if (!measuring && b == take + 1)
            {
                take = b;
                measuring = true;
            }
        }

        return take;
    }

    private bool Stale(int size) => _decisions - _measuredAt[size] > _options.ExploreInterval;

    // How many of the crops already queued a keep-up batch of `size` takes: up to the larger size measured (ConfirmSamples
    // times, lately) to cost less a line by more than the hysteresis, or one that looks so on fewer measurements, to measure
    // it again, or the next larger size to measure it when unknown and due. The wait stays the keep-up size's, so light
    // load keeps its latency; but where every stage shares the cores (end to end on a small machine) the recognizer's queue
    // stays short, the keep-up size is 1, and batches of one ran where two crops were queued and a batch of them cost less
    // a line (docs/benchmarks.md, "End to end with the simplified models"). A size that looked cheaper on one measurement
    // was not measured again before: explored once per ExploreInterval, it went stale before its third measurement and
    // was never taken. `backlog` leaves out the crops the other idle executors are about to take, a batch of `size` each:
    // two crops queued together are read at once by two executors, not one after the other by one (a looser rule
    // tried without this, queued crops taken unless dearer a line, raised in-process p50 at 50 jobs/s by 12-34 %;
    // docs/benchmarks.md, "Over capacity end to end").
    private int Queued(int size, int backlog)
    {
        var most = Math.Min(Math.Max(_options.MinBatchSize, _cap), backlog);
        int best = size, contender = 0;
        for (var b = size + 1; b <= most; b++)
        {
            if (double.IsNaN(_cost[b]) || Stale(b) || Throughput(b) <= Throughput(best) * (1 + _options.Hysteresis))
            {
                continue;
            }

            if (_samples[b] >= ConfirmSamples)
            {
                best = b;
            }
            else
            {
                contender = Math.Max(contender, b);
            }
        }

        if (contender > best)
        {
            return contender;
        }

        var next = Math.Min(most, Larger(best));
        return WorthExploring(next, best) ? Explored(next) : best;
    }

    // The next larger size to measure after best: double it (one more for 1).
    private static int Larger(int best) => Math.Max(best + 1, best * 2);

    // Whether the larger size next is to be measured: unknown or stale and not asked for lately, and the last doubling paid.
    private bool WorthExploring(int next, int best) => next > best && Due(next) && DoublingPaid(best);

    // Unknown or stale, and not asked for in the last ExploreInterval decisions: a size asked for may not come back
    // measured (its bucket held fewer crops, or another executor's decision already took them), and asking again at every
    // decision made a fifth of all batches explorations.
    private bool Due(int size) =>
        (double.IsNaN(_cost[size]) || Stale(size)) && (_exploredAt[size] < 0 || _decisions - _exploredAt[size] > _options.ExploreInterval);

    private int Explored(int size)
    {
        _exploredAt[size] = _decisions;
        return size;
    }

    // Whether the sizes up to half of best, if any was measured, gave less than best by more than the hysteresis.
    private bool DoublingPaid(int best)
    {
        var below = 0.0;
        for (var b = _options.MinBatchSize; b <= best / 2; b++)
        {
            below = double.IsNaN(_cost[b]) ? below : Math.Max(below, Throughput(b));
        }

        return Throughput(best) > below * (1 + _options.Hysteresis);
    }

    private int Stick(int candidate, bool candidateWins) =>
        candidate == _current || candidateWins || _current > _cap || double.IsNaN(Estimate(_current)) ? candidate : _current;

    private TimeSpan WaitFor(int size, int backlog, double rate, TimeSpan oldestWait)
    {
        if (backlog >= size || rate <= 0)
        {
            return TimeSpan.Zero;
        }

        // Wait as long as the missing items are expected to take, if they are expected within the allowed wait
        // (Batching:MaxWait and the objective's slack). A batch that is not expected to fill in time would only
        // delay the items already here: at light load a short burst of arrivals must not make the first ones
        // wait for company that is 70 ms away.
        var fill = TimeSpan.FromSeconds((size - Math.Max(backlog, 0)) / rate);
        var execution = TimeSpan.FromSeconds(double.IsNaN(Estimate(size)) ? 0 : Estimate(size));
        var slack = _options.LatencyObjective - execution - oldestWait;
        var allowed = TimeSpan.FromTicks(Math.Min(_options.MaxWait.Ticks, Math.Max(0, slack.Ticks)));
        return fill <= allowed ? fill : TimeSpan.Zero;
    }

    private double Throughput(int size)
    {
        var seconds = Estimate(size);
        return double.IsNaN(seconds) || seconds <= 0 ? 0 : size / seconds;
    }

    /// <summary>The cost of <paramref name="size"/> at the mean line width.</summary>
    private double Estimate(int size) => EstimatePerColumn(size) * (double.IsNaN(_meanWidth) ? 1 : _meanWidth);

    /// <summary>Measured cost per line column, else interpolated between measured neighbours, else scaled linearly from below.</summary>
    private double EstimatePerColumn(int size)
    {
        if (size < 1 || size >= _cost.Length)
        {
            return double.NaN;
        }

        if (!double.IsNaN(_cost[size]))
        {
            return _cost[size];
        }

        int lower = size - 1, upper = size + 1;
        while (lower >= 1 && double.IsNaN(_cost[lower]))
        {
            lower--;
        }

        while (upper < _cost.Length && double.IsNaN(_cost[upper]))
        {
            upper++;
        }

        if (lower >= 1 && upper < _cost.Length)
        {
            var f = (size - lower) / (double)(upper - lower);
            return _cost[lower] + (f * (_cost[upper] - _cost[lower]));
        }

        // Only smaller sizes measured: assume no batching gain beyond them (pessimistic, so it must be measured).
        return lower >= 1 ? _cost[lower] * size / lower : double.NaN;
    }

    private void AdjustCap()
    {
        if (_latencies.Count < MinLatencySamples)
        {
            return;
        }

        var p95 = Percentile95();
        var objective = _options.LatencyObjective.TotalSeconds;
        if (p95 > objective && _cap > _options.MinBatchSize)
        {
            _cap = Math.Max(_options.MinBatchSize, _cap / 2);
            _latencies.Clear();
            _samplesSinceGrow = 0;
            Last = Last with { Reason = BatchReason.BackOff };
            return;
        }

        if (p95 < 0.7 * objective && _cap < _max && ++_samplesSinceGrow >= MinLatencySamples)
        {
            _cap++;
            _samplesSinceGrow = 0;
        }
    }

    private double Percentile95()
    {
        var sorted = _latencies.Order().ToArray();
        return sorted[(int)Math.Ceiling(0.95 * sorted.Length) - 1];
    }

    private void Expire(TimeSpan now)
    {
        while (_arrivals.Count > 0 && now - _arrivals.Peek().At > ArrivalWindow)
        {
            _arrivalCount -= _arrivals.Dequeue().Count;
        }
    }
}
