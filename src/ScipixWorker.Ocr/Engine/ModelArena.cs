namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Under jemalloc, the threads that run models (stage-1 threads, recognizer executors, the warm-up) allocate from one
/// arena of their own, so the activations one run frees are reused by the next run on any of them. jemalloc
/// otherwise spreads threads over four arenas per core and keeps freed pages in the arena that freed them for about
/// ten seconds: every model thread held a model run's worth of its own (docs/benchmarks.md, "One jemalloc arena for
/// the model threads"). The other threads (broker, storage, HTTP) keep jemalloc's defaults. Off until
/// <see cref="Enable"/>, which the worker calls at start where jemalloc serves the process.
/// </summary>
public static class ModelArena
{
    private static readonly object Gate = new();
    private static int _arena = -1;

    /// <summary>The shared arena's index once <see cref="Enable"/> has created it; null while off.</summary>
    public static int? Index => Volatile.Read(ref _arena) is var arena and >= 0 ? arena : null;

    /// <summary>
    /// Creates the shared arena (once). Call only where jemalloc is the process's allocator (preloaded): a jemalloc
    /// loaded beside another malloc would create an arena nothing allocates from. False where it cannot be created.
    /// </summary>
    public static bool Enable()
    {
        lock (Gate)
        {
            if (_arena < 0 && Jemalloc.Read("arenas.create") is { } created)
            {
                Volatile.Write(ref _arena, created);
            }

            return _arena >= 0;
        }
    }

    /// <summary>
    /// Creates the shared arena where jemalloc serves the process (<see cref="ProcessAllocator"/>); false elsewhere. The
    /// worker and the command line call it at start, before the engine's threads: without it, a process on jemalloc that
    /// reads long lines (pages of documents) faulted its activations in afresh on every run (23 s against 1.3 s a page of
    /// 10.5-point text, docs/benchmarks.md, "Fonts that name no text").
    /// </summary>
    public static bool EnableUnderJemalloc() => ProcessAllocator.Current == ProcessAllocator.Jemalloc && Enable();

    /// <summary>Moves the calling thread's native allocations to the shared arena; does nothing while it is off.</summary>
    public static void JoinCurrentThread()
    {
        if (Index is { } arena)
        {
            // Refused only for an index jemalloc does not have, and this one came from jemalloc.
            _ = Jemalloc.Write("thread.arena", arena);
        }
    }

    /// <summary>The calling thread's jemalloc arena (tests, diagnostics); null without jemalloc.</summary>
    public static int? CurrentThreadArena() => Jemalloc.Read("thread.arena");
}
