namespace ScipixWorker.Memory;

/// <summary>
/// Which malloc serves the process's native memory (ONNX Runtime's activations, ImageSharp's buffers): jemalloc
/// where the container image preloads it (<c>LD_PRELOAD</c>), else the C library's (glibc). jemalloc keeps a model
/// run's peak at its live size: one detection of a 960 x 960 page added 102 MiB with it against 240 MiB with
/// glibc, whose heaps fragment under ONNX Runtime's many large, short-lived tensors (docs/benchmarks.md, "jemalloc").
/// It also gives freed memory back by itself (dirty pages decay), so the glibc-only trimming is skipped under it.
/// </summary>
internal static class NativeAllocator
{
    public const string Jemalloc = "jemalloc";

    public const string Glibc = "glibc";

    public const string Other = "other";

    private static readonly Lazy<string> Detected = new(() => Detect(OperatingSystem.IsLinux() ? ReadMaps() : null));

    /// <summary>The allocator of this process: <see cref="Jemalloc"/>, <see cref="Glibc"/> or <see cref="Other"/>.</summary>
    public static string Current => Detected.Value;

    /// <summary>Names the allocator from <c>/proc/self/maps</c>: a mapped libjemalloc wins over libc.</summary>
    public static string Detect(string? maps)
    {
        if (maps is null)
        {
            return Other;
        }

        var libc = false;
        foreach (var line in maps.AsSpan().EnumerateLines())
        {
            var path = line.LastIndexOf(' ') is var space and >= 0 ? line[(space + 1)..] : line;
            var file = path.LastIndexOf('/') is var slash and >= 0 ? path[(slash + 1)..] : path;
            if (file.StartsWith("libjemalloc.so", StringComparison.Ordinal))
            {
                return Jemalloc;
            }

            libc |= file.StartsWith("libc.so", StringComparison.Ordinal) || file.StartsWith("libc-2.", StringComparison.Ordinal);
        }

        return libc ? Glibc : Other;
    }

    private static string? ReadMaps()
    {
        try
        {
            return File.ReadAllText("/proc/self/maps");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
