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
}
