using System.Runtime.InteropServices;

namespace ScipixWorker.Memory;

/// <summary>
/// Caps glibc's malloc arenas before the worker starts its threads. glibc gives threads arenas of their own (up
/// to eight per core), and memory one thread frees stays in its arena for that thread: ONNX Runtime runs on the
/// recognition executors and on the stage-1 threads (a new one per page until those became fixed), so each arena
/// grew to a detection's 100-300 MiB and page bursts kept several of them resident at once. Measured in bursts of
/// 30 receipt pages: peak RSS 726-734 MiB with two arenas against 951-1,075 MiB without, at the same throughput
/// (docs/benchmarks.md, "Pages"). glibc computes its limit lazily, once more than eight arenas exist, so calling
/// this first thing in Main, with a handful of arenas made, caps them at the ones already there (the
/// <c>MALLOC_ARENA_MAX</c> environment variable, read by glibc itself at start, wins when set).
/// </summary>
internal static class NativeHeapArenas
{
    /// <summary>The arenas the worker asks for.</summary>
    public const int Limit = 2;

    private const int MArenaMax = -8; // mallopt's M_ARENA_MAX

    /// <summary>Applies <see cref="Limit"/>; false where it does not apply (not glibc, or MALLOC_ARENA_MAX set).</summary>
    public static bool Apply()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") is not null)
        {
            return false;
        }

        try
        {
            return MallOpt(MArenaMax, Limit) == 1;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int MallOpt(int parameter, int value);
}
