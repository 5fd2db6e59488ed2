using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Resizes as OpenCV's cv2.resize with INTER_LINEAR does (PaddleOCR's pre-processing) on 8-bit images:
/// half-pixel centres, edge replication, no antialiasing, 11-bit fixed-point weights.
/// </summary>
/// <remarks>
/// The result matches OpenCV bit for bit (checked against cv2 4.6 on random images of many sizes). That
/// needs OpenCV's rounding of the vertical pass, which for 8-bit images is not one rounding of the
/// 22-bit product but three steps, in its SIMD kernel and its scalar code alike:
/// <c>((((s0 &gt;&gt; 4) * b0) &gt;&gt; 16) + (((s1 &gt;&gt; 4) * b1) &gt;&gt; 16) + 2) &gt;&gt; 2</c>.
/// </remarks>
internal static class CvResize
{
    private const int CoefficientBits = 11;
    private const int CoefficientScale = 1 << CoefficientBits;

    public static RgbBuffer Bilinear(RgbBuffer source, int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        var destination = new RgbBuffer(width, height);
        Bilinear(source, destination);
        return destination;
    }

    /// <summary>Resizes <paramref name="source"/> to the size of <paramref name="destination"/> (a rented buffer, say), into it.</summary>
    public static void Bilinear(RgbBuffer source, RgbBuffer destination)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(destination);
        var (width, height) = (destination.Width, destination.Height);

        if (width == source.Width && height == source.Height)
        {
            // cv::resize copies when the size does not change.
            source.Data[..(source.Stride * source.Height)].CopyTo(destination.Data);
            return;
        }

        var rowLength = width * 3;

        // Horizontal taps: byte offsets of the left and right source pixels and their weights.
        var xOffsets = ArrayPool<int>.Shared.Rent(width * 2);
        var xWeights = ArrayPool<short>.Shared.Rent(width * 2);
        var rows = ArrayPool<int>.Shared.Rent(rowLength * 2);
        try
        {
            ComputeHorizontalTaps(source.Width, width, xOffsets, xWeights);

            var scaleY = 1.0 / ((double)height / source.Height);
            var rowA = rows.AsSpan(0, rowLength);
            var rowB = rows.AsSpan(rowLength, rowLength);
            int rowAIndex = -1, rowBIndex = -1;

            for (var dy = 0; dy < height; dy++)
            {
                var fy = (float)(((dy + 0.5) * scaleY) - 0.5);
                var sy = (int)MathF.Floor(fy);
                fy -= sy;
                var beta0 = RoundToShort((1f - fy) * CoefficientScale);
                var beta1 = RoundToShort(fy * CoefficientScale);

                // Unlike the columns, the rows keep their weights at the borders; only the indices clamp.
                var y0 = Math.Clamp(sy, 0, source.Height - 1);
                var y1 = Math.Clamp(sy + 1, 0, source.Height - 1);

                // Two cached horizontally-resized rows; consecutive output rows mostly share one.
                Span<int> top, bottom;
                if (rowAIndex == y0)
                {
                    top = rowA;
                }
                else if (rowBIndex == y0)
                {
                    top = rowB;
                }
                else if (rowBIndex != y1)
                {
                    ResizeRow(source.ReadOnlyRow(y0), rowB, width, xOffsets, xWeights);
                    rowBIndex = y0;
                    top = rowB;
                }
                else
                {
                    ResizeRow(source.ReadOnlyRow(y0), rowA, width, xOffsets, xWeights);
                    rowAIndex = y0;
                    top = rowA;
                }

                if (y1 == y0)
                {
                    bottom = top;
                }
                else if (rowAIndex == y1)
                {
                    bottom = rowA;
                }
                else if (rowBIndex == y1)
                {
                    bottom = rowB;
                }
                else if (rowAIndex != y0)
                {
                    ResizeRow(source.ReadOnlyRow(y1), rowA, width, xOffsets, xWeights);
                    rowAIndex = y1;
                    bottom = rowA;
                }
                else
                {
                    ResizeRow(source.ReadOnlyRow(y1), rowB, width, xOffsets, xWeights);
                    rowBIndex = y1;
                    bottom = rowB;
                }

                BlendRows(top, bottom, beta0, beta1, destination.Row(dy));
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(xOffsets);
            ArrayPool<short>.Shared.Return(xWeights);
            ArrayPool<int>.Shared.Return(rows);
        }
    }

    private static void ComputeHorizontalTaps(int sourceWidth, int width, Span<int> offsets, Span<short> weights)
    {
        var scaleX = 1.0 / ((double)width / sourceWidth);
        for (var dx = 0; dx < width; dx++)
        {
            var fx = (float)(((dx + 0.5) * scaleX) - 0.5);
            var sx = (int)MathF.Floor(fx);
            fx -= sx;
            var sx1 = sx + 1;
            if (sx < 0)
            {
                fx = 0;
                sx = 0;
                sx1 = 0;
            }

            if (sx >= sourceWidth - 1)
            {
                fx = 0;
                sx = sourceWidth - 1;
                sx1 = sx;
            }

            offsets[2 * dx] = sx * 3;
            offsets[(2 * dx) + 1] = sx1 * 3;
            weights[2 * dx] = RoundToShort((1f - fx) * CoefficientScale);
            weights[(2 * dx) + 1] = RoundToShort(fx * CoefficientScale);
        }
    }

