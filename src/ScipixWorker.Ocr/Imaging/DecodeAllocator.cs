using System.Buffers;
using System.Runtime.CompilerServices;
using SixLabors.ImageSharp.Memory;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The memory allocator of one decode: hands ImageSharp's requests to the shared allocator and refuses any that
/// would bring what this decode holds above <see cref="LimitBytes"/>. The header checks bound one page; this
/// bounds the whole decode, whatever the file claims: ImageSharp 2.1 decodes every frame of a GIF or WebP at the
/// full canvas size before the page count can be checked, so a 1.4 KB GIF of 60 one-pixel frames on a
/// 4000 x 4000 canvas took 4.3 GB, and 2,000 such frames (46 KB) would take 128 GB.
/// </summary>
internal sealed class DecodeAllocator(MemoryAllocator inner, long limitBytes) : MemoryAllocator
{
    // ImageSharp splits a large image into buffers of at most this size (its own default pools 4 MiB buffers too).
    private const int BufferCapacityBytes = 4 * 1024 * 1024;

    private long _held;
    private long _peak;

    /// <summary>The most this decode may hold at once.</summary>
    public long LimitBytes => limitBytes;

    /// <summary>What this decode holds now.</summary>
    public long HeldBytes => Interlocked.Read(ref _held);

    /// <summary>The most this decode held at once.</summary>
    public long PeakBytes => Interlocked.Read(ref _peak);

    public override IMemoryOwner<T> Allocate<T>(int length, AllocationOptions options = AllocationOptions.None)
    {
        var bytes = (long)length * Unsafe.SizeOf<T>();
        var held = Interlocked.Add(ref _held, bytes);
        if (held > limitBytes)
        {
            Interlocked.Add(ref _held, -bytes);
            throw new DecodeLimitExceededException(limitBytes, held);
        }

        long peak;
        while (held > (peak = Interlocked.Read(ref _peak)) && Interlocked.CompareExchange(ref _peak, held, peak) != peak)
        {
        }

        try
        {
            return new Counted<T>(inner.Allocate<T>(length, options), this, bytes);
        }
        catch
        {
            Interlocked.Add(ref _held, -bytes);
            throw;
        }
    }

    protected override int GetBufferCapacityInBytes() => BufferCapacityBytes;

    private sealed class Counted<T>(IMemoryOwner<T> owner, DecodeAllocator allocator, long bytes) : IMemoryOwner<T>
    {
        private int _disposed;

        public Memory<T> Memory => owner.Memory;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Dispose();
                Interlocked.Add(ref allocator._held, -bytes);
            }
        }
    }
}

/// <summary>A decode asked for more memory than <see cref="DecodeAllocator.LimitBytes"/> allows.</summary>
internal sealed class DecodeLimitExceededException(long limitBytes, long wantedBytes)
    : InvalidMemoryOperationException($"Decoding needs more than {limitBytes} bytes ({wantedBytes} asked for).")
{
    public long LimitBytes { get; } = limitBytes;
}
