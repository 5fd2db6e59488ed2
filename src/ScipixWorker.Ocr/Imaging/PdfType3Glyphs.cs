using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Graphics;
using UglyToad.PdfPig.Graphics.Operations;
using UglyToad.PdfPig.Graphics.Operations.InlineImages;
using UglyToad.PdfPig.Graphics.Operations.PathConstruction;
using UglyToad.PdfPig.Graphics.Operations.PathPainting;
using UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState;
using UglyToad.PdfPig.Graphics.Operations.TextState;
using UglyToad.PdfPig.Logging;
using UglyToad.PdfPig.Parser;
using UglyToad.PdfPig.PdfFonts;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The glyphs of Type 3 fonts, whose letters are little content streams of their own (the font's CharProcs): drawn here
/// as outlines in glyph space, as <see cref="PdfUnmappedGlyphs"/> draws a TrueType or Type 1 glyph's. Two kinds are read:
/// bitmap glyphs, image masks placed by the procedure's transform (TeX's PK fonts, as dvips and ps2pdf, or pdfTeX,
/// embed them: the text of many papers of the 1990s and 2000s), traced into the polygons around their pixels; and glyphs
/// drawn with paths (filled or stroked). Colour, clipping, images that are not masks and XObjects the procedure calls are
/// left out: what the models need is where the ink is.
/// </summary>
internal static class PdfType3Glyphs
{
    /// <summary>The most pixels of one glyph's image mask traced (a glyph at 1,200 dpi and 72 points has a fifth of it).</summary>
    public const int MaxMaskPixels = 1 << 20;

    /// <summary>The most operations of one glyph procedure read; a longer one is not drawn.</summary>
    public const int MaxOperations = 4096;

    /// <summary>The most polygons one glyph's mask is traced into; more (a halftone, noise) is no letter, and it is not drawn.</summary>
    public const int MaxLoops = 1000;

    /// <summary>The most mask pixels traced for one page, all its Type 3 glyphs together (<see cref="TraceBudget"/>).</summary>
    public const long MaxPagePixels = 64L << 20;

    // Each glyph stream and its inline images decode to at most this (a glyph is small; this stops a damaged one).
    private const long MaxDecodedBytes = 8L << 20;

    private static readonly IFilterProvider Filters = new BoundedPdfFilters(MaxDecodedBytes);

    // PdfPig 0.1.16 measures Type 3 letters by their procedures' d1 boxes, but its Type3Font class is internal; its public
    // TryGetCharProc(int, out StreamToken) is reached by reflection (newer PdfPig makes it public as IType3Font). Should a
    // later PdfPig move it, no Type 3 glyph is drawn, and their letters stay as PdfPig reads them (a test holds this).
    private static readonly MethodInfo? CharProcMethod = typeof(IFont).Assembly
        .GetType("UglyToad.PdfPig.PdfFonts.Simple.Type3Font")?
        .GetMethod("TryGetCharProc", BindingFlags.Public | BindingFlags.Instance, [typeof(int), typeof(StreamToken).MakeByRefType()]);

    /// <summary>Whether <paramref name="font"/> is a Type 3 font whose glyph procedures can be read.</summary>
    public static bool IsType3(IFont font) => CharProcMethod is not null && CharProcMethod.DeclaringType!.IsInstanceOfType(font);

    /// <summary>Whether Type 3 font <paramref name="font"/> has a glyph procedure for <paramref name="code"/>.</summary>
    public static bool HasGlyph(IFont font, int code) => CharProc(font, code) is not null;

    // The glyph procedure of code in font, null when it is no Type 3 font or has none for the code.
    private static StreamToken? CharProc(IFont font, int code)
    {
        var arguments = new object?[] { code, null };
        return IsType3(font) && CharProcMethod!.Invoke(font, BindingFlags.DoNotWrapExceptions, null, arguments, null) is true
            ? arguments[1] as StreamToken
            : null;
    }

    /// <summary>
    /// The outline of character <paramref name="code"/>'s glyph in <paramref name="font"/>'s glyph space, and its bounds as
    /// the procedure declares them (d1; the box PdfPig places the letter by): false when the font has no procedure for the
    /// code, it draws something but declares no box, or it cannot be read. An empty outline: the glyph draws nothing that
    /// is read (a space).
    /// </summary>
    /// <exception cref="Exception">The procedure's stream is damaged (PdfPig's parse failures; <see cref="PdfPages.IsParseFailure"/>).</exception>
    public static bool TryGlyph(IFont font, int code, TraceBudget budget, [NotNullWhen(true)] out IReadOnlyList<PdfSubpath>? outline, out PdfRectangle bounds)
    {
        (outline, bounds) = (null, default);
        if (CharProc(font, code) is not { } procedure)
        {
            return false;
        }

        try
        {
            var content = procedure.Decode(Filters);
            var operations = new PageContentParser(ReflectionGraphicsStateOperationFactory.Instance, new StackDepthGuard(64), true)
                .Parse(0, new MemoryInputBytes(content), SilentLog.Instance);
            return operations.Count <= MaxOperations && Read(operations, budget, out outline, out bounds);
        }
        catch (OcrException)
        {
            return false; // a stream past MaxDecodedBytes: the glyph is not drawn
        }
    }

    // Runs a procedure's operations: the transform (q, Q, cm), paths filled or stroked, image masks (BI ID EI).
    private static bool Read(
        IReadOnlyList<IGraphicsStateOperation> operations, TraceBudget budget, [NotNullWhen(true)] out IReadOnlyList<PdfSubpath>? outline, out PdfRectangle bounds)
    {
        (outline, bounds) = (null, default);
        var result = new List<PdfSubpath>();
        var saved = new Stack<TransformationMatrix>();
        var ctm = TransformationMatrix.Identity;
        var building = new List<PdfSubpath>();
        PdfSubpath? current = null;
        IReadOnlyDictionary<NameToken, IToken>? inline = null;
        PdfRectangle? box = null;
        var last = default(PdfPoint);

        void Paint(bool paint)
        {
            if (paint)
            {
                result.AddRange(building.Where(s => s.Commands.Count > 1));
            }

            building.Clear();
            current = null;
        }

        PdfSubpath Current()
        {
            if (current is null)
            {
                current = new PdfSubpath();
                building.Add(current);
            }

            return current;
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case Type3SetGlyphWidthAndBoundingBox d1:
                    box = new PdfRectangle(
                        Math.Min(d1.LowerLeftX, d1.UpperRightX), Math.Min(d1.LowerLeftY, d1.UpperRightY),
                        Math.Max(d1.LowerLeftX, d1.UpperRightX), Math.Max(d1.LowerLeftY, d1.UpperRightY));
                    break;
                case Push:
                    saved.Push(ctm);
                    break;
                case Pop when saved.Count > 0:
                    ctm = saved.Pop();
                    break;
                case ModifyCurrentTransformationMatrix cm when cm.Value.Length == 6:
                    ctm = TransformationMatrix.FromArray(cm.Value).Multiply(ctm);
                    break;
                case BeginNewSubpath m:
                    current = null;
                    last = ctm.Transform(new PdfPoint(m.X, m.Y));
                    Current().MoveTo(last.X, last.Y);
                    break;
                case AppendStraightLineSegment l when current is not null:
                    last = ctm.Transform(new PdfPoint(l.X, l.Y));
                    current.LineTo(last.X, last.Y);
                    break;
                case AppendDualControlPointBezierCurve c when current is not null:
                    last = Curve(current, ctm.Transform(new PdfPoint(c.X1, c.Y1)), ctm.Transform(new PdfPoint(c.X2, c.Y2)), ctm.Transform(new PdfPoint(c.X3, c.Y3)));
                    break;
                case AppendStartControlPointBezierCurve v when current is not null:
                    last = Curve(current, last, ctm.Transform(new PdfPoint(v.X2, v.Y2)), ctm.Transform(new PdfPoint(v.X3, v.Y3)));
                    break;
                case AppendEndControlPointBezierCurve y when current is not null:
                    var to = ctm.Transform(new PdfPoint(y.X3, y.Y3));
                    last = Curve(current, ctm.Transform(new PdfPoint(y.X1, y.Y1)), to, to);
                    break;
                case AppendRectangle re:
                    current = null;
                    building.Add(Polygon(ctm, [new(re.LowerLeftX, re.LowerLeftY), new(re.LowerLeftX + re.Width, re.LowerLeftY),
                        new(re.LowerLeftX + re.Width, re.LowerLeftY + re.Height), new(re.LowerLeftX, re.LowerLeftY + re.Height)]));
                    break;
                case CloseSubpath:
                    current?.CloseSubpath();
                    current = null;
                    break;
                case FillPathEvenOddRule or FillPathNonZeroWinding or FillPathNonZeroWindingCompatibility or FillPathEvenOddRuleAndStroke
                    or FillPathNonZeroWindingAndStroke or CloseFillPathEvenOddRuleAndStroke or CloseFillPathNonZeroWindingAndStroke
                    or StrokePath or CloseAndStrokePath:
                    Paint(true);
                    break;
                case EndPath:
                    Paint(false);
                    break;
                case BeginInlineImageData data:
                    inline = data.Dictionary;
                    break;
                case EndInlineImage image when inline is not null:
                    if (Mask(inline, image.ImageData, budget) is { } mask)
                    {
                        if (Trace(mask, ctm) is not { } loops)
                        {
                            return false;
                        }

                        result.AddRange(loops);
                    }

                    inline = null;
                    break;
            }
        }

        if (result.Count == 0)
        {
            (outline, bounds) = ([], default); // a glyph that draws nothing (a space)
            return true;
        }

        if (box is not { Width: > 0, Height: > 0 } declared)
        {
            return false;
        }

        (outline, bounds) = (result, declared);
        return true;
    }

    private static PdfPoint Curve(PdfSubpath path, PdfPoint first, PdfPoint second, PdfPoint end)
    {
        path.BezierCurveTo(first.X, first.Y, second.X, second.Y, end.X, end.Y);
        return end;
    }

    private static PdfSubpath Polygon(TransformationMatrix ctm, IReadOnlyList<PdfPoint> points)
    {
        var path = new PdfSubpath();
        for (var i = 0; i < points.Count; i++)
        {
            var p = ctm.Transform(points[i]);
            if (i == 0)
            {
                path.MoveTo(p.X, p.Y);
            }
            else
            {
                path.LineTo(p.X, p.Y);
            }
        }

        path.CloseSubpath();
        return path;
    }

    /// <summary>An image mask's pixels: true where it paints; row 0 at the top (image space's y = 1).</summary>
    internal sealed record PixelMask(int Width, int Height, bool[] Paints);

    // The pixels an inline image mask paints (BitsPerComponent 1; ImageMask true), null when it is no mask or cannot be read.
    private static PixelMask? Mask(IReadOnlyDictionary<NameToken, IToken> abbreviated, ReadOnlyMemory<byte> data, TraceBudget budget)
    {
        var entries = new Dictionary<NameToken, IToken>();
        foreach (var (key, value) in abbreviated)
        {
            entries[NameToken.Create(FullKey(key.Data))] = value is NameToken name ? NameToken.Create(FullFilter(name.Data))
                : value is ArrayToken array ? new ArrayToken([.. array.Data.Select(v => v is NameToken n ? NameToken.Create(FullFilter(n.Data)) : v)])
                : value;
        }

        entries[NameToken.Length] = new NumericToken(data.Length);
        var dictionary = new DictionaryToken(entries);
        if (!(dictionary.TryGet(NameToken.ImageMask, out var isMask) && isMask is BooleanToken { Data: true })
            || !dictionary.TryGet(NameToken.Width, out var w) || w is not NumericToken { Int: var width }
            || !dictionary.TryGet(NameToken.Height, out var h) || h is not NumericToken { Int: var height })
        {
            return null;
        }

        if (width <= 0 || height <= 0 || (long)width * height > MaxMaskPixels || !budget.Take((long)width * height))
        {
            return null;
        }

        var bits = new StreamToken(dictionary, data.ToArray()).Decode(Filters).Span;
        var stride = (width + 7) / 8;
        if (bits.Length < stride * height)
        {
            return null;
        }

        // Decode [0 1] (the default): a 0 sample paints; [1 0]: a 1 sample does.
        var paintBit = dictionary.TryGet(NameToken.Decode, out var decode) && decode is ArrayToken { Data: [NumericToken { Double: >= 0.5 }, ..] } ? 1 : 0;
        var paints = new bool[width * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                paints[(y * width) + x] = ((bits[(y * stride) + (x >> 3)] >> (7 - (x & 7))) & 1) == paintBit;
            }
        }

        return new PixelMask(width, height, paints);
    }

    private static string FullKey(string key) => key switch
    {
        "W" => "Width",
        "H" => "Height",
        "BPC" => "BitsPerComponent",
        "IM" => "ImageMask",
        "D" => "Decode",
        "F" => "Filter",
        "DP" => "DecodeParms",
        "CS" => "ColorSpace",
        "I" => "Interpolate",
        _ => key,
    };

    private static string FullFilter(string name) => name switch
    {
        "CCF" => "CCITTFaxDecode",
        "Fl" => "FlateDecode",
        "AHx" => "ASCIIHexDecode",
        "A85" => "ASCII85Decode",
        "RL" => "RunLengthDecode",
        "LZW" => "LZWDecode",
        "DCT" => "DCTDecode",
        _ => name,
    };

    /// <summary>
    /// The polygons around the painted pixels of <paramref name="mask"/>, placed by <paramref name="ctm"/> (image space,
    /// the unit square, to glyph space): each region's outer boundary one way round and its holes the other, so that they
    /// fill as the mask paints under either rule; corners only (runs of pixel edges in one direction are one side). Null
    /// past <see cref="MaxLoops"/> polygons.
    /// </summary>
    internal static List<PdfSubpath>? Trace(PixelMask mask, TransformationMatrix ctm)
    {
        var (width, height, paints) = (mask.Width, mask.Height, mask.Paints);
        bool Painted(int x, int y) => x >= 0 && y >= 0 && x < width && y < height && paints[(y * width) + x];

        // Every boundary edge of a painted pixel, between corner points (x, y) of the grid (y down), with the pixel on its
        // right: a corner has at most two edges leaving it (two where painted pixels touch only diagonally).
        var stride = width + 1;
        var first = new int[stride * (height + 1)];
        var second = new int[first.Length];
        Array.Fill(first, -1);
        Array.Fill(second, -1);
        var edges = 0;
        void Edge(int fromX, int fromY, int toX, int toY)
        {
            var from = (fromY * stride) + fromX;
            if (first[from] < 0)
            {
                first[from] = (toY * stride) + toX;
            }
            else
            {
                second[from] = (toY * stride) + toX;
            }

            edges++;
        }

        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                if (!paints[(y * width) + x])
                {
                    continue;
                }

                if (!Painted(x, y - 1))
                {
                    Edge(x, y, x + 1, y);
                }

                if (!Painted(x + 1, y))
                {
                    Edge(x + 1, y, x + 1, y + 1);
                }

                if (!Painted(x, y + 1))
                {
                    Edge(x + 1, y + 1, x, y + 1);
                }

                if (!Painted(x - 1, y))
                {
                    Edge(x, y + 1, x, y);
                }
            }
        }

        // Every corner has as many edges in as out, so following edges from any corner comes back to it: each loop a polygon.
        // Where two edges leave a corner (pixels touching only there), the one turning right is taken: the loop keeps to
        // the pixel it was going round, and pixels that touch at a corner are outlined apart.
        var result = new List<PdfSubpath>();
        var corners = new List<int>();
        int RightOf(int step) => step == 1 ? stride : step == stride ? -1 : step == -1 ? -stride : 1;
        for (var start = 0; start < first.Length && edges > 0; start++)
        {
            while (first[start] >= 0)
            {
                corners.Clear();
                var (at, step) = (start, 0);
                do
                {
                    corners.Add(at);
                    int next;
                    if (second[at] >= 0 && (step == 0 || second[at] - at == RightOf(step)))
                    {
                        (next, second[at]) = (second[at], -1);
                    }
                    else if (second[at] >= 0)
                    {
                        (next, first[at], second[at]) = (first[at], second[at], -1);
                    }
                    else
                    {
                        (next, first[at]) = (first[at], -1);
                    }

                    edges--;
                    (step, at) = (next - at, next);
                }
                while (at != start && (first[at] >= 0 || second[at] >= 0));

                if (result.Count == MaxLoops)
                {
                    return null;
                }

                result.Add(Corners(corners, stride, width, height, ctm));
            }
        }

        return result;
    }

    // A loop of grid corners as a closed path through its turns only, in image space (x / width, 1 - y / height) placed by ctm.
    private static PdfSubpath Corners(List<int> loop, int stride, int width, int height, TransformationMatrix ctm)
    {
        var points = new List<PdfPoint>(loop.Count);
        for (var i = 0; i < loop.Count; i++)
        {
            var (previous, at, next) = (loop[(i + loop.Count - 1) % loop.Count], loop[i], loop[(i + 1) % loop.Count]);
            if (at - previous != next - at)
            {
                points.Add(new PdfPoint((double)(at % stride) / width, 1 - ((double)(at / stride) / height)));
            }
        }

        return Polygon(ctm, points);
    }

    /// <summary>
    /// The mask pixels left to trace on a page (<see cref="MaxPagePixels"/>): a page whose Type 3 fonts hold more bitmap
    /// than that (hundreds of fonts of large glyphs) has the rest of its glyphs left undrawn, and is refused as before.
    /// </summary>
    internal sealed class TraceBudget(long pixels = MaxPagePixels)
    {
        private long _left = pixels;

        public bool Take(long count)
        {
            if (count > _left)
            {
                _left = 0;
                return false;
            }

            _left -= count;
            return true;
        }
    }

    private sealed class SilentLog : ILog
    {
        public static SilentLog Instance { get; } = new();

        public void Debug(string message)
        {
        }

        public void Debug(string message, Exception ex)
        {
        }

        public void Warn(string message)
        {
        }

        public void Error(string message)
        {
        }

        public void Error(string message, Exception ex)
        {
        }
    }
}
