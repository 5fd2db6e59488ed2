using System.Numerics;
using System.Text;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Graphics.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The text a born-digital PDF page carries, as lines in reading order: PdfPig's letters (overprinted duplicates
/// removed), its nearest-neighbour words, Docstrum text blocks and lines (which follow columns and rotated text), and
/// its reading order of the blocks. Measured in PDF points (1/72 inch) on the page as shown: origin at its top-left
/// corner, y down, <c>/Rotate</c> applied.
/// </summary>
internal static class PdfTextLayer
{
    /// <summary>A page whose text maps more than this share of its glyphs to no Unicode text is refused.</summary>
    public const double MaxUnreadableShare = 0.1;

    /// <summary>
    /// Reads the text of <paramref name="page"/> (1-based <paramref name="number"/>, for messages), without the letters of
    /// <paramref name="drawn"/> (unreadable text drawn from its outlines instead: <see cref="PdfUnmappedGlyphs"/>).
    /// </summary>
    /// <exception cref="OcrException">The page's fonts map too many glyphs to no text (<c>unsupported-format</c>).</exception>
    public static TextLayerPage Read(Page page, int number, IReadOnlySet<Letter>? drawn = null)
    {
        var (left, bottom, width, height) = Frame(page);
        return Read(page, number, l => drawn?.Contains(l) != true && Inside(l.BoundingBox.Centroid, left, bottom, width, height), all: true, (width, height),
            p => new Vector2((float)(p.X - left), (float)(bottom + height - p.Y)));
    }

    /// <summary>
    /// The visible text drawn over a scan (typed over a scanned form, or a document's text over a full-page background
    /// picture), in the scan's pixels as shown: <paramref name="scan"/> is where the scan lies on the page (its bounds in
    /// PDF user space, as PdfPig places it) and <paramref name="pixels"/> its size as shown. Invisible text (a scanner's
    /// OCR layer) is not read; unreadable text is left out rather than refused.
    /// </summary>
    public static IReadOnlyList<TextLayerLine> OverScan(
        Page page, int number, (double Left, double Bottom, double Right, double Top) scan, (int Width, int Height) pixels)
    {
        var (left, bottom, right, top) = scan;
        if (right - left <= 0 || top - bottom <= 0 || !page.Letters.Any(l => l.RenderingMode != TextRenderingMode.Neither))
        {
            return [];
        }

        var (sx, sy) = (pixels.Width / (right - left), pixels.Height / (top - bottom));
        try
        {
            return Read(page, number, l => Inside(l.BoundingBox.Centroid, left, bottom, right - left, top - bottom), all: false, pixels,
                p => new Vector2((float)((p.X - left) * sx), (float)((top - p.Y) * sy))).Lines;
        }
        catch (OcrException)
        {
            return [];
        }
    }

    // The letters inside (all, or the visible ones) as lines; shown maps PDF user space (y up) to the page or scan as shown
    // (y down, from its top-left corner), in which size is given.
    private static TextLayerPage Read(Page page, int number, Func<Letter, bool> inside, bool all, (double Width, double Height) size, Func<PdfPoint, Vector2> shown)
    {
        var letters = page.Letters
            .Where(l => (all || l.RenderingMode != TextRenderingMode.Neither) && inside(l))
            .ToList();
        CheckReadable(letters, number);
        letters = WithoutDuplicates(letters);

        var lines = new List<TextLayerLine>();
        var text = new StringBuilder();
        var words = NearestNeighbourWordExtractor.Instance.GetWords(letters).Where(w => !string.IsNullOrWhiteSpace(w.Text)).ToList();
        if (words.Count > 0)
        {
            var blocks = UnsupervisedReadingOrderDetector.Instance.Get(DocstrumBoundingBoxes.Instance.GetBlocks(words));
            foreach (var block in blocks.OrderBy(b => b.ReadingOrder))
            {
                foreach (var line in block.TextLines)
                {
                    var lineText = Normalize(string.Join(' ', line.Words.Select(w => w.Text)));
                    if (lineText.Length == 0)
                    {
                        continue;
                    }

                    var box = line.BoundingBox;
                    lines.Add(new TextLayerLine(lineText, Shown(box))
                    {
                        Words = [.. line.Words.Select(w => new TextLayerWord(Normalize(w.Text), Shown(w.BoundingBox))).Where(w => w.Text.Length > 0)],
                    });
                    text.Append(text.Length == 0 ? string.Empty : "\n").Append(lineText);
                }
            }
        }

        return new TextLayerPage((int)Math.Round(size.Width), (int)Math.Round(size.Height), lines, text.ToString());

        Quad Shown(PdfRectangle box) => new(shown(box.TopLeft), shown(box.TopRight), shown(box.BottomRight), shown(box.BottomLeft));
    }

    /// <summary>A one-page born-digital PDF of a few lines in two columns, for warming up the PDF reader.</summary>
    public static byte[] WarmUpDocument()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        for (var line = 0; line < 6; line++)
        {
            page.AddText($"Warm-up line {line + 1} of the left column", 10, new PdfPoint(50, 780 - (12 * line)), font);
            page.AddText($"Warm-up line {line + 1} of the right column", 10, new PdfPoint(320, 780 - (12 * line)), font);
        }

