using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// cv2.warpPerspective with INTER_CUBIC and BORDER_REPLICATE on 8-bit RGB, as OpenCV computes it: the
/// source position of each destination pixel is rounded to 1/32 pixel, and the 4x4 bicubic weights
/// (a = -0.75) come from OpenCV's 15-bit fixed-point table for that 1/32 phase.
/// </summary>
internal static class CvWarp
{
    private const int TableBits = 5;
    private const int TableSize = 1 << TableBits;
    private const int CoefficientBits = 15;
    private const int CoefficientScale = 1 << CoefficientBits;

    // OpenCV's warp invoker walks the destination in blocks of at most 32 * 32 pixels and evaluates
    // the map relative to each block's first column; reproducing that keeps the rounding identical.
    private const int BlockArea = 32 * 32;

    private static readonly short[] CubicTable = BuildCubicTable();

    /// <summary>
    /// Warps <paramref name="source"/> into a <paramref name="width"/> x <paramref name="height"/> image;
    /// <paramref name="inverse"/> maps destination pixel coordinates to source coordinates. <paramref name="vectors"/>:
    /// interior pixels summed with SSE where the CPU has SSE4.1 (the same bytes; false for the scalar loop alone, which the
    /// tests compare it with; other CPUs always take it).
    /// </summary>
    public static RgbBuffer PerspectiveCubic(RgbBuffer source, Homography inverse, int width, int height, bool vectors = true)
    {
        vectors &= Sse41.IsSupported;
        var destination = new RgbBuffer(width, height);
        ReadOnlySpan<byte> data = source.Data; // once: a page's pixels may be native memory (RgbBuffer.Rent)
        ref var origin = ref MemoryMarshal.GetReference(data);
        ref var table = ref MemoryMarshal.GetArrayDataReference(CubicTable);
        var stride = source.Stride;
        var (interiorWidth, interiorHeight) = ((uint)Math.Max(source.Width - 3, 0), (uint)Math.Max(source.Height - 3, 0));
        var blockHeight = Math.Min(BlockArea / 32 / 2, height);
        var blockWidth = Math.Min(BlockArea / blockHeight, width);

        double m0 = inverse[0, 0], m1 = inverse[0, 1], m2 = inverse[0, 2];
        double m3 = inverse[1, 0], m4 = inverse[1, 1], m5 = inverse[1, 2];
        double m6 = inverse[2, 0], m7 = inverse[2, 1], m8 = inverse[2, 2];

        for (var y = 0; y < height; y++)
        {
            var row = destination.Row(y);
            for (var blockX = 0; blockX < width; blockX += blockWidth)
            {
                var x0 = (m0 * blockX) + (m1 * y) + m2;
                var y0 = (m3 * blockX) + (m4 * y) + m5;
                var w0 = (m6 * blockX) + (m7 * y) + m8;
                var end = Math.Min(blockWidth, width - blockX);
                for (var x1 = 0; x1 < end; x1++)
                {
                    var w = w0 + (m6 * x1);
                    w = w != 0 ? TableSize / w : 0;
                    var fx = Math.Clamp((x0 + (m0 * x1)) * w, int.MinValue, int.MaxValue);
                    var fy = Math.Clamp((y0 + (m3 * x1)) * w, int.MinValue, int.MaxValue);
                    var ix = (int)Math.Round(fx);
                    var iy = (int)Math.Round(fy);
                    var phase = ((iy & (TableSize - 1)) * TableSize) + (ix & (TableSize - 1));
                    var sx = SaturateShort(ix >> TableBits) - 1;
                    var sy = SaturateShort(iy >> TableBits) - 1;
                    var pixel = row.Slice((blockX + x1) * 3, 3);
                    var start = (sy * stride) + (sx * 3);
                    if (vectors && (uint)sx < interiorWidth && (uint)sy < interiorHeight && start + (3 * stride) + 16 <= data.Length)
                    {
                        SampleInterior(ref Unsafe.Add(ref origin, start), stride, ref Unsafe.Add(ref table, phase * 16), pixel);
                    }
                    else
                    {
                        SampleCubic(source, data, sx, sy, phase, pixel);
                    }
                }
            }
        }

        return destination;
    }

    // An interior pixel's 4 x 4 taps (rows of 12 bytes, RGB x 4) with SSE: each row's bytes shuffled to channel order
    // (R0 R1 R2 R3 G0 .. B3), widened to 16 bits and multiplied by the row's four weights with pmaddwd, which adds the
    // products in pairs: a channel's sum is two lanes of the accumulators. The same integer sums as the scalar loop, so
    // the same bytes. Reads 16 bytes a row: the caller checks that the last row's 4 bytes past the taps exist.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SampleInterior(ref byte taps, int stride, ref short weights, Span<byte> pixel)
    {
        var order = Vector128.Create((byte)0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11, 0x80, 0x80, 0x80, 0x80);
        var low = Vector128<int>.Zero;
        var high = Vector128<int>.Zero;
        for (var i = 0; i < 4; i++)
        {
            var bytes = Ssse3.Shuffle(Vector128.LoadUnsafe(ref taps, (nuint)(i * stride)), order);
            var row = Vector128.Create(Unsafe.ReadUnaligned<long>(ref Unsafe.As<short, byte>(ref Unsafe.Add(ref weights, i * 4)))).AsInt16();
            low += Sse2.MultiplyAddAdjacent(Sse41.ConvertToVector128Int16(bytes), row);
            high += Sse2.MultiplyAddAdjacent(Sse41.ConvertToVector128Int16(Sse2.ShiftRightLogical128BitLane(bytes, 8)), row);
        }

        pixel[0] = Descale(low.GetElement(0) + low.GetElement(1));
        pixel[1] = Descale(low.GetElement(2) + low.GetElement(3));
        pixel[2] = Descale(high.GetElement(0) + high.GetElement(1));
    }

