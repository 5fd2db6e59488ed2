using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Memory;

/// <summary>
/// Gives the native heap's free pages back to the system (glibc's <c>malloc_trim</c>): every
/// Worker:NativeHeapTrimInterval, and as soon as the memory leased by model runs has fallen by
/// Worker:NativeHeapTrimAfterMegabytes from its peak since the last trim. ONNX Runtime allocates and frees its
/// activations on every run (its CPU arena is off by default to keep memory low), and glibc keeps freed pages of its
/// heaps resident unless they happen to sit at a heap's top, in one arena per thread: measured, the main heap alone
/// held about 250 MB after a thousand single-line jobs, and bursts of receipt pages peaked at 1.0-1.3 GiB with one
/// trim a second while the live native heap stayed under 150 MB. Trimming releases the free pages wherever they are
/// (docs/benchmarks.md).
/// <para>
/// The fall, not the total returned: a stream of small runs (single lines, 7-10 MiB each) returns hundreds of
/// megabytes a second, but each run reuses the pages the one before freed. Trimming after every 64 MiB
/// of them gave back only pages the next runs faulted in again, up to twenty times a second, and on a VM where a
/// page fault is dear that cost a third of single-line throughput (docs/benchmarks.md, "Trimming after large runs
/// only"). A page's detection (100-300 MiB), or runs side by side that end together, still fall by far more, even
/// when the next detection takes their lease at once: its thread may allocate from another of glibc's arenas.
/// </para>
/// </summary>
internal sealed class NativeHeapTrimmer(IOptions<WorkerOptions> options, MemoryBudget budget, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    /// <summary>How often the budget's returned memory is checked.</summary>
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>Trims done, since start.</summary>
    public long Trims => Interlocked.Read(ref _trims);

    private long _trims;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval <= TimeSpan.Zero || !OperatingSystem.IsLinux())
        {
            return;
        }

        if (NativeAllocator.Current != NativeAllocator.Glibc)
        {
            // jemalloc (the container image preloads it) gives freed pages back itself; malloc_trim would only walk
            // glibc's unused heaps.
            Log.NativeHeapTrimUnavailable(logger, $"the native allocator is {NativeAllocator.Current}, not glibc; it returns freed memory itself");
            return;
        }

        var after = options.Value.NativeHeapTrimAfterMegabytes * 1024L * 1024L;
        using var timer = new PeriodicTimer(after > 0 && budget.IsLimited ? TimeSpan.FromTicks(Math.Min(Poll.Ticks, interval.Ticks)) : interval);
        var lastTrim = TimeProvider.System.GetTimestamp();
        try
        {
            // The budget's fall counts from start, not from now: what the warm-up freed is trimmed at once.
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if ((after > 0 && budget.Fall >= after) || TimeProvider.System.GetElapsedTime(lastTrim) >= interval)
                {
                    budget.ResetFall();
                    MallocTrim(0);
                    Interlocked.Increment(ref _trims);
                    lastTrim = TimeProvider.System.GetTimestamp();
                }
            }
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            // Not glibc (musl, for one, has no malloc_trim): nothing to trim with.
            Log.NativeHeapTrimUnavailable(logger, ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [DllImport("libc", EntryPoint = "malloc_trim")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallocTrim(nuint pad);
}
