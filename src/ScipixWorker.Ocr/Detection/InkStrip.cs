using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// A stretch of the page sampled in grey as its text reads, and the ink in it: what <see cref="GapColons"/> and
/// <see cref="LoneGlyphs"/> look at where the detector's map saw too little.
/// </summary>
internal static class InkStrip
{
    /// <summary>
    /// The gap after <paramref name="line"/> (a box named as its text reads) along its row: a strip the line's height tall,
    /// from <paramref name="back"/> of its height inside the box (at most <paramref name="backOfWidth"/> of its width: the
    /// box often takes in what follows) to <paramref name="into"/> of a height inside <paramref name="next"/>, the next box
    /// on the row (at most <paramref name="intoOfWidth"/> of its width), or <paramref name="reach"/> heights on when none
    /// follows. It runs from the middle of the line's right edge to the middle of the next box's left edge: the row's
    /// course, where a box's own slant (a short word's, a colon's little box's) drifts off it. Null for a box with no top
    /// edge to follow, and where the next box begins well inside the line.
    /// </summary>
    public static RowGap? After(Quad line, Quad? next, float back, float backOfWidth, float into, float intoOfWidth, float reach)
    {
        var (width, height) = QuadCropper.CropSize(line);
        var along = Vector2.Normalize(line.TopRight - line.TopLeft);
        if (!float.IsFinite(along.X) || !float.IsFinite(along.Y))
        {
            return null;
        }

        var backward = along * MathF.Min(back * height, backOfWidth * width);
        var onward = along * reach * height;
        var inside = 0f;
        if (next is { } following)
        {
            var toNext = ((following.TopLeft + following.BottomLeft) / 2) - ((line.TopRight + line.BottomRight) / 2);
            var course = Vector2.Dot(toNext, along) > 0.5f * height ? Vector2.Normalize(toNext) : along;
            inside = MathF.Min(into * height, intoOfWidth * QuadCropper.CropSize(following).Width);
            onward = toNext + (course * inside);
        }

        var strip = new Quad(line.TopRight - backward, line.TopRight + onward, line.BottomRight + onward, line.BottomRight - backward);
        return Vector2.Distance(strip.TopLeft, strip.TopRight) < height ? null : new RowGap(strip, backward.Length(), inside);
    }

    /// <summary>
    /// <paramref name="read"/> of <paramref name="strip"/> (a quad of the page <paramref name="height"/> pixels tall, named
    /// as its text reads) sampled in grey (<see cref="Sample"/>), scaled down to at most <paramref name="maxHeight"/>
    /// pixels tall, and the scale, into a rented buffer that is returned once read.
    /// </summary>
    public static T Sampled<T>(RgbBuffer page, Quad strip, float height, int maxHeight, Func<GreyStrip, float, T> read)
    {
        var scale = MathF.Min(1f, maxHeight / height);
        var width = Math.Max(1, (int)(Vector2.Distance(strip.TopLeft, strip.TopRight) * scale));
        var rows = Math.Max(1, (int)(height * scale));
        var grey = ArrayPool<byte>.Shared.Rent(width * rows);
        try
        {
            var pixels = new GreyStrip(grey, width, rows);
            Sample(page, strip, pixels);
            return read(pixels, scale);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(grey);
        }
    }

    /// <summary>
    /// The grey levels of <paramref name="strip"/> (a quad of the page, named as its text reads) into
    /// <paramref name="pixels"/>: the channels' mean, as LineInk takes it, sampled bilinearly from the page: half the cost
    /// of a crop's bicubic warp. (Nearest pixels halve it again, and lose two of the fifteen colons found on sroie_pages:
    /// a faint dot of two pixels falls between a row's samples.)
    /// </summary>
    public static void Sample(RgbBuffer page, Quad strip, GreyStrip pixels)
    {
        var data = page.Data;
        var (maxX, maxY) = (page.Width - 1, page.Height - 1);
        for (var y = 0; y < pixels.Height; y++)
        {
            var v = (y + 0.5f) / pixels.Height;
            var start = Vector2.Lerp(strip.TopLeft, strip.BottomLeft, v);
            var step = (Vector2.Lerp(strip.TopRight, strip.BottomRight, v) - start) / pixels.Width;
            var p = start + (step * 0.5f) - new Vector2(0.5f);
            var row = pixels.Row(y);
            for (var x = 0; x < row.Length; x++, p += step)
            {
                var x0 = Math.Clamp((int)MathF.Floor(p.X), 0, maxX);
                var y0 = Math.Clamp((int)MathF.Floor(p.Y), 0, maxY);
                var (x1, y1) = (Math.Min(x0 + 1, maxX), Math.Min(y0 + 1, maxY));
                var (fx, fy) = (Math.Clamp(p.X - x0, 0, 1), Math.Clamp(p.Y - y0, 0, 1));
                var top = ((1 - fx) * Grey(data, (y0 * page.Width) + x0)) + (fx * Grey(data, (y0 * page.Width) + x1));
                var bottom = ((1 - fx) * Grey(data, (y1 * page.Width) + x0)) + (fx * Grey(data, (y1 * page.Width) + x1));
                row[x] = (byte)(((1 - fy) * top) + (fy * bottom) + 0.5f);
            }
        }
    }

