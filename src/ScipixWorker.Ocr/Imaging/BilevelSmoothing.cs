using System.Buffers;
using System.Numerics;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Pages of pure black and white (a fax, a JBIG2 or CCITT scan, a 1-bit PNG or TIFF, text rendered without
/// anti-aliasing) are read smoothed: each line, once resized to the models' height, is blurred (a Gaussian of
/// <see cref="Sigma"/> pixels there) before the recognizer and the angle classifier see it. PP-OCR's models learnt from
/// photos and grey scans, whose letters have soft edges; a bilevel letter's hard, stair-stepped edges read worse. Measured
/// (docs/quality.md, "Bilevel pages"): the printed lines of uw3_lines, bilevel scans, 0.92 % → 0.64 % CER; the receipts
/// of sroie_pages thresholded to black and white 12.77 % → 11.08 %; grey and colour pages untouched (their lines are not
/// marked).
/// </summary>
internal static class BilevelSmoothing
{
    /// <summary>
    /// The blur's standard deviation in pixels of the resized line (48 pixels high): the same share of a letter at any
    /// scan resolution. 1, 1.5, 2, 2.5 and 3 were tried; 2.5 was best on both sets (docs/quality.md).
    /// </summary>
    public const float Sigma = 2.5f;

    private static readonly float[] Kernel = MakeKernel(Sigma);

    /// <summary>Whether every pixel of <paramref name="page"/> is pure black or pure white (grey: R = G = B).</summary>
    public static bool IsBilevel(RgbBuffer page)
    {
        // One pass, stopping at the first pixel that is not: a grey or colour page at once. A pixel of pure channels
        // that differ (pure red) is colour.
        var data = page.Data[..(page.Stride * page.Height)];
        for (var i = 0; i < data.Length; i += 3)
        {
            if (data[i] is not (0 or 255) || data[i + 1] != data[i] || data[i + 2] != data[i])
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <paramref name="line"/> (grey: R = G = B) blurred, in a rented buffer (give it back with <see cref="RgbBuffer.Release"/>);
    /// the edges repeat the border pixels. Across each row from a copy padded with its end pixels, then down the rows a
    /// vector at a time.
    /// </summary>
    public static RgbBuffer Smoothed(RgbBuffer line)
    {
        int width = line.Width, height = line.Height, radius = Kernel.Length / 2;
        var padded = ArrayPool<float>.Shared.Rent(width + (2 * radius));
        var across = ArrayPool<float>.Shared.Rent(width * height);
        var sum = ArrayPool<float>.Shared.Rent(width);
        try
        {
            var source = line.Data;
            for (var y = 0; y < height; y++)
            {
                var row = y * width;
                for (var x = -radius; x < width + radius; x++)
                {
                    padded[x + radius] = source[(row + Math.Clamp(x, 0, width - 1)) * 3];
                }

                for (var x = 0; x < width; x++)
                {
                    var total = 0f;
                    for (var k = 0; k < Kernel.Length; k++)
                    {
                        total += Kernel[k] * padded[x + k];
                    }

                    across[row + x] = total;
                }
            }

            var smoothed = RgbBuffer.Rent(width, height);
            var target = smoothed.Data;
            var totals = sum.AsSpan(0, width);
            for (var y = 0; y < height; y++)
            {
                totals.Clear();
                for (var k = 0; k < Kernel.Length; k++)
                {
                    var from = across.AsSpan(Math.Clamp(y + k - radius, 0, height - 1) * width, width);
                    AddScaled(totals, from, Kernel[k]);
                }

                var output = target.Slice(y * width * 3, width * 3);
                for (var x = 0; x < width; x++)
                {
                    output[3 * x] = output[(3 * x) + 1] = output[(3 * x) + 2] = (byte)Math.Clamp(MathF.Round(totals[x]), 0, 255);
                }
            }

            return smoothed;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(padded);
            ArrayPool<float>.Shared.Return(across);
            ArrayPool<float>.Shared.Return(sum);
        }
    }

    // totals += weight * row, a vector at a time.
    private static void AddScaled(Span<float> totals, ReadOnlySpan<float> row, float weight)
    {
        var x = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var w = new Vector<float>(weight);
            for (; x <= totals.Length - Vector<float>.Count; x += Vector<float>.Count)
            {
                (new Vector<float>(totals[x..]) + (w * new Vector<float>(row[x..]))).CopyTo(totals[x..]);
            }
        }

        for (; x < totals.Length; x++)
        {
            totals[x] += weight * row[x];
        }
    }

    private static float[] MakeKernel(float sigma)
    {
        var radius = (int)MathF.Ceiling(3 * sigma);
        var kernel = new float[(2 * radius) + 1];
        for (var k = -radius; k <= radius; k++)
        {
            kernel[k + radius] = MathF.Exp(-(k * k) / (2 * sigma * sigma));
        }

        var total = kernel.Sum();
        for (var k = 0; k < kernel.Length; k++)
        {
            kernel[k] /= total;
        }

        return kernel;
    }
}
