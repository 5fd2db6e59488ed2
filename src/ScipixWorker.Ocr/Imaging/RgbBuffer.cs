using System.Buffers;
using System.Runtime.InteropServices;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Interleaved 8-bit RGB pixels, row-major, no padding: the working format of every pre-processing step.
/// A plain array keeps resizes and warps allocation-light and free of ImageSharp's resampling choices,
/// which differ from OpenCV's (PaddleOCR's reference).
/// </summary>
internal sealed class RgbBuffer
{
    // Rented buffers of this size or more (decoded pages, a page resized or turned for the detector) live in native
    // memory; smaller ones (crops resized to 48 px high, lines stretched) come from a pool of arrays.
    internal const int NativeFromBytes = 1024 * 1024;

    // Below NativeFromBytes: shared by all threads (ArrayPool.Shared keeps returns in a slot of the returning thread
    // first), four arrays per size class at most.
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(NativeFromBytes, 4);

    private readonly byte[]? _array;
    private readonly NativeBytes? _native;
    private int _rented;

    public RgbBuffer(int width, int height)
        : this(width, height, new byte[checked(width * height * 3)])
    {
    }

    public RgbBuffer(int width, int height, byte[] data)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (data.Length < width * height * 3)
        {
            throw new ArgumentException("The buffer is smaller than width * height * 3.", nameof(data));
        }

        Width = width;
        Height = height;
        _array = data;
    }

    private RgbBuffer(int width, int height, NativeBytes native)
    {
        Width = width;
        Height = height;
        _native = native;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>
    /// A line cut from a page of pure black and white, read smoothed (<see cref="BilevelSmoothing"/>); buffers made from
    /// it (turned, stretched, windows of it) carry it on.
    /// </summary>
    public bool Bilevel { get; set; }

    /// <summary>
    /// A picture rendered here from a PDF's shapes (<see cref="PdfDrawnText"/>): anti-aliased by design, so never read
    /// as a bilevel page, even where every edge falls between pixels (a bitmap font at a whole scale).
    /// </summary>
    public bool Drawn { get; set; }

    /// <summary>
    /// R, G, B bytes, <c>Width * 3</c> per row (a rented buffer's array may be longer). A rented buffer's memory is
    /// valid until <see cref="Release"/>; reading it afterwards throws <see cref="ObjectDisposedException"/>.
    /// </summary>
    public Span<byte> Data => _array ?? _native!.Span;

    /// <summary>True for a <see cref="Rent"/> buffer in native memory (<see cref="NativeFromBytes"/> or more).</summary>
    internal bool IsNative => _native is not null;

    /// <summary>The array of a buffer that is not in native memory (tests: which pooled array a rented one has).</summary>
    internal byte[]? ManagedArray => _array;

    public int Stride => Width * 3;

    public Span<byte> Row(int y) => Data.Slice(y * Stride, Stride);

    public ReadOnlySpan<byte> ReadOnlyRow(int y) => Data.Slice(y * Stride, Stride);

    /// <summary>
    /// A buffer whose contents are undefined, for pixels read once and then given back with <see cref="Release"/>.
    /// </summary>
    /// <remarks>
    /// Decoded pages (2-60 MB each) and the page resized or turned for the detector (1-3 MB) are native memory, freed
    /// on <see cref="Release"/>, where the next allocation of any size reuses it: under jemalloc the stage-1 threads
    /// share an arena with the model threads (<see cref="Engine.ModelArena"/>), so a page's memory serves the
    /// detection that follows. A pool of arrays kept them on the large-object heap instead: power-of-two size classes,
    /// a few arrays each, so a burst of pages kept an array of every class its pages had needed at once (32 MiB for a
    /// receipt of 25 MiB), resident whether in use or not. Crops resized to 48 px high (up to 0.2 MB) still come from
    /// a pool of arrays: many per job, and small. A rented buffer that is never released is freed when it is
    /// collected (a job that failed half way); the engine releases every one it rents.
    /// </remarks>
    public static RgbBuffer Rent(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var bytes = checked(width * height * 3);
        return bytes >= NativeFromBytes
            ? new RgbBuffer(width, height, new NativeBytes(bytes)) { _rented = 1 }
            : new RgbBuffer(width, height, Pool.Rent(bytes)) { _rented = 1 };
    }

    /// <summary>
    /// A rented buffer over native memory filled elsewhere (a JPEG, a PNG without alpha or a TIFF page without extra
    /// samples decoded straight into it, <see cref="DecodeAllocator.TakePage"/>): this buffer owns it from now on and frees it on <see cref="Release"/>.
    /// </summary>
    internal static RgbBuffer Adopt(int width, int height, NativeBytes native)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        if (native.Length < (long)width * height * 3)
        {
            throw new ArgumentException("The memory is smaller than width * height * 3.", nameof(native));
        }

        return new RgbBuffer(width, height, native) { _rented = 1 };
    }

    /// <summary>
    /// Gives a <see cref="Rent"/> buffer back (once; a no-op for other buffers): its native memory is freed, its
    /// array handed to the next renter. The buffer must not be read or written afterwards.
    /// </summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _rented, 0) != 1)
        {
            return;
        }

        if (_native is not null)
        {
            _native.Dispose();
        }
        else
        {
            Pool.Return(_array!);
        }
    }

    /// <summary>
    /// This buffer, or for one in native memory a copy in an array of its own (releasing the native memory): for a
    /// rented buffer that is kept rather than released, such as a line image that is its own crop.
    /// </summary>
    public RgbBuffer Kept()
    {
        if (_native is null)
        {
            return this;
        }

        var copy = new RgbBuffer(Width, Height) { Bilevel = Bilevel };
        Data[..(Stride * Height)].CopyTo(copy.Data);
        Release();
        return copy;
    }

    /// <summary>
    /// Native memory freed once, by <see cref="Dispose"/> or, for a buffer never released, when it is collected. The
    /// garbage collector is told of it (<see cref="GC.AddMemoryPressure"/>), as ImageSharp tells it of its own buffers:
    /// a worker whose pages are all native memory otherwise collects its managed heap so seldom that the garbage of a
    /// burst of pages (downloads, crops, results) piles up, 60-90 MiB at the peak (docs/benchmarks.md, "JPEG pages
    /// decoded straight into their RGB buffer").
    /// </summary>
    internal sealed unsafe class NativeBytes : IDisposable
    {
        private IntPtr _pointer;
        private readonly int _length;

        public NativeBytes(int length)
        {
            _pointer = (IntPtr)NativeMemory.Alloc((nuint)length);
            _length = length;
            GC.AddMemoryPressure(length);
        }

        ~NativeBytes() => Free(_pointer);

        public int Length => _length;

        /// <summary>The memory's address; zero once it is freed.</summary>
        public IntPtr Pointer => _pointer;

        public Span<byte> Span
        {
            get
            {
                var pointer = _pointer;
                return pointer != IntPtr.Zero
                    ? new Span<byte>((void*)pointer, _length)
                    : throw new ObjectDisposedException(nameof(RgbBuffer), "The rented buffer was released.");
            }
        }

        public void Dispose()
        {
            var pointer = Interlocked.Exchange(ref _pointer, IntPtr.Zero);
            if (pointer != IntPtr.Zero)
            {
                Free(pointer);
                GC.SuppressFinalize(this);
            }
        }

        private void Free(IntPtr pointer)
        {
            if (pointer != IntPtr.Zero)
            {
                NativeMemory.Free((void*)pointer);
                GC.RemoveMemoryPressure(_length);
            }
        }
    }
}