    private static void ResizeRow(ReadOnlySpan<byte> source, Span<int> row, int width, int[] offsets, short[] weights)
    {
        ref var src = ref MemoryMarshal.GetReference(source);
        ref var dst = ref MemoryMarshal.GetReference(row);
        ref var offset = ref MemoryMarshal.GetArrayDataReference(offsets);
        ref var weight = ref MemoryMarshal.GetArrayDataReference(weights);
        var dx = 0;

        if (Ssse3.IsSupported)
        {
            // Both taps of a pixel lie in 6 consecutive bytes (the right tap is the left one's neighbour,
            // or has weight 0): pair the channels up (r0 r1 g0 g1 b0 b1), widen, and let pmaddwd form
            // r0 * a0 + r1 * a1 for each channel. Loads read 16 bytes, so stop 16 bytes before the end.
            var pairChannels = Vector128.Create((byte)0, 3, 1, 4, 2, 5, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80);
            var zero = Vector128<byte>.Zero;
            for (; dx < width - 1; dx++)
            {
                var o0 = Unsafe.Add(ref offset, 2 * dx);
                if (o0 + 16 > source.Length || Unsafe.Add(ref offset, (2 * dx) + 1) - o0 > 3)
                {
                    break;
                }

                var pixels = Ssse3.Shuffle(Vector128.LoadUnsafe(ref src, (nuint)o0), pairChannels);
                var widened = Sse2.UnpackLow(pixels, zero).AsInt16();
                var pair = Unsafe.As<short, int>(ref Unsafe.Add(ref weight, 2 * dx));
                var sums = Sse2.MultiplyAddAdjacent(widened, Vector128.Create(pair).AsInt16());

                // Writes 4 ints; the 4th lands on the next pixel's first channel and is overwritten.
                sums.StoreUnsafe(ref dst, (nuint)(3 * dx));
            }
        }

        for (; dx < width; dx++)
        {
            var o0 = Unsafe.Add(ref offset, 2 * dx);
            var o1 = Unsafe.Add(ref offset, (2 * dx) + 1);
            int a0 = Unsafe.Add(ref weight, 2 * dx);
            int a1 = Unsafe.Add(ref weight, (2 * dx) + 1);
            ref var d = ref Unsafe.Add(ref dst, 3 * dx);
            d = (Unsafe.Add(ref src, o0) * a0) + (Unsafe.Add(ref src, o1) * a1);
            Unsafe.Add(ref d, 1) = (Unsafe.Add(ref src, o0 + 1) * a0) + (Unsafe.Add(ref src, o1 + 1) * a1);
            Unsafe.Add(ref d, 2) = (Unsafe.Add(ref src, o0 + 2) * a0) + (Unsafe.Add(ref src, o1 + 2) * a1);
        }
    }

    private static void BlendRows(ReadOnlySpan<int> top, ReadOnlySpan<int> bottom, int beta0, int beta1, Span<byte> destination)
    {
        ref var s0 = ref MemoryMarshal.GetReference(top);
        ref var s1 = ref MemoryMarshal.GetReference(bottom);
        ref var d = ref MemoryMarshal.GetReference(destination);
        var x = 0;

        // The weights sum to 2048 and the inputs are at most 255 * 2048, so every result is already in
        // 0..255 and the narrowing conversions below cannot wrap.
        if (Vector256.IsHardwareAccelerated)
        {
            var b0 = Vector256.Create(beta0);
            var b1 = Vector256.Create(beta1);
            var two = Vector256.Create(2);
            for (; x <= destination.Length - 32; x += 32)
            {
                var v0 = Blend(Vector256.LoadUnsafe(ref s0, (nuint)x), Vector256.LoadUnsafe(ref s1, (nuint)x), b0, b1, two);
                var v1 = Blend(Vector256.LoadUnsafe(ref s0, (nuint)(x + 8)), Vector256.LoadUnsafe(ref s1, (nuint)(x + 8)), b0, b1, two);
                var v2 = Blend(Vector256.LoadUnsafe(ref s0, (nuint)(x + 16)), Vector256.LoadUnsafe(ref s1, (nuint)(x + 16)), b0, b1, two);
                var v3 = Blend(Vector256.LoadUnsafe(ref s0, (nuint)(x + 24)), Vector256.LoadUnsafe(ref s1, (nuint)(x + 24)), b0, b1, two);
                var bytes = Vector256.Narrow(Vector256.Narrow(v0, v1), Vector256.Narrow(v2, v3));
                bytes.AsByte().StoreUnsafe(ref d, (nuint)x);
            }
        }

        for (; x < destination.Length; x++)
        {
            var value = ((((Unsafe.Add(ref s0, x) >> 4) * beta0) >> 16) + (((Unsafe.Add(ref s1, x) >> 4) * beta1) >> 16) + 2) >> 2;
            Unsafe.Add(ref d, x) = ClampToByte(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Blend(Vector256<int> s0, Vector256<int> s1, Vector256<int> b0, Vector256<int> b1, Vector256<int> two) =>
        Vector256.ShiftRightArithmetic(
            Vector256.ShiftRightArithmetic(Vector256.ShiftRightArithmetic(s0, 4) * b0, 16)
            + Vector256.ShiftRightArithmetic(Vector256.ShiftRightArithmetic(s1, 4) * b1, 16)
            + two,
            2);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ClampToByte(int value) => (byte)Math.Clamp(value, 0, 255);

    // saturate_cast<short>(float): round half to even.
    private static short RoundToShort(float value) => (short)Math.Clamp(MathF.Round(value), short.MinValue, short.MaxValue);
}
