using System.Collections.Concurrent;

namespace ScipixWorker.Jobs;

/// <summary>
/// A fixed set of named background threads that run work items in arrival order. Stage 1 of each job (decode,
/// detection, cropping, orientation) runs here rather than on a new thread per job: a thread per job paid for its
/// creation on every job and lost everything the runtime keeps per thread (the shared array pool keeps returned
/// arrays in a slot of the returning thread, so each page's buffers died with its thread). Work runs as plain
/// delegates, not tasks of a custom scheduler, so awaits inside it do not come back to these threads. It runs in its
/// caller's execution context, as work given to <see cref="Task.Run(Action)"/> does: the job's trace span
/// (<see cref="System.Diagnostics.Activity.Current"/>) and logging scope go with it.
/// </summary>
internal sealed class DedicatedThreads : IDisposable
{
    private readonly BlockingCollection<Action> _work = new(new ConcurrentQueue<Action>());
    private readonly Thread[] _threads;
    private readonly Action? _threadStarted;

    /// <param name="count">Threads to start.</param>
    /// <param name="name">Their name prefix (name-0, name-1, ...).</param>
    /// <param name="threadStarted">Runs first on each thread (stage 1 joins the model threads' jemalloc arena).</param>
    public DedicatedThreads(int count, string name, Action? threadStarted = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        _threadStarted = threadStarted;
        _threads = new Thread[count];
        for (var i = 0; i < count; i++)
        {
            _threads[i] = new Thread(Loop) { IsBackground = true, Name = $"{name}-{i}" };
            _threads[i].Start();
        }
    }

    public int Count => _threads.Length;

    /// <summary>
    /// Runs <paramref name="work"/> on one of the threads; the task completes with its result or exception, or
    /// is cancelled without running when <paramref name="cancellationToken"/> fires before a thread takes it.
    /// </summary>
    public Task<T> Run<T>(Func<T> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (cancellationToken.IsCancellationRequested)
        {
            completion.SetCanceled(cancellationToken);
            return completion.Task;
        }

        var context = ExecutionContext.Capture();
        _work.Add(
            () =>
            {
                if (context is null)
                {
                    RunItem();
                }
                else
                {
                    ExecutionContext.Run(context, static state => ((Action)state!)(), (Action)RunItem);
                }
            },
            CancellationToken.None); // queued work always runs (and reports a cancellation itself)
        return completion.Task;

        void RunItem()
        {
            if (cancellationToken.IsCancellationRequested)
            {
                completion.TrySetCanceled(cancellationToken);
                return;
            }

            try
            {
                completion.TrySetResult(work());
            }
            catch (OperationCanceledException ex)
            {
                completion.TrySetCanceled(ex.CancellationToken);
            }
            catch (Exception ex)
            {
                completion.TrySetException(ex);
            }
        }
    }

    /// <summary>Lets the threads finish the work already queued and end; no new work is accepted.</summary>
    public void Dispose() => _work.CompleteAdding();

    private void Loop()
    {
        _threadStarted?.Invoke();
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
