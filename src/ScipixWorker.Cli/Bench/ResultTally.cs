using System.Collections.Concurrent;
using System.Diagnostics;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// The result events of one round of a run's jobs (the warm-up's bursts, then the measured jobs): the first event for each
/// job is kept with its arrival time, a later one for the same job is counted as a duplicate (a job answered twice, as
/// after a redelivery), and an event for a job of another round or another run is ignored. Thread-safe: events arrive on
/// the result consumer's threads.
/// </summary>
internal sealed class ResultTally
{
    private readonly ConcurrentDictionary<Guid, bool> _expected = new();
    private readonly ConcurrentDictionary<Guid, (long Timestamp, bool Recognized)> _received = new();
    private TaskCompletionSource _allArrived = Completed();
    private int _remaining;
    private int _duplicates;

    /// <summary>Completes once every job of the round has had its first result.</summary>
    public Task AllArrived => Volatile.Read(ref _allArrived).Task;

    /// <summary>Events for a job of this round that had already had its result.</summary>
    public int Duplicates => Volatile.Read(ref _duplicates);

    /// <summary>When the last first result of this round arrived (<see cref="Stopwatch.GetTimestamp"/>); null before any.</summary>
    public long? LastArrival => _received.IsEmpty ? null : _received.Values.Max(r => r.Timestamp);

    /// <summary>Starts a round of <paramref name="jobIds"/>; what the round before received is forgotten.</summary>
    public void Begin(IEnumerable<Guid> jobIds)
    {
        _expected.Clear();
        _received.Clear();
        foreach (var jobId in jobIds)
        {
            _expected[jobId] = true;
        }

        Volatile.Write(ref _duplicates, 0);
        Volatile.Write(ref _remaining, _expected.Count);
        Volatile.Write(ref _allArrived, _expected.IsEmpty ? Completed() : new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    public void Arrived(Guid jobId, bool recognized) => Arrived(jobId, recognized, Stopwatch.GetTimestamp());

    public void Arrived(Guid jobId, bool recognized, long timestamp)
    {
        if (!_expected.ContainsKey(jobId))
        {
            return;
        }

        if (!_received.TryAdd(jobId, (timestamp, recognized)))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        if (Interlocked.Decrement(ref _remaining) == 0)
        {
            Volatile.Read(ref _allArrived).TrySetResult();
        }
    }

    /// <summary>The first result of <paramref name="jobId"/> in this round, if it came.</summary>
    public bool TryGet(Guid jobId, out (long Timestamp, bool Recognized) result) => _received.TryGetValue(jobId, out result);

    private static TaskCompletionSource Completed()
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        done.SetResult();
        return done;
    }
}
