using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;

namespace ScipixWorker.Memory;

/// <summary>
/// Gives the native heap's free pages back to the system every Worker:NativeHeapTrimInterval (glibc's
/// <c>malloc_trim</c>). ONNX Runtime allocates and frees its activations on every run (its CPU arena is off by
/// default to keep memory low), and glibc keeps freed pages of its heaps resident unless they happen to sit at a
/// heap's top: measured, the main heap alone held about 250 MB after a thousand single-line jobs, and the worker's
/// RSS climbed from about 450 to 550-680 MiB. Trimming releases the free pages wherever they are (docs/benchmarks.md).
/// </summary>
internal sealed class NativeHeapTrimmer(IOptions<WorkerOptions> options, ILogger<NativeHeapTrimmer> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval <= TimeSpan.Zero || !OperatingSystem.IsLinux())
        {
            return;
        }

        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                MallocTrim(0);
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
