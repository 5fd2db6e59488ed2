using System.Runtime.InteropServices;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// jemalloc's control interface (<c>mallctl</c>) for its unsigned and 64-bit settings, where the process runs on a preloaded
/// jemalloc (the container image's allocator); every call answers null or false where there is no jemalloc.
/// </summary>
public static class Jemalloc
{
    /// <summary>Reads an unsigned value (<c>opt.narenas</c>, <c>thread.arena</c>; <c>arenas.create</c> creates an arena and reads its index).</summary>
    public static int? Read(string name) => Read<uint>(name) is { } value ? (int)value : null;

    /// <summary>Reads a 64-bit value (a <c>size_t</c> such as <c>opt.oversize_threshold</c>).</summary>
    public static long? ReadInt64(string name) => Read<long>(name);

    /// <summary>Writes an unsigned value (<c>thread.arena</c>); false where jemalloc refuses it or is not there.</summary>
    public static bool Write(string name, int value)
    {
        try
        {
            var unsigned = checked((uint)value);
            return Mallctl(name, IntPtr.Zero, IntPtr.Zero, ref unsigned, sizeof(uint)) == 0;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // One value of exactly T's size; null where jemalloc has no such setting, answers another size, or is not there.
    private static unsafe T? Read<T>(string name)
        where T : unmanaged
    {
        try
        {
            T value;
            var size = (nuint)sizeof(T);
            return Mallctl(name, &value, ref size, IntPtr.Zero, 0) == 0 && size == (nuint)sizeof(T) ? value : null;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    // The preloaded library: dlopen hands back the copy already mapped into the process.
    [DllImport("libjemalloc.so.2", EntryPoint = "mallctl", ExactSpelling = true)]
    private static extern unsafe int Mallctl([MarshalAs(UnmanagedType.LPUTF8Str)] string name, void* oldValue, ref nuint oldLength, IntPtr newValue, nuint newLength);

    [DllImport("libjemalloc.so.2", EntryPoint = "mallctl", ExactSpelling = true)]
    private static extern int Mallctl([MarshalAs(UnmanagedType.LPUTF8Str)] string name, IntPtr oldValue, IntPtr oldLength, ref uint newValue, nuint newLength);
}