    private static float Grey(ReadOnlySpan<byte> rgb, int pixel) => (rgb[3 * pixel] + rgb[(3 * pixel) + 1] + rgb[(3 * pixel) + 2]) / 3f;

    /// <summary>The point of a quad at fractions (u across, v down) of its width and height.</summary>
    public static Vector2 At(Quad quad, float u, float v)
    {
        var top = Vector2.Lerp(quad.TopLeft, quad.TopRight, u);
        var bottom = Vector2.Lerp(quad.BottomLeft, quad.BottomRight, u);
        return Vector2.Lerp(top, bottom, v);
    }

    /// <summary>The darkest grey level inside a blob's bounds.</summary>
    public static byte Darkest(ReadOnlySpan<byte> grey, int width, InkBlob blob) =>
        Darkest(grey, width, blob.Left, blob.Top, blob.Right + 1, blob.Bottom + 1);

    /// <summary>
    /// The darkest grey level of columns <paramref name="left"/> to <paramref name="right"/> - 1 and rows
    /// <paramref name="top"/> to <paramref name="bottom"/> - 1 of a strip <paramref name="width"/> pixels wide (inside it);
    /// 255 where that holds no pixel.
    /// </summary>
    public static byte Darkest(ReadOnlySpan<byte> grey, int width, int left, int top, int right, int bottom)
    {
        var darkest = byte.MaxValue;
        for (var y = top; y < bottom && left < right; y++)
        {
            darkest = Math.Min(darkest, TensorPrimitives.Min(grey.Slice((y * width) + left, right - left)));
        }

        return darkest;
    }

    /// <summary>The median grey level (the paper's, where ink is the lesser part).</summary>
    public static int Median(ReadOnlySpan<byte> grey)
    {
        Span<int> histogram = stackalloc int[256];
        foreach (var g in grey)
        {
            histogram[g]++;
        }

        var half = grey.Length / 2;
        var seen = 0;
        for (var level = 0; level < 256; level++)
        {
            seen += histogram[level];
            if (seen > half)
            {
                return level;
            }
        }

        return 255;
    }

    /// <summary>The 8-connected components of the pixels darker than <paramref name="threshold"/>.</summary>
    public static List<InkBlob> Blobs(ReadOnlySpan<byte> grey, int width, int height, float threshold)
    {
        using var components = new RunComponents();
        var previousFirst = 0;
        for (var y = 0; y < height; y++)
        {
            var first = components.RunCount;
            var row = grey.Slice(y * width, width);
            for (var x = 0; x < width; x++)
            {
                if (row[x] >= threshold)
                {
                    continue;
                }

                var start = x;
                while (x + 1 < width && row[x + 1] < threshold)
                {
                    x++;
                }

                var run = components.Add(start, x, y);
                for (var p = previousFirst; p < first; p++)
                {
                    if (components.X0(p) <= x + 1 && components.X1(p) >= start - 1)
                    {
                        components.Union(p, run);
                    }
                }
            }

            previousFirst = first;
        }

        var componentOfRun = new int[Math.Max(1, components.RunCount)];
        components.Resolve(componentOfRun);
        var blobs = new List<InkBlob>(components.Count);
        for (var c = 0; c < components.Count; c++)
        {
            int left = int.MaxValue, right = int.MinValue, top = int.MaxValue, bottom = int.MinValue, area = 0;
            for (var run = components.FirstRun(c); run >= 0; run = components.Next(run))
            {
                (left, right) = (Math.Min(left, components.X0(run)), Math.Max(right, components.X1(run)));
                (top, bottom) = (Math.Min(top, components.Y(run)), Math.Max(bottom, components.Y(run)));
                area += components.X1(run) - components.X0(run) + 1;
            }

            blobs.Add(new InkBlob(left, top, right, bottom, area));
        }

        return blobs;
    }
}

/// <summary>An 8-connected component of ink: its bounds (inclusive) and its pixels.</summary>
internal readonly record struct InkBlob(int Left, int Top, int Right, int Bottom, int Area)
{
    public int Width => Right - Left + 1;

    public int Height => Bottom - Top + 1;

    public float CentreX => (Left + Right + 1) / 2f;

    public float CentreY => (Top + Bottom + 1) / 2f;
}

/// <summary>A strip's grey levels, row by row (<paramref name="Pixels"/> holds at least width x height of them).</summary>
internal readonly record struct GreyStrip(byte[] Pixels, int Width, int Height)
{
    public Span<byte> Row(int y) => Pixels.AsSpan(y * Width, Width);
}

/// <summary>
/// The gap after a line (<see cref="InkStrip.After"/>): its strip on the page, how far it reaches back into the line's box
/// and into the next box's (0 where none follows), in the page's pixels.
/// </summary>
internal readonly record struct RowGap(Quad Strip, float Back, float Into);
