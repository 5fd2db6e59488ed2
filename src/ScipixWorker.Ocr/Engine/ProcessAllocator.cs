namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Which malloc serves this process's native memory (ONNX Runtime's activations, decoded pages): jemalloc where it is
/// preloaded (<c>LD_PRELOAD</c>, as the container image does), else the C library's (glibc), read from
/// <c>/proc/self/maps</c>. The worker and the command line set up <see cref="ModelArena"/> by it.
/// </summary>
public static class ProcessAllocator
{
    /// <summary>jemalloc, preloaded.</summary>
    public const string Jemalloc = "jemalloc";

    /// <summary>The GNU C library's malloc.</summary>
    public const string Glibc = "glibc";

    /// <summary>Another, or not known (not Linux).</summary>
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
