using System.Buffers;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Interleaved 8-bit RGB pixels, row-major, no padding: the working format of every pre-processing step.
/// A plain array keeps resizes and warps allocation-light and free of ImageSharp's resampling choices,
/// which differ from OpenCV's (PaddleOCR's reference).
/// </summary>
internal sealed class RgbBuffer
{
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
        Data = data;
    }

    public int Width { get; }

    public int Height { get; }

    /// <summary>R, G, B bytes, <c>Width * 3</c> per row.</summary>
    public byte[] Data { get; }

    public int Stride => Width * 3;

    public Span<byte> Row(int y) => Data.AsSpan(y * Stride, Stride);

    public ReadOnlySpan<byte> ReadOnlyRow(int y) => Data.AsSpan(y * Stride, Stride);

    // Decoded pages (6-60 MB each) and scratch images read once into a model's input (a page resized for the
    // detector, 1-3 MB; crops resized to 48 px high, up to 0.2 MB) come from a small pool of their own instead of
    // the large-object heap, where each left its buffer as garbage until the next full collection. Shared by all
    // threads (ArrayPool.Shared keeps returns in a slot of the returning thread first); four arrays per size class
    // at most, and none above 64 MB (larger pages are allocated and dropped as before).
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(64 * 1024 * 1024, 4);

    private int _pooled;

    /// <summary>A buffer from the pool (contents undefined); give it back with <see cref="ReturnToPool"/> once nothing reads it.</summary>
    public static RgbBuffer Rent(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return new RgbBuffer(width, height, Pool.Rent(checked(width * height * 3))) { _pooled = 1 };
    }

    /// <summary>
    /// Returns a <see cref="Rent"/> buffer to the pool (once; a no-op for other buffers). The buffer must not be
    /// read or written afterwards: its array is handed to the next renter.
    /// </summary>
    public void ReturnToPool()
    {
        if (Interlocked.Exchange(ref _pooled, 0) == 1)
        {
            Pool.Return(Data);
        }
    }
}
