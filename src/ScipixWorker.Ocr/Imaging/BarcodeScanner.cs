using System.Numerics;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ZXing;
using ZXing.Common;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Reads the barcodes and QR codes on a page with ZXing.Net: every format it knows, looked for hard (the page turned
/// too), several codes a page. ZXing's linear readers also "find" EAN and UPC codes in lines of print, so a linear code
/// is kept only where its bars are bars: read again across them, on thin strips of the page parallel to the first
/// reading, it decodes to the same text on at least <see cref="MinConfirmingStrips"/> strips spanning at least
/// <see cref="MinBarHeight"/> of its length. On the SROIE receipts the two real Code 128 codes read again on 24 and 30
/// strips over 13-16 % of their length, the EAN-13 and UPC-E read in lines of print on at most the one strip they were
/// found on. The strips also give the bars' height for the box. 2D codes carry their own error correction and are
/// kept as read.
/// </summary>
internal static class BarcodeScanner
{
    /// <summary>Strips, besides the one it was found on, that must read a linear code to the same text.</summary>
    public const int MinConfirmingStrips = 3;

    /// <summary>The least height of a linear code's confirmed bars, as a fraction of its length.</summary>
    public const float MinBarHeight = 0.06f;

    /// <summary>
    /// A page over this many pixels is looked at shrunk to it (an A4 page at 300 dpi is 8.7 million): a scan holds 12-16
    /// bytes a pixel while it looks (BarcodeScanPeakMeasurement), which on a 35-megapixel page would be 400-550 MB.
    /// </summary>
    public const int MaxPixels = 8_000_000;

    private const int StripThickness = 3;

    private static readonly BarcodeFormat Linear =
        BarcodeFormat.CODABAR | BarcodeFormat.CODE_39 | BarcodeFormat.CODE_93 | BarcodeFormat.CODE_128 | BarcodeFormat.EAN_8
        | BarcodeFormat.EAN_13 | BarcodeFormat.ITF | BarcodeFormat.RSS_14 | BarcodeFormat.RSS_EXPANDED | BarcodeFormat.UPC_A
        | BarcodeFormat.UPC_E | BarcodeFormat.UPC_EAN_EXTENSION | BarcodeFormat.MSI | BarcodeFormat.PLESSEY | BarcodeFormat.IMB
        | BarcodeFormat.PHARMA_CODE;

    /// <summary>The codes on <paramref name="page"/>, in reading order (top to bottom, then left to right).</summary>
    public static IReadOnlyList<RecognizedBarcode> Scan(RgbBuffer page, CancellationToken cancellationToken = default) =>
        Scan(Luminance(page), page.Width, page.Height, cancellationToken);

    /// <summary>The codes on a page given as grey levels (a row after another), in reading order.</summary>
    public static IReadOnlyList<RecognizedBarcode> Scan(byte[] grey, int pageWidth, int pageHeight, CancellationToken cancellationToken = default)
    {
        var (gray, width, height) = Shrunk(grey, pageWidth, pageHeight, MaxPixels);
        var scale = pageWidth / (float)width; // back to the page's pixels
        var reader = new BarcodeReaderGeneric { AutoRotate = true, Options = new DecodingOptions { TryHarder = true } };
        var found = reader.DecodeMultiple(new RGBLuminanceSource(gray, width, height, RGBLuminanceSource.BitmapFormat.Gray8)) ?? [];
        var codes = new List<RecognizedBarcode>();
        foreach (var result in found.DistinctBy(r => (r.BarcodeFormat, r.Text)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var points = result.ResultPoints.Where(p => p is not null).Select(p => new Vector2(p.X, p.Y)).ToArray();
            if (points.Length < 2)
            {
                continue;
            }

            var box = (Linear & result.BarcodeFormat) != 0
                ? ConfirmLinear(gray, width, height, result, points)
                : Around(points, width, height);
            if (box is { } kept)
            {
                codes.Add(new RecognizedBarcode(result.BarcodeFormat.ToString(), result.Text, scale == 1 ? kept : Scaled(kept, scale)));
            }
        }

        return [.. codes.OrderBy(c => c.Box.MinY).ThenBy(c => c.Box.MinX)];
    }

    /// <summary>The page's grey levels (ITU-R BT.601 weights, as ZXing's own RGB source uses).</summary>
    internal static byte[] Luminance(RgbBuffer page)
    {
        var gray = new byte[page.Width * page.Height];
        for (var y = 0; y < page.Height; y++)
        {
            var row = page.ReadOnlyRow(y);
            var line = gray.AsSpan(y * page.Width, page.Width);
            for (var x = 0; x < line.Length; x++)
            {
                line[x] = (byte)(((row[3 * x] * 299) + (row[(3 * x) + 1] * 587) + (row[(3 * x) + 2] * 114) + 500) / 1000);
            }
        }

        return gray;
    }

    /// <summary>The grey levels shrunk to at most <paramref name="maxPixels"/>, each new pixel the mean of those it covers.</summary>
    internal static (byte[] Gray, int Width, int Height) Shrunk(byte[] gray, int width, int height, int maxPixels)
    {
        if ((long)width * height <= maxPixels)
        {
            return (gray, width, height);
        }

        var scale = Math.Sqrt(maxPixels / ((double)width * height));
        var (w, h) = (Math.Max(1, (int)(width * scale)), Math.Max(1, (int)(height * scale)));
        var shrunk = new byte[w * h];
        for (var y = 0; y < h; y++)
        {
            var (y0, y1) = Covered(y, h, height);
            for (var x = 0; x < w; x++)
            {
                var (x0, x1) = Covered(x, w, width);
                var sum = 0;
                for (var sy = y0; sy < y1; sy++)
                {
                    for (var sx = x0; sx < x1; sx++)
                    {
                        sum += gray[(sy * width) + sx];
                    }
                }

                shrunk[(y * w) + x] = (byte)(sum / ((y1 - y0) * (x1 - x0)));
            }
        }

        return (shrunk, w, h);

        // The source pixels [from, to) that new pixel i of n covers along a side of length total (at least one).
        static (int From, int To) Covered(int i, int n, int total)
        {
            var from = (int)((long)i * total / n);
            return (from, Math.Max(from + 1, (int)((long)(i + 1) * total / n)));
        }
    }

    private static Quad Scaled(Quad box, float scale) =>
        new(box.TopLeft * scale, box.TopRight * scale, box.BottomRight * scale, box.BottomLeft * scale);

    // A linear code read again on thin strips across its bars, both ways from where it was found; null when too few
    // read it (print, not bars). The box spans the strips that read it.
    private static Quad? ConfirmLinear(byte[] gray, int width, int height, Result result, Vector2[] points)
    {
        var start = points.MinBy(p => p.X + p.Y);
        var end = points.MaxBy(p => p.X + p.Y);
        var horizontal = MathF.Abs(end.X - start.X) >= MathF.Abs(end.Y - start.Y);
        var length = horizontal ? end.X - start.X : end.Y - start.Y;
        if (length < 8)
        {
            return null;
        }

        var reader = new BarcodeReaderGeneric { AutoRotate = false, Options = new DecodingOptions { TryHarder = true, PossibleFormats = [result.BarcodeFormat] } };
        var step = Math.Max(2, (int)(length / 100));
        var across = (int)MathF.Round(horizontal ? (start.Y + end.Y) / 2 : (start.X + end.X) / 2);
        var (from, to) = horizontal ? ((int)start.X, (int)end.X) : ((int)start.Y, (int)end.Y);
        var pad = (int)(length / 6);
        from = Math.Max(0, from - pad);
        to = Math.Min(horizontal ? width : height, to + pad);
        var strip = new byte[(to - from) * StripThickness];
        var confirmed = new List<int>();
        var reach = (int)(length / 2);
        for (var offset = -reach; offset <= reach; offset += step)
        {
            var at = across + offset;
            if (at < 1 || at >= (horizontal ? height : width) - 1)
            {
                continue;
            }

            Strip(gray, width, horizontal, at, from, to, strip);
            var again = reader.Decode(new RGBLuminanceSource(strip, to - from, StripThickness, RGBLuminanceSource.BitmapFormat.Gray8));
            if (again?.Text == result.Text)
            {
                confirmed.Add(at);
            }
        }

        var others = confirmed.Count(at => Math.Abs(at - across) > 1);
        if (others < MinConfirmingStrips || confirmed.Max() - confirmed.Min() < MinBarHeight * length)
        {
            return null;
        }

        var (low, high) = (confirmed.Min() - 1f, confirmed.Max() + 1f);
        return horizontal
            ? new Quad(new Vector2(start.X, low), new Vector2(end.X, low), new Vector2(end.X, high), new Vector2(start.X, high))
            : new Quad(new Vector2(high, start.Y), new Vector2(high, end.Y), new Vector2(low, end.Y), new Vector2(low, start.Y));
    }

    // StripThickness lines of the page parallel to the code's reading direction, centred on "at": rows of a horizontal
    // code, columns of a vertical one (laid out as rows, the code read top to bottom).
    private static void Strip(byte[] gray, int width, bool horizontal, int at, int from, int to, byte[] strip)
    {
        var length = to - from;
        for (var k = 0; k < StripThickness; k++)
        {
            var line = at - (StripThickness / 2) + k;
            for (var i = 0; i < length; i++)
            {
                strip[(k * length) + i] = horizontal ? gray[(line * width) + from + i] : gray[((from + i) * width) + line];
            }
        }
    }

    // A 2D code's finder patterns lie inside its corners (a QR code's centres 3.5 modules in): the box round them is
    // grown by a fifth of their span on each side, within the page.
    private static Quad Around(Vector2[] points, int width, int height)
    {
        var (minX, maxX) = (points.Min(p => p.X), points.Max(p => p.X));
        var (minY, maxY) = (points.Min(p => p.Y), points.Max(p => p.Y));
        var (growX, growY) = ((maxX - minX) / 5, (maxY - minY) / 5);
        var (left, top) = (MathF.Max(0, minX - growX), MathF.Max(0, minY - growY));
        var (right, bottom) = (MathF.Min(width - 1, maxX + growX), MathF.Min(height - 1, maxY + growY));
        return new Quad(new Vector2(left, top), new Vector2(right, top), new Vector2(right, bottom), new Vector2(left, bottom));
    }
}