        return builder.Build();
    }

    // Where the page's letters lie: PdfPig places them on the page as shown. An unturned page keeps its crop box's
    // origin; a turned page is placed from (0, 0).
    public static (double Left, double Bottom, double Width, double Height) Frame(Page page)
    {
        var crop = page.CropBox.Bounds;
        return page.Rotation.Value % 360 == 0
            ? (crop.Left, crop.Bottom, crop.Width, crop.Height)
            : (0, 0, page.Width, page.Height);
    }

    /// <summary>
    /// Whether <paramref name="p"/> lies in the rectangle from (<paramref name="left"/>, <paramref name="bottom"/>), edges
    /// included: text drawn off the page (a slug, a clipped-away note) is not part of what the page shows, nor is a
    /// picture whose centre lies off it.
    /// </summary>
    internal static bool Inside(PdfPoint p, double left, double bottom, double width, double height) =>
        p.X >= left && p.X <= left + width && p.Y >= bottom && p.Y <= bottom + height;

    // A letter drawn again where the same letter already is (fake bold, a shadow, a writer that draws text twice) is read
    // once: same text, baselines starting within a quarter of the glyph's width (at most 2 points) of each other. Letters
    // are looked up in a grid of 2-point cells, so this is linear in the page's letters (PdfPig's own processor compares
    // every pair: 20 s for 100,000 letters).
    private static List<Letter> WithoutDuplicates(IReadOnlyList<Letter> letters)
    {
        const double Cell = 2;
        var grid = new Dictionary<(long X, long Y), List<Letter>>();
        var kept = new List<Letter>(letters.Count);
        foreach (var letter in letters)
        {
            var at = letter.StartBaseLine;
            var tolerance = Math.Clamp(0.25 * Math.Abs(letter.Width), 0.3, Cell);
            var (cx, cy) = ((long)Math.Floor(at.X / Cell), (long)Math.Floor(at.Y / Cell));
            var duplicate = false;
            for (var dx = -1; dx <= 1 && !duplicate; dx++)
            {
                for (var dy = -1; dy <= 1 && !duplicate; dy++)
                {
                    if (grid.TryGetValue((cx + dx, cy + dy), out var near))
                    {
                        duplicate = near.Exists(other => other.Value == letter.Value
                            && Math.Abs(other.StartBaseLine.X - at.X) <= tolerance && Math.Abs(other.StartBaseLine.Y - at.Y) <= tolerance);
                    }
                }
            }

            if (duplicate)
            {
                continue;
            }

            kept.Add(letter);
            if (!grid.TryGetValue((cx, cy), out var cell))
            {
                grid[(cx, cy)] = cell = [];
            }

            cell.Add(letter);
        }

        return kept;
    }

    // A font without a Unicode mapping gives glyphs PdfPig cannot name: U+FFFD, private-use code points or control
    // characters. Reading such a page would return garbage; the letters whose outlines the font carries are drawn and read
    // by the models instead (PdfUnmappedGlyphs, left out of these letters), the rest cannot be.
    private static void CheckReadable(IReadOnlyList<Letter> letters, int number)
    {
        var glyphs = 0;
        var unreadable = 0;
        foreach (var letter in letters)
        {
            if (string.IsNullOrWhiteSpace(letter.Value) && letter.Value.Length > 0)
            {
                continue;
            }

            glyphs++;
            if (PdfUnmappedGlyphs.IsUnreadable(letter.Value))
            {
                unreadable++;
            }
        }

        if (glyphs > 0 && unreadable > MaxUnreadableShare * glyphs)
        {
            throw new OcrException(OcrErrorCode.UnsupportedFormat,
                $"Page {number} of the PDF has a text layer whose fonts map {unreadable} of its {glyphs} glyphs to no Unicode text, " +
                "and no scan: the worker reads a PDF page's scan or its text, and draws unnamed glyphs only from outlines or Type 3 " +
                $"glyph procedures embedded in the file (not fonts left out of it; at most {PdfDrawnText.MaxShapes} shapes a page), with Ocr:PdfDrawnText on.");
        }
    }

    // U+FB00-U+FB06 as Unicode's compatibility mapping spells them (written out: the worker may run without ICU).
    private static readonly string[] Ligatures = ["ff", "fi", "fl", "ffi", "ffl", "st", "st"];

    // Ligatures (ﬁ, ﬂ, ...) read as the letters they join; whitespace runs collapse.
    private static string Normalize(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is >= '\uFB00' and <= '\uFB06')
            {
                builder.Append(Ligatures[c - '\uFB00']);
            }
            else if (char.IsWhiteSpace(c))
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString().TrimEnd();
    }
}

/// <summary>A line of a PDF page's text layer: its text and its box in points on the page as shown, corners as the text reads.</summary>
internal sealed record TextLayerLine(string Text, Quad Box)
{
    /// <summary>The line's words, where the file draws them.</summary>
    public IReadOnlyList<TextLayerWord> Words { get; init; } = [];
}

/// <summary>A word of a <see cref="TextLayerLine"/>: its text and its box, as the line's.</summary>
internal sealed record TextLayerWord(string Text, Quad Box);

/// <summary>A PDF page's text layer: the page's size in points as shown, its lines in reading order, and its text (a line a row).</summary>
internal sealed record TextLayerPage(int Width, int Height, IReadOnlyList<TextLayerLine> Lines, string Text);
