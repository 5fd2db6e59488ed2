using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Memory;

/// <summary>
/// Which malloc serves the process's native memory (ONNX Runtime's activations, ImageSharp's buffers): jemalloc
/// where the container image preloads it (<c>LD_PRELOAD</c>), else the C library's (glibc). jemalloc keeps a model
/// run's peak at its live size: one detection of a 960 x 960 page added 102 MiB with it against 240 MiB with
/// glibc, whose heaps fragment under ONNX Runtime's many large, short-lived tensors (docs/benchmarks.md, "jemalloc").
/// It also gives freed memory back by itself (dirty pages decay), so the glibc-only trimming is skipped under it.
/// Like glibc, jemalloc keeps freed memory in the arena of the thread that freed it (four arenas per core by
/// default), so under it the model threads share an arena of their own (<c>ModelArena</c>), which the start-up
/// log line shows.
/// </summary>
internal static class NativeAllocator
{
    public const string Jemalloc = ProcessAllocator.Jemalloc;

    public const string Glibc = ProcessAllocator.Glibc;

    public const string Other = ProcessAllocator.Other;

    /// <summary>The allocator of this process: <see cref="Jemalloc"/>, <see cref="Glibc"/> or <see cref="Other"/>.</summary>
    public static string Current => ProcessAllocator.Current;

    /// <summary>
    /// The allocator and, for jemalloc, its arenas and what it does with large allocations, for the start-up log
    /// ("jemalloc, 8 arenas, model threads share arena 8, large allocations kept").
    /// </summary>
    public static string Description => Current == Jemalloc
        ? Describe(Current, JemallocArenas(), ModelArena.Index, JemallocOversizeThreshold())
        : Describe(Current, null, null);

    /// <summary>
    /// Formats <see cref="Description"/>: the allocator (glibc with a word on jemalloc), its arena count, the model
    /// threads' shared arena, and jemalloc's <c>opt.oversize_threshold</c>: above 0, every freed allocation of that
    /// size or more goes back to the kernel at once, and a model run's large activations are faulted in afresh on every
    /// run (page bursts spent a third of the worker's CPU in the kernel and ran 25-40 % slower; docs/operations.md).
    /// </summary>
    public static string Describe(string allocator, int? arenas, int? modelArena, long? oversizeThreshold = null)
    {
        if (allocator == Glibc)
        {
            return $"{Glibc}, trimmed by the worker (preload jemalloc as the container image does: less memory, and bursts of " +
                "pages 1.7 times as fast where page faults are dear)";
        }

        var text = arenas switch
        {
            null => allocator,
            1 => $"{allocator}, 1 arena",
            _ => $"{allocator}, {arenas} arenas",
        };
        text = modelArena is { } index ? $"{text}, model threads share arena {index}" : text;
        return oversizeThreshold switch
        {
            null => text,
            0 => $"{text}, large allocations kept",
            var threshold => $"{text}, allocations of {threshold / (1024 * 1024.0):0.#} MiB or more returned to the kernel at once " +
                "(slow for model runs: set MALLOC_CONF=oversize_threshold:0, as the container image does)",
        };
    }

    /// <summary>jemalloc's <c>opt.oversize_threshold</c> (0: large allocations stay in their arenas); null where it cannot be read.</summary>
    public static long? JemallocOversizeThreshold() => Ocr.Engine.Jemalloc.ReadInt64("opt.oversize_threshold");

    /// <summary>jemalloc's arena count for threads (<c>opt.narenas</c>: MALLOC_CONF's narenas, else four per core); null where it cannot be read.</summary>
    public static int? JemallocArenas() => Ocr.Engine.Jemalloc.Read("opt.narenas");

    /// <summary>Names the allocator from <c>/proc/self/maps</c>: a mapped libjemalloc wins over libc.</summary>
    public static string Detect(string? maps) => ProcessAllocator.Detect(maps);
}
