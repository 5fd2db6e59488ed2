using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

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
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);

        if (width == source.Width && height == source.Height)
        {
            // cv::resize copies when the size does not change.
            var copy = new RgbBuffer(width, height);
            source.Data.AsSpan(0, source.Stride * source.Height).CopyTo(copy.Data);
            return copy;
        }

        var destination = new RgbBuffer(width, height);
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

        return destination;
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
        for (var dx = 0; dx < width; dx++)
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
        for (var x = 0; x < destination.Length; x++)
        {
            var value = ((((Unsafe.Add(ref s0, x) >> 4) * beta0) >> 16) + (((Unsafe.Add(ref s1, x) >> 4) * beta1) >> 16) + 2) >> 2;
            Unsafe.Add(ref d, x) = ClampToByte(value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte ClampToByte(int value) => (byte)Math.Clamp(value, 0, 255);

    // saturate_cast<short>(float): round half to even.
    private static short RoundToShort(float value) => (short)Math.Clamp(MathF.Round(value), short.MinValue, short.MaxValue);
}
