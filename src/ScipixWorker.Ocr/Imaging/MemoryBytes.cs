using System.Runtime.InteropServices;

namespace ScipixWorker.Ocr.Imaging;

internal static class MemoryBytes
{
    /// <summary>A read-only stream over <paramref name="memory"/>: over its array in place when it has one, else over a copy.</summary>
    public static Stream AsStream(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(memory.ToArray(), writable: false);
}
