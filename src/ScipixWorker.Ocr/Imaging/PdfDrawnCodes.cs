using System.Numerics;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Barcodes and QR codes drawn with vectors on a born-digital PDF page (an invoice's payment QR code, a shipping label's
/// Code 128, as most PDF generators draw them: each module or bar a filled rectangle, or the dark areas as outlines). Found
/// as clusters of at least <see cref="MinElements"/> small filled shapes drawn with straight lines across and down only
/// (modules, bars and the outlines of their runs; each at most <see cref="MaxModule"/> points on its shorter side), near
/// one another (each reaching twice its shorter side: a linear code's widest space), at least
/// <see cref="MinCodeSide"/> points on the longer side;
/// each is rendered black on white with a quiet zone round it, its finest element <see cref="ModulePixels"/> pixels wide
/// (at most <see cref="MaxCodePixels"/>), and read by <see cref="BarcodeScanner"/>; the codes' boxes come back in the
/// page's points, from its top-left corner as shown.
/// </summary>
internal static class PdfDrawnCodes
{
    /// <summary>The fewest shapes a code is drawn with (a QR code has hundreds, a Code 128 of a few characters some 20 bars).</summary>
    public const int MinElements = 16;

    /// <summary>The widest a module or a bar may be on its shorter side, in points.</summary>
    public const double MaxModule = 8;

    /// <summary>The least length of a code's longer side, in points.</summary>
    public const double MinCodeSide = 15;

    /// <summary>The finest element's width in the rendering, in pixels.</summary>
    public const double ModulePixels = 4;

    /// <summary>The most pixels a code is rendered with.</summary>
    public const long MaxCodePixels = 1_000_000;

    /// <summary>The most clusters looked at on a page, the largest first.</summary>
    public const int MaxCodes = 16;

    /// <summary>The most shapes looked at on a page; past them (a map, a detailed chart) none is read.</summary>
    public const int MaxShapes = 50_000;

    /// <summary>
    /// The codes drawn on a page whose paths are <paramref name="paths"/> (PdfPig's, in the page's coordinates as shown,
    /// y up), the page's rectangle shown from (<paramref name="left"/>, <paramref name="bottom"/>).
    /// </summary>
    public static IReadOnlyList<RecognizedBarcode> Read(
        IReadOnlyList<PdfPath> paths, double left, double bottom, double width, double height, CancellationToken cancellationToken = default)
    {
        var elements = new List<(PdfPath Path, PdfSubpath Subpath, PdfRectangle Box)>();
        foreach (var path in paths)
        {
            if (!path.IsFilled || path.IsClipping)
            {
                continue;
            }

            foreach (var subpath in path)
            {
                if (elements.Count == MaxShapes)
                {
                    return [];
                }

                if (subpath.GetBoundingRectangle() is { } box && double.IsFinite(box.Left + box.Bottom + box.Width + box.Height)
                    && Math.Min(box.Width, box.Height) is > 0.05 and <= MaxModule && IsRectilinear(subpath)
                    && PdfTextLayer.Inside(box.Centroid, left, bottom, width, height))
                {
                    elements.Add((path, subpath, box));
                }
            }
        }

        var codes = new List<RecognizedBarcode>();
        var top = bottom + height;
        foreach (var cluster in Clusters(elements).Where(c => c.Count >= MinElements).OrderByDescending(c => c.Count).Take(MaxCodes))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var boxes = cluster.Select(i => elements[i].Box).ToList();
            var bounds = PdfDrawnText.Bounds(boxes);
            var (l, b, r, t) = (bounds.Left, bounds.Bottom, bounds.Right, bounds.Top);
            if (Math.Max(r - l, t - b) < MinCodeSide)
            {
                continue;
            }

            var module = boxes.Select(x => Math.Min(x.Width, x.Height)).Min();
            var quiet = Math.Max(4 * module, 0.05 * Math.Max(r - l, t - b));
            List<DrawnShape> shapes = [.. cluster.GroupBy(i => elements[i].Path).Select(g => new DrawnShape(g.Key, [.. g.Select(i => elements[i].Subpath)]))];
            var block = DrawnBlock.Fit(l - quiet, b - quiet, r + quiet, t + quiet, Math.Max(ModulePixels / module, 1), MaxCodePixels, shapes);
            var grey = PdfDrawnText.Rasterize(block, strokes: false).ToGrey(); // the modules as filled, without a pen round them
            foreach (var code in BarcodeScanner.Scan(grey, block.PixelWidth, block.PixelHeight, cancellationToken))
            {
                Vector2 ToPoints(Vector2 p) => new((float)(block.Left - left + (p.X / block.Scale)), (float)(top - block.Top + (p.Y / block.Scale)));
                var box = code.Box;
                codes.Add(code with { Box = new Quad(ToPoints(box.TopLeft), ToPoints(box.TopRight), ToPoints(box.BottomRight), ToPoints(box.BottomLeft)) });
            }
        }

        return [.. codes.DistinctBy(c => (c.Format, c.Text)).OrderBy(c => c.Box.MinY).ThenBy(c => c.Box.MinX)];
    }

    // Drawn with straight lines across and down only (a module, a bar, the outline of a run of modules), not a letter's curves.
    private static bool IsRectilinear(PdfSubpath subpath)
    {
        if (subpath.IsDrawnAsRectangle)
        {
            return true;
        }

        var lines = 0;
        foreach (var command in subpath.Commands)
        {
            switch (command)
            {
                case PdfSubpath.Line line when Math.Abs(line.From.X - line.To.X) < 0.01 || Math.Abs(line.From.Y - line.To.Y) < 0.01:
                    lines++;
                    break;
                case PdfSubpath.Move or PdfSubpath.Close:
                    break;
                default:
                    return false;
            }
        }

        return lines >= 2;
    }

    // Shapes near one another (each reaching twice its shorter side, 0.25 to 3 points: two bars a linear code's widest
    // space apart meet) in clusters of their indices.
    private static List<List<int>> Clusters(List<(PdfPath Path, PdfSubpath Subpath, PdfRectangle Box)> elements) =>
        NearShapes.Clusters([.. elements.Select(e => e.Box)], b => Math.Clamp(2 * Math.Min(b.Width, b.Height), 0.25, 3), cell: 4);
}
