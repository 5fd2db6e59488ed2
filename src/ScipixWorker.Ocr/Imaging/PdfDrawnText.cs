using System.Numerics;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Text drawn as shapes on a born-digital PDF page: fonts converted to outlines ("convert text to outlines" in design
/// tools, some print drivers and PDF converters), a vector logo's lettering, a drawing's text stroked (hollow outlines, a
/// stroke font). The page carries no text for it, so it is rendered and read by the models like a picture. Found from the
/// page's shapes (each subpath of a filled or stroked path) the size of glyphs (2 to 72 points on their longer side; not
/// a counter inside its letter's outline, a bar, or a straight line or rectangle drawn with a pen), grouped into blocks of
/// shapes near one another (within a glyph's size, whichever way the text runs); a block of at least
/// <see cref="MinGlyphs"/> such shapes is rendered on white, black, at a scale that makes its median glyph about
/// <see cref="GlyphPixels"/> pixels high (1 to 6 pixels a point, and at most <see cref="MaxBlockPixels"/>), with every
/// small shape inside it (periods, hyphens and the dots on i included).
/// </summary>
internal static class PdfDrawnText
{
    /// <summary>Glyph-sized shapes a block needs to be read (a word of three letters; a lone icon or bullet is not).</summary>
    public const int MinGlyphs = 3;

    /// <summary>The median glyph's height in the rendering, in pixels.</summary>
    public const double GlyphPixels = 36;

    /// <summary>The most pixels a block is rendered with (a whole A4 page of outlined text: about 4 pixels a point).</summary>
    public const long MaxBlockPixels = 8_000_000;

    /// <summary>The most shapes looked at on a page; a page drawn with more (a map, a detailed chart) is not read for them.</summary>
    public const int MaxShapes = 20_000;

    private const double MinGlyphHeight = 2;
    private const double MaxGlyphHeight = 72;
    private const double MinScale = 1;
    private const double MaxScale = 6;

    // Paths of more subpaths than this are not looked at for counters (each is compared with the others).
    private const int MaxSubpathsCompared = 2_000;

    // A pen's width in a rendering, for text drawn with strokes: a tenth of the median glyph (1.5 to 8 pixels). The file's
    // own line width is not used: it is in the drawing's units, which the paths no longer carry.
    private const double PenFraction = 0.1;

    /// <summary>
    /// The blocks of drawn text on a page whose filled and stroked paths are <paramref name="paths"/> (PdfPig's, in the page's
    /// coordinates as shown, y up), each within the page's rectangle from (<paramref name="left"/>, <paramref name="bottom"/>),
    /// the largest first. Groups join into larger blocks as long as no letter of the page's own text (<paramref name="letters"/>,
    /// their boxes; a letter counts where its centre is) lies in the rectangle they would make, and a group round such letters
    /// is cut into the rows above, between and below them: a page drawn whole as shapes (as a converter leaves it) is one
    /// block, read as a scan of it would be (in its reading order, turned upright as a whole, a table's columns read as
    /// rows), and drawn text between the page's own lines (a heading, a logo's lettering, a footer) a block of its own, which
    /// takes its place among them.
    /// </summary>
    /// <remarks>
    /// The paths of <paramref name="knownGlyphs"/> are known to be glyphs (letters of fonts that name no text, drawn from their
    /// outlines: <see cref="PdfUnmappedGlyphs"/>): whatever their size and shape (a heading over 72 points, an l), they are
    /// glyphs unless under 2 points or a counter.
    /// </remarks>
    public static IReadOnlyList<DrawnBlock> Blocks(
        IReadOnlyList<PdfPath> paths, IReadOnlyList<PdfRectangle> letters, double left, double bottom, double width, double height,
        IReadOnlySet<PdfPath>? knownGlyphs = null)
    {
        // Each subpath a shape (a writer may draw a glyph as a path of its own, or a whole line of them as one path).
        var shapes = new List<(PdfPath Path, PdfSubpath Subpath, PdfRectangle Box, bool Glyph)>();
        foreach (var path in paths)
        {
            if (!(path.IsFilled || path.IsStroked) || path.IsClipping)
            {
                continue;
            }

            var known = knownGlyphs?.Contains(path) == true;
            List<PdfRectangle?> outlines = [.. path.Select(p => p.GetBoundingRectangle())];
            for (var k = 0; k < path.Count; k++)
            {
                var subpath = path[k];
                if (shapes.Count == MaxShapes)
                {
                    return [];
                }

                if (outlines[k] is not { } box || !double.IsFinite(box.Width + box.Height + box.Left + box.Bottom)
                    || !PdfTextLayer.Inside(box.Centroid, left, bottom, width, height) || (!known && Size(box) > MaxGlyphHeight))
                {
                    continue;
                }

                // A counter (the hole of an o, drawn inside its outline in the same path) is part of its glyph: drawn, but
                // not a glyph of its own.
                if (path.Count <= MaxSubpathsCompared && outlines.Where((o, j) => j != k && o is { } other && Within(box, other)).Any())
                {
                    shapes.Add((path, subpath, box, false));
                    continue;
                }

                // A bar (a plain rectangle far longer than wide: a table's rule, an l or an I of some fonts) is drawn with the
                // text around it but is no sign of text itself; nor, drawn with a pen only, a straight line or a rectangle (a
                // table's or a form's lines and boxes, a stroke font's I or l).
                shapes.Add((path, subpath, box, Size(box) >= MinGlyphHeight && (known || (path.IsFilled ? !IsBar(subpath, box) : !IsLineOrBox(subpath)))));
            }
        }

        var glyphs = shapes.Where(s => s.Glyph).ToList();
        if (glyphs.Count < MinGlyphs)
        {
            return [];
        }

        // A group of one shape drawn again and again (a chart's markers, a row of dots or stars) is not text.
        var counts = new LetterCounts([.. letters.Select(l => l.Centroid)], left, bottom, width, height);
        List<PdfRectangle> boxes = [.. glyphs.Select(g => g.Box)];
        var groups = Join(
            Group(boxes, counts)
                .SelectMany(g => CutAtOwnText(g, boxes, letters, counts))
                .Where(g => g.Count >= MinGlyphs && g.Select(i => Signature(glyphs[i].Subpath, glyphs[i].Box)).Distinct().Skip(1).Any())
                .Select(g => g.Select(i => glyphs[i].Box).ToList())
                .ToList(),
            counts);
        var blocks = new List<DrawnBlock>();
        foreach (var group in groups)
        {
            var median = group.Select(Size).Order().ElementAt(group.Count / 2);
            var margin = Math.Max(2, median);
            var bounds = Bounds(group);
            // The rectangle round a group's glyphs, or round all it draws, with the margin, within the page.
            (double L, double B, double R, double T) Framed(PdfRectangle box) => (
                Math.Max(left, box.Left - margin), Math.Max(bottom, box.Bottom - margin),
                Math.Min(left + width, box.Right + margin), Math.Min(bottom + height, box.Top + margin));
            static bool Within(PdfRectangle box, (double L, double B, double R, double T) frame) =>
                box.Left >= frame.L && box.Right <= frame.R && box.Bottom >= frame.B && box.Top <= frame.T;

            // A median glyph's size of white round everything the block draws, its small shapes too: a period after a line's
            // last glyph at the block's edge, with no white beyond it, was lost to the detector and the recognizer (with half
            // a glyph's margin round the glyphs only, the Type 3 quality pages at 600 dpi lost six periods at lines' ends,
            // with this two).
            var glyphsFrame = Framed(bounds);
            var frame = Framed(Bounds(shapes.Where(s => Within(s.Box, glyphsFrame)).Select(s => s.Box).Append(bounds)));
            List<DrawnShape> inside = [.. shapes.Where(s => Within(s.Box, frame))
                .GroupBy(s => s.Path).Select(g => new DrawnShape(g.Key, [.. g.Select(s => s.Subpath)]))];
            var block = DrawnBlock.Fit(frame.L, frame.B, frame.R, frame.T, Math.Clamp(GlyphPixels / median, MinScale, MaxScale), MaxBlockPixels, inside);
            blocks.Add(block with { Pen = (float)Math.Clamp(median * block.Scale * PenFraction, 1.5, 8) });
        }

        return [.. blocks.OrderByDescending(k => (long)k.PixelWidth * k.PixelHeight)];
    }

    /// <summary>
    /// <paramref name="block"/> rendered: its shapes filled black on white (each by its own fill rule), as a greyscale PNG,
    /// upright as the page shows it.
    /// </summary>
    public static byte[] Render(DrawnBlock block)
    {
        using var image = Image.LoadPixelData<L8>(Rasterize(block, strokes: true).ToGrey(), block.PixelWidth, block.PixelHeight);
        using var png = new MemoryStream();
        image.SaveAsPng(png, new PngEncoder { ColorType = PngColorType.Grayscale, BitDepth = PngBitDepth.Bit8, CompressionLevel = PngCompressionLevel.BestSpeed });
        return png.ToArray();
    }

    /// <summary>
    /// <paramref name="block"/>'s shapes drawn black on white: filled by each path's own rule, and with
    /// <paramref name="strokes"/> those stroked drawn with the block's pen.
    /// </summary>
    internal static PathRasterizer Rasterize(DrawnBlock block, bool strokes)
    {
        var rasterizer = new PathRasterizer(block.PixelWidth, block.PixelHeight);
        foreach (var (path, subpaths) in block.Shapes)
        {
            if (path.IsFilled)
            {
                rasterizer.Fill(subpaths.Select(s => Flatten(s, block)), path.FillingRule == FillingRule.EvenOdd);
            }

            if (strokes && path.IsStroked)
            {
                rasterizer.Stroke([.. subpaths.Select(s => ((IReadOnlyList<Vector2>)Flatten(s, block), s.IsClosed()))], block.Pen);
            }
        }

        return rasterizer;
    }

    /// <summary>The rectangle round <paramref name="boxes"/> (at least one).</summary>
    internal static PdfRectangle Bounds(IEnumerable<PdfRectangle> boxes) => boxes.Aggregate(Union);

    // A subpath as a polygon in the block's pixels (y down), its curves cut into straight pieces about 2 pixels long.
    internal static List<Vector2> Flatten(PdfSubpath subpath, DrawnBlock block)
    {
        var points = new List<Vector2>();
        Vector2 Map(PdfPoint p) => new((float)((p.X - block.Left) * block.Scale), (float)((block.Top - p.Y) * block.Scale));
        foreach (var command in subpath.Commands)
        {
            switch (command)
            {
                case PdfSubpath.Move move:
                    points.Add(Map(move.Location));
                    break;
                case PdfSubpath.Line line:
                    Add(Map(line.From));
                    points.Add(Map(line.To));
                    break;
                case PdfSubpath.CubicBezierCurve cubic:
                    AddCurve(Map(cubic.StartPoint), Map(cubic.FirstControlPoint), Map(cubic.SecondControlPoint), Map(cubic.EndPoint));
                    break;
                case PdfSubpath.QuadraticBezierCurve quadratic:
                    var (p0, c, p3) = (Map(quadratic.StartPoint), Map(quadratic.ControlPoint), Map(quadratic.EndPoint));
                    AddCurve(p0, p0 + ((c - p0) * (2f / 3)), p3 + ((c - p3) * (2f / 3)), p3);
                    break;
            }
        }

        return points;

        void Add(Vector2 p)
        {
            if (points.Count == 0 || points[^1] != p)
            {
                points.Add(p);
            }
        }

        void AddCurve(Vector2 p0, Vector2 p1, Vector2 p2, Vector2 p3)
        {
            Add(p0);
            var length = Vector2.Distance(p0, p1) + Vector2.Distance(p1, p2) + Vector2.Distance(p2, p3);
            var steps = Math.Clamp((int)MathF.Ceiling(length / 2), 1, 64);
            for (var i = 1; i <= steps; i++)
            {
                var t = (float)i / steps;
                var u = 1 - t;
                points.Add((u * u * u * p0) + (3 * u * u * t * p1) + (3 * u * t * t * p2) + (t * t * t * p3));
            }
        }
    }

    // One straight line, or a rectangle.
    private static bool IsLineOrBox(PdfSubpath subpath) =>
        subpath.Commands.Count(c => c is PdfSubpath.Line or PdfSubpath.BezierCurve) <= 1 || subpath.IsDrawnAsRectangle || IsAxisRectangle(subpath);

    private static bool IsBar(PdfSubpath subpath, PdfRectangle box) =>
        (subpath.IsDrawnAsRectangle || IsAxisRectangle(subpath)) && Size(box) > 4 * Math.Max(0.01, Math.Min(box.Width, box.Height));

    private static bool IsAxisRectangle(PdfSubpath subpath)
    {
        var corners = new List<PdfPoint>();
        foreach (var command in subpath.Commands)
        {
            switch (command)
            {
                case PdfSubpath.Move move:
                    corners.Add(move.Location);
                    break;
                case PdfSubpath.Line line:
                    corners.Add(line.To);
                    break;
                case PdfSubpath.Close:
                    break;
                default:
                    return false;
            }
        }

        if (corners.Count is < 4 or > 5)
        {
            return false;
        }

        for (var i = 0; i < corners.Count; i++)
        {
            var (a, b) = (corners[i], corners[(i + 1) % corners.Count]);
            if (Math.Abs(a.X - b.X) > 0.01 && Math.Abs(a.Y - b.Y) > 0.01)
            {
                return false;
            }
        }

        return true;
    }

    // Groups joined two at a time while the rectangle round both holds none of the page's own letters (at most MaxJoined
    // groups are looked at so; past them, the rest stay as they are).
    private static List<List<PdfRectangle>> Join(List<List<PdfRectangle>> groups, LetterCounts letters)
    {
        const int MaxJoined = 64;
        var joined = groups.OrderByDescending(g => g.Count).Take(MaxJoined).Select(g => (Box: Bounds(g), Glyphs: g)).ToList();
        for (var again = true; again;)
        {
            again = false;
            for (var i = 0; i < joined.Count && !again; i++)
            {
                for (var j = i + 1; j < joined.Count && !again; j++)
                {
                    var union = Union(joined[i].Box, joined[j].Box);
                    if (!letters.AnyIn(union))
                    {
                        joined[i] = (union, [.. joined[i].Glyphs, .. joined[j].Glyphs]);
                        joined.RemoveAt(j);
                        again = true;
                    }
                }
            }
        }

        return [.. joined.Select(g => g.Glyphs), .. groups.OrderByDescending(g => g.Count).Skip(MaxJoined)];
    }

    private static PdfRectangle Union(PdfRectangle a, PdfRectangle b) =>
        new(Math.Min(a.Left, b.Left), Math.Min(a.Bottom, b.Bottom), Math.Max(a.Right, b.Right), Math.Max(a.Top, b.Top));

    private static bool Within(PdfRectangle inner, PdfRectangle outer) =>
        inner.Left >= outer.Left && inner.Right <= outer.Right && inner.Bottom >= outer.Bottom && inner.Top <= outer.Top
        && inner.Width * inner.Height < outer.Width * outer.Height;

    // A shape's size as a glyph, whichever way its text runs (an I is 10 points whether upright or turned).
    private static double Size(PdfRectangle box) => Math.Max(box.Width, box.Height);

    // A group whose rectangle holds some of the page's own letters (the group went round them: drawn rows above and below
    // a line of the page's own text, joined at their ends) cut into the rows between those letters' lines, by the centres
    // of its glyphs.
    private static IEnumerable<List<int>> CutAtOwnText(List<int> group, List<PdfRectangle> boxes, IReadOnlyList<PdfRectangle> letters, LetterCounts counts)
    {
        var box = Bounds(group.Select(i => boxes[i]));
        if (!counts.AnyIn(box))
        {
            return [group];
        }

        var lines = letters.Where(l => PdfTextLayer.Inside(l.Centroid, box.Left, box.Bottom, box.Width, box.Height)).Select(l => l.Bottom).ToList();
        return lines.Count == 0 ? [group] : group.GroupBy(i => lines.Count(bottom => bottom >= boxes[i].Centroid.Y)).Select(g => g.ToList());
    }

    // What tells two shapes apart: their commands and their size to half a point.
    private static (int, long, long) Signature(PdfSubpath subpath, PdfRectangle box) =>
        (subpath.Commands.Count, (long)Math.Round(box.Width * 2), (long)Math.Round(box.Height * 2));

    // Glyphs near one another in groups of their indices (within the glyph's size each way; two not joined where the
    // page's own letters lie between them), on a grid of cells twice the median glyph's size.
    private static List<List<int>> Group(List<PdfRectangle> glyphs, LetterCounts letters) =>
        NearShapes.Clusters(
            glyphs, Size, Math.Max(4, glyphs.Select(Size).Order().ElementAt(glyphs.Count / 2) * 2),
            (i, j) => !letters.AnyIn(Union(glyphs[i], glyphs[j])));
}

/// <summary>
/// The page's letters counted on a grid of 4-point cells, summed so that whether a rectangle holds any is one lookup (a
/// letter in a cell the rectangle touches counts: a rectangle may be refused for a letter up to a cell outside it).
/// </summary>
internal sealed class LetterCounts
{
    private const double Cell = 4;
    private readonly int[,] _sums; // letters in cells [0, x) x [0, y)
    private readonly double _left;
    private readonly double _bottom;
    private readonly int _columns;
    private readonly int _rows;

    public LetterCounts(IReadOnlyList<PdfPoint> letters, double left, double bottom, double width, double height)
    {
        (_left, _bottom) = (left, bottom);
        _columns = Math.Max(1, (int)Math.Ceiling(width / Cell));
        _rows = Math.Max(1, (int)Math.Ceiling(height / Cell));
        _sums = new int[_columns + 1, _rows + 1];
        foreach (var letter in letters)
        {
            var (x, y) = (Column(letter.X), Row(letter.Y));
            _sums[x + 1, y + 1]++;
        }

        for (var x = 1; x <= _columns; x++)
        {
            for (var y = 1; y <= _rows; y++)
            {
                _sums[x, y] += _sums[x - 1, y] + _sums[x, y - 1] - _sums[x - 1, y - 1];
            }
        }
    }

    /// <summary>Whether any letter lies in the cells <paramref name="rectangle"/> touches.</summary>
    public bool AnyIn(PdfRectangle rectangle)
    {
        var (x0, y0, x1, y1) = (Column(rectangle.Left), Row(rectangle.Bottom), Column(rectangle.Right) + 1, Row(rectangle.Top) + 1);
        return _sums[x1, y1] - _sums[x0, y1] - _sums[x1, y0] + _sums[x0, y0] > 0;
    }

    private int Column(double x) => Math.Clamp((int)Math.Floor((x - _left) / Cell), 0, _columns - 1);

    private int Row(double y) => Math.Clamp((int)Math.Floor((y - _bottom) / Cell), 0, _rows - 1);
}

/// <summary>
/// A block of text drawn as shapes (<see cref="PdfDrawnText"/>): its rectangle on the page as shown (points, y up), its
/// rendering's size in pixels and scale (pixels a point), and the shapes drawn in it.
/// </summary>
internal sealed record DrawnBlock(double Left, double Bottom, double Right, double Top, int PixelWidth, int PixelHeight, double Scale, IReadOnlyList<DrawnShape> Shapes)
{
    /// <summary>The pen's width for shapes drawn with strokes, in pixels.</summary>
    public float Pen { get; init; } = 2;

    /// <summary>
    /// The block of a rectangle (points, y up) rendered at <paramref name="scale"/> pixels a point, or fewer where that
    /// would pass <paramref name="maxPixels"/>.
    /// </summary>
    public static DrawnBlock Fit(double left, double bottom, double right, double top, double scale, long maxPixels, IReadOnlyList<DrawnShape> shapes)
    {
        scale = Math.Min(scale, Math.Sqrt(maxPixels / Math.Max(1, (right - left) * (top - bottom))));
        return new DrawnBlock(
            left, bottom, right, top, Math.Max(1, (int)Math.Ceiling((right - left) * scale)), Math.Max(1, (int)Math.Ceiling((top - bottom) * scale)), scale, shapes);
    }
}

/// <summary>Subpaths of one path drawn in a block: filled by the path's rule and stroked as the path is.</summary>
internal sealed record DrawnShape(PdfPath Path, IReadOnlyList<PdfSubpath> Subpaths);
