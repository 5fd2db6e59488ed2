namespace ScipixWorker.Ocr.Imaging;

/// <summary>The colour around an image's content: the per-channel median of its outermost rows and columns.</summary>
internal static class BorderColour
{
    /// <summary>
    /// The median of each channel over the pixels on the image's edge. A crop cut tight around a line of text touches
    /// its edge only where strokes run off it, so the median is the paper's colour (or the background of a negative).
    /// </summary>
    public static (byte R, byte G, byte B) Median(RgbBuffer image)
    {
        Span<int> red = stackalloc int[256];
        Span<int> green = stackalloc int[256];
        Span<int> blue = stackalloc int[256];
        var count = 0;

        void Add(ReadOnlySpan<byte> pixel, Span<int> r, Span<int> g, Span<int> b)
        {
            r[pixel[0]]++;
            g[pixel[1]]++;
            b[pixel[2]]++;
        }

        for (var y = 0; y < image.Height; y++)
        {
            var row = image.ReadOnlyRow(y);
            if (y == 0 || y == image.Height - 1)
            {
                for (var x = 0; x < image.Width; x++)
                {
                    Add(row.Slice(x * 3, 3), red, green, blue);
                    count++;
                }
            }
            else
            {
                Add(row[..3], red, green, blue);
                count++;
                if (image.Width > 1)
                {
                    Add(row.Slice((image.Width - 1) * 3, 3), red, green, blue);
                    count++;
                }
            }
        }

        return (Median(red, count), Median(green, count), Median(blue, count));
    }

    private static byte Median(ReadOnlySpan<int> histogram, int count)
    {
        var half = (count + 1) / 2;
        var seen = 0;
        for (var value = 0; value < histogram.Length; value++)
        {
            seen += histogram[value];
            if (seen >= half)
            {
                return (byte)value;
            }
        }

        return byte.MaxValue;
    }
}