    private static void SampleCubic(RgbBuffer source, ReadOnlySpan<byte> data, int sx, int sy, int phase, Span<byte> pixel)
    {
        var weights = CubicTable.AsSpan(phase * 16, 16);
        var stride = source.Stride;
        int sum0 = 0, sum1 = 0, sum2 = 0;

        if ((uint)sx < (uint)Math.Max(source.Width - 3, 0) && (uint)sy < (uint)Math.Max(source.Height - 3, 0))
        {
            var rowStart = (sy * stride) + (sx * 3);
            for (var i = 0; i < 4; i++, rowStart += stride)
            {
                var s = data.Slice(rowStart, 12);
                var w = weights.Slice(i * 4, 4);
                sum0 += (s[0] * w[0]) + (s[3] * w[1]) + (s[6] * w[2]) + (s[9] * w[3]);
                sum1 += (s[1] * w[0]) + (s[4] * w[1]) + (s[7] * w[2]) + (s[10] * w[3]);
                sum2 += (s[2] * w[0]) + (s[5] * w[1]) + (s[8] * w[2]) + (s[11] * w[3]);
            }
        }
        else
        {
            // BORDER_REPLICATE: every tap outside the image takes the nearest edge pixel.
            Span<int> xs = stackalloc int[4];
            for (var j = 0; j < 4; j++)
            {
                xs[j] = Math.Clamp(sx + j, 0, source.Width - 1) * 3;
            }

            for (var i = 0; i < 4; i++)
            {
                var rowStart = Math.Clamp(sy + i, 0, source.Height - 1) * stride;
                for (var j = 0; j < 4; j++)
                {
                    var weight = weights[(i * 4) + j];
                    var offset = rowStart + xs[j];
                    sum0 += data[offset] * weight;
                    sum1 += data[offset + 1] * weight;
                    sum2 += data[offset + 2] * weight;
                }
            }
        }

        pixel[0] = Descale(sum0);
        pixel[1] = Descale(sum1);
        pixel[2] = Descale(sum2);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte Descale(int sum) => (byte)Math.Clamp((sum + (1 << (CoefficientBits - 1))) >> CoefficientBits, 0, 255);

    private static int SaturateShort(int value) => Math.Clamp(value, short.MinValue, short.MaxValue);

    // OpenCV's interpolateCubic, in float.
    private static void CubicCoefficients(float x, Span<float> coefficients)
    {
        const float A = -0.75f;
        coefficients[0] = ((((A * (x + 1)) - (5 * A)) * (x + 1)) + (8 * A)) * (x + 1) - (4 * A);
        coefficients[1] = ((((A + 2) * x) - (A + 3)) * x * x) + 1;
        coefficients[2] = ((((A + 2) * (1 - x)) - (A + 3)) * (1 - x) * (1 - x)) + 1;
        coefficients[3] = 1f - coefficients[0] - coefficients[1] - coefficients[2];
    }

    // OpenCV's initInterTab2D(INTER_CUBIC, fixpt = true): products of the 1-D coefficients rounded to
    // 15 bits, with the rounding error of each 4x4 kernel moved onto one of its larger taps.
    private static short[] BuildCubicTable()
    {
        const int KernelSize = 4;
        var oneDimensional = new float[TableSize * KernelSize];
        var step = 1f / TableSize;
        for (var i = 0; i < TableSize; i++)
        {
            CubicCoefficients(i * step, oneDimensional.AsSpan(i * KernelSize, KernelSize));
        }

        var table = new short[TableSize * TableSize * KernelSize * KernelSize];
        for (var i = 0; i < TableSize; i++)
        {
            for (var j = 0; j < TableSize; j++)
            {
                var kernel = table.AsSpan(((i * TableSize) + j) * 16, 16);
                var sum = 0;
                for (var k1 = 0; k1 < KernelSize; k1++)
                {
                    var vy = oneDimensional[(i * KernelSize) + k1];
                    for (var k2 = 0; k2 < KernelSize; k2++)
                    {
                        var v = vy * oneDimensional[(j * KernelSize) + k2];
                        var fixedPoint = (short)Math.Clamp(MathF.Round(v * CoefficientScale), short.MinValue, short.MaxValue);
                        kernel[(k1 * KernelSize) + k2] = fixedPoint;
                        sum += fixedPoint;
                    }
                }

                if (sum != CoefficientScale)
                {
                    var diff = sum - CoefficientScale;
                    const int Half = KernelSize / 2;
                    int minK1 = Half, minK2 = Half, maxK1 = Half, maxK2 = Half;
                    for (var k1 = Half; k1 < Half + 2; k1++)
                    {
                        for (var k2 = Half; k2 < Half + 2; k2++)
                        {
                            var value = kernel[(k1 * KernelSize) + k2];
                            if (value < kernel[(minK1 * KernelSize) + minK2])
                            {
                                minK1 = k1;
                                minK2 = k2;
                            }
                            else if (value > kernel[(maxK1 * KernelSize) + maxK2])
                            {
                                maxK1 = k1;
                                maxK2 = k2;
                            }
                        }
                    }

                    if (diff < 0)
                    {
                        kernel[(maxK1 * KernelSize) + maxK2] -= (short)diff;
                    }
                    else
                    {
                        kernel[(minK1 * KernelSize) + minK2] -= (short)diff;
                    }
                }
            }
        }

        return table;
    }
}
