using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The memory allocator of one decode: hands ImageSharp's requests to the shared allocator and refuses any that
/// would bring what this decode holds above <see cref="LimitBytes"/>. The header checks bound one page; this
/// bounds the whole decode, whatever the file claims: ImageSharp 2.1 decodes every frame of a GIF or WebP at the
/// full canvas size before the page count can be checked, so a 1.4 KB GIF of 60 one-pixel frames on a
/// 4000 x 4000 canvas took 4.3 GB, and 2,000 such frames (46 KB) would take 128 GB.
/// </summary>
/// <remarks>
/// With <paramref name="rgbPages"/>, a decode to <see cref="Rgb24"/> (a JPEG, a PNG without alpha, a TIFF page without
/// extra samples) gets its pixel rows of <see cref="RgbBuffer.NativeFromBytes"/> or more in native memory that
/// <see cref="TakePage"/> hands to the page's <see cref="RgbBuffer"/> as it is: with <see cref="Configuration.PreferContiguousImageBuffers"/> set, ImageSharp asks
/// for the whole image in one allocation, laid out as the buffer's rows are. The page is then never copied, and never
/// held twice.
/// </remarks>
internal sealed class DecodeAllocator(MemoryAllocator inner, long limitBytes, bool rgbPages = false) : MemoryAllocator
{
    // ImageSharp splits a large image into buffers of at most this size (its own default pools 4 MiB buffers too).
    private const int BufferCapacityBytes = 4 * 1024 * 1024;

    private readonly List<NativePixels> _pages = [];
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
            var owner = rgbPages && typeof(T) == typeof(Rgb24) && bytes >= RgbBuffer.NativeFromBytes
                ? (IMemoryOwner<T>)(object)Track(new NativePixels(length, options.HasFlag(AllocationOptions.Clean)))
                : inner.Allocate<T>(length, options);
            return new Counted<T>(owner, this, bytes);
        }
        catch
        {
            Interlocked.Add(ref _held, -bytes);
            throw;
        }
    }

    protected override int GetBufferCapacityInBytes() => BufferCapacityBytes;

    /// <summary>
    /// The pixels of <paramref name="image"/>, decoded by this allocator with <c>rgbPages</c>, as a rented
    /// <see cref="RgbBuffer"/> that now owns their memory; null when they are not in memory of this allocator's (an
    /// image under <see cref="RgbBuffer.NativeFromBytes"/>, or not in one piece), to be copied instead. The image must be
    /// disposed afterwards and not read: its memory is the buffer's.
    /// </summary>
    public unsafe RgbBuffer? TakePage(Image<Rgb24> image)
    {
        // ImageSharp hands the pixels out wrapped in its own view: they are found by their address.
        if (image.Frames.Count != 1 || !image.DangerousTryGetSinglePixelMemory(out var pixels) || pixels.Length != image.Width * image.Height)
        {
            return null;
        }

        using var pinned = pixels.Pin();
        var address = (IntPtr)pinned.Pointer;
        lock (_pages)
        {
            var page = _pages.Find(p => p.Address == address && p.Length == pixels.Length);
            return page?.Detach() is { } native ? RgbBuffer.Adopt(image.Width, image.Height, native) : null;
        }
    }

    private NativePixels Track(NativePixels pixels)
    {
        lock (_pages)
        {
            _pages.Add(pixels);
        }

        return pixels;
    }

    // Rows of RGB in native memory that a page's buffer may take over (Detach), or that are freed with the image.
    private sealed unsafe class NativePixels : MemoryManager<Rgb24>
    {
        private readonly int _length;
        private RgbBuffer.NativeBytes? _bytes;

        public NativePixels(int length, bool clean)
        {
            _length = length;
            _bytes = new RgbBuffer.NativeBytes(checked(length * 3));
            if (clean)
            {
                NativeMemory.Clear((void*)_bytes.Pointer, (nuint)_bytes.Length);
            }
        }

        public int Length => _length;

        /// <summary>The memory's address; zero once it is freed or handed on.</summary>
        public IntPtr Address => _bytes?.Pointer ?? IntPtr.Zero;

        /// <summary>The memory, handed on: disposing this no longer frees it. Null once freed or handed on.</summary>
        public RgbBuffer.NativeBytes? Detach() => Interlocked.Exchange(ref _bytes, null);

        public override Span<Rgb24> GetSpan() => new((void*)Pointer(), _length);

        // Native memory does not move: pinning is its address.
        public override MemoryHandle Pin(int elementIndex = 0) => new((Rgb24*)Pointer() + elementIndex);

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing) => Detach()?.Dispose();

        private IntPtr Pointer() => Address is var address && address != IntPtr.Zero
            ? address
            : throw new ObjectDisposedException(nameof(NativePixels), "The decoded pixels were freed or handed to a page.");
    }

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
