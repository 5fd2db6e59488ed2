using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Graphics;
using UglyToad.PdfPig.PdfFonts;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Text whose font maps its glyphs to no Unicode text (a subset font written without its ToUnicode map, codes 1, 2, 3 in
/// the order the glyphs were first used; a custom encoding of names no reader knows): PdfPig then gives the letter the
/// character code itself (U+0001, ...), a private-use code point or U+FFFD, and reading it as text would return garbage.
/// Where the font carries the glyph's outline (embedded TrueType, Type 1 or CFF programs, or a Type 3 font's glyph
/// procedure, traced or drawn by <see cref="PdfType3Glyphs"/>; not fonts left out of the file), the letter is drawn
/// instead: its outline placed where PdfPig placed the glyph, as a path of the page, so that <see cref="PdfDrawnText"/>
/// renders it and the models read it, as text converted to outlines is read. Type 3 fonts whose letters read as dingbats
/// (TeX's bitmap fonts, named a0, a1, ... as Zapf Dingbats' glyphs are) are drawn whole as well.
/// </summary>
internal static class PdfUnmappedGlyphs
{
    /// <summary>Whether <paramref name="value"/>, a letter's text, says its font could not name it.</summary>
    public static bool IsUnreadable(string value) => value.Length == 0 || value.Any(IsUnreadable);

    /// <summary>
    /// The letters of <paramref name="letters"/> whose fonts name them no text, drawn from their outlines
    /// (<see cref="Drawn"/>). A font names no text when it maps none of the codes 0-255, nor any of its letters' text taken
    /// as a code, and either gives at least one of its letters an unreadable text or maps none of the two-byte codes either
    /// (a font coded by glyph numbers, Identity-H without a map, whose letters all have numbers of 32 and up: "Quotation"
    /// reads "4XRWDWLRQ"): then every letter's text is its code (PdfPig's fallback), and all of them are drawn, the ones
    /// that look like ASCII (codes 32 and up) and the ones that look like white space (codes 9-13, 28-31) too. Of the
    /// other fonts, a letter is drawn when its text is one unreadable character the font does not name. Letters that draw
    /// nothing (a space, invisible text) are left out of the text as well; letters whose outline the font does not carry
    /// stay as they are (unreadable text).
    /// </summary>
    public static Drawn Find(IReadOnlyList<Letter> letters)
    {
        var drawn = new HashSet<Letter>(ReferenceEqualityComparer.Instance);
        var paths = new List<PdfPath>();
        var budget = new PdfType3Glyphs.TraceBudget();
        foreach (var group in letters.Where(l => l.GetFont() is not null).GroupBy(l => l.GetFont()!, ReferenceEqualityComparer.Instance))
        {
            var font = new FontGlyphs((IFont)group.Key!, budget);
            var unnamed = (!NamesAny(font, group) && (group.Any(l => IsUnreadable(l.Value)) || !NamesWideCodes(font)))
                || (font.IsType3 && NamedAsDingbats([.. group.Select(l => (l.Value, font.CodeOf(l.Value)))]));
            foreach (var letter in group)
            {
                if ((unnamed || (IsUnreadable(letter.Value) && !font.Names(letter.Value))) && TryOutline(letter, font, out var path))
                {
                    drawn.Add(letter);
                    if (path is not null)
                    {
                        paths.Add(path);
                    }
                }
            }
        }

        return new Drawn(drawn, paths);
    }

    // Whether the font names any code: 0-255 (a simple font's, and the first of a subset's), or one of its letters' texts
    // taken as a code (PdfPig gives an unnamed glyph its code as its text).
    private static bool NamesAny(FontGlyphs font, IEnumerable<Letter> letters) =>
        Enumerable.Range(0, 256).Any(font.Names) || letters.Any(l => font.Names(l.Value));

    // Whether a Type 3 font's letters (their texts, with the codes they were drawn with) read as dingbats: TeX's bitmap
    // fonts, as dvips and pdfTeX write them, name their glyphs a0, a1, ... by code, which are the names of the Zapf
    // Dingbats font's glyphs, and readers (Ghostscript writing the PDF's ToUnicode map, or PdfPig from the names) turn
    // "Invoice" into "■♥✈♦✐❝❡"; the names that font lacks (a116) fall back to their codes: "three" reads "t❤r❡❡". A
    // font is taken for one named so when each of its letters on the page reads as a dingbat or as its own code, and at
    // least MinDingbatCodes different dingbats are among them (one arrow in a label is the label's; "Proof" in a bold
    // font of its own has two).
    internal static bool NamedAsDingbats(IReadOnlyList<(string Text, int? Code)> letters)
    {
        var shown = letters.Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
        var dingbats = shown.Where(l => l.Text.Length == 1 && IsDingbat(l.Text[0])).Select(l => l.Text).ToList();
        return dingbats.Distinct(StringComparer.Ordinal).Count() >= MinDingbatCodes
            && shown.All(l => (l.Text.Length == 1 && IsDingbat(l.Text[0])) || (l.Text.Length == 1 && l.Text[0] == l.Code));
    }

    /// <summary>The fewest different dingbats a Type 3 font's letters must read as for its names to be taken as not its text.</summary>
    public const int MinDingbatCodes = 2;

    // The blocks the Zapf Dingbats glyph names map into: arrows, enclosed numbers, geometric shapes, miscellaneous
    // symbols and the dingbats themselves (its private-use forms are unreadable anyway).
    private static bool IsDingbat(char c) => c is (>= '\u2190' and <= '\u21FF') or (>= '\u2460' and <= '\u24FF') or (>= '\u25A0' and <= '\u27BF');

    // Whether the font names any two-byte code (a composite font's map may start past 255: a subset of a large font). A
    // Type 3 font has one-byte codes only, and is not asked 65,280 times.
    private static bool NamesWideCodes(FontGlyphs font) => !font.IsType3 && Enumerable.Range(256, 65536 - 256).Any(font.Names);

    /// <summary>
    /// The outline of <paramref name="letter"/>'s glyph (of <paramref name="font"/>, its text its code) where the page shows
    /// it: true with the path, or with null when it draws nothing (an empty glyph, invisible text); false when it is not
    /// known: the text is not one character, the font has no outline for the code, or the outline does not fit the glyph's
    /// box as PdfPig placed it (a code that is not the glyph's).
    /// </summary>
    public static bool TryOutline(Letter letter, IFont font, out PdfPath? path) =>
        TryOutline(letter, new FontGlyphs(font, new PdfType3Glyphs.TraceBudget()), out path);

    private static bool TryOutline(Letter letter, FontGlyphs font, out PdfPath? path)
    {
        path = null;
        var filled = letter.RenderingMode is TextRenderingMode.Fill or TextRenderingMode.FillThenStroke
            or TextRenderingMode.FillClip or TextRenderingMode.FillThenStrokeClip;
        var stroked = letter.RenderingMode is TextRenderingMode.Stroke or TextRenderingMode.FillThenStroke
            or TextRenderingMode.StrokeClip or TextRenderingMode.FillThenStrokeClip;
        if (font.CodeOf(letter.Value) is not { } code || !font.TryGlyph(code, out var outline, out var glyph))
        {
            return false;
        }

        if (outline.Count == 0 || !(filled || stroked))
        {
            return true;
        }

        var placed = letter.BoundingBox;
        if (glyph.Width <= 0 || glyph.Height <= 0 || !double.IsFinite(glyph.Width + glyph.Height + glyph.Left + glyph.Bottom))
        {
            return false;
        }

        // The affine map taking the glyph's bounds to the letter's box: its corners give the images of text space's axes.
        var (ox, oy) = (placed.BottomLeft.X, placed.BottomLeft.Y);
        var (ax, ay) = ((placed.BottomRight.X - ox) / glyph.Width, (placed.BottomRight.Y - oy) / glyph.Width);
        var (bx, by) = ((placed.TopLeft.X - ox) / glyph.Height, (placed.TopLeft.Y - oy) / glyph.Height);
        var (across, up) = (Math.Sqrt((ax * ax) + (ay * ay)), Math.Sqrt((bx * bx) + (by * by)));
        if (!double.IsFinite(across + up) || across <= 0 || up <= 0 || across / up is < MinAspect or > MaxAspect)
        {
            return false;
        }

        PdfPoint Place(PdfPoint p)
        {
            var (x, y) = (p.X - glyph.Left, p.Y - glyph.Bottom);
            return new PdfPoint(ox + (ax * x) + (bx * y), oy + (ay * x) + (by * y));
        }

        path = new PdfPath();
        foreach (var subpath in outline)
        {
            path.Add(Transformed(subpath, Place));
        }

        if (filled)
        {
            path.SetFilled(FillingRule.NonZeroWinding);
        }

        if (stroked)
        {
            path.SetStroked();
        }

        return true;
    }

    // Horizontal scaling (Tz) squeezes or stretches a glyph; a ratio beyond these says the outline is not the glyph placed.
    private const double MinAspect = 0.2;
    private const double MaxAspect = 5;

    private static PdfSubpath Transformed(PdfSubpath subpath, Func<PdfPoint, PdfPoint> place)
    {
        var result = new PdfSubpath();
        foreach (var command in subpath.Commands)
        {
            switch (command)
            {
                case PdfSubpath.Move move:
                    var to = place(move.Location);
                    result.MoveTo(to.X, to.Y);
                    break;
                case PdfSubpath.Line line:
                    var end = place(line.To);
                    result.LineTo(end.X, end.Y);
                    break;
                case PdfSubpath.CubicBezierCurve cubic:
                    var (c1, c2, e) = (place(cubic.FirstControlPoint), place(cubic.SecondControlPoint), place(cubic.EndPoint));
                    result.BezierCurveTo(c1.X, c1.Y, c2.X, c2.Y, e.X, e.Y);
                    break;
                case PdfSubpath.QuadraticBezierCurve quadratic:
                    var (q, qe) = (place(quadratic.ControlPoint), place(quadratic.EndPoint));
                    result.BezierCurveTo(q.X, q.Y, qe.X, qe.Y);
                    break;
                case PdfSubpath.Close:
                    result.CloseSubpath();
                    break;
            }
        }

        return result;
    }

    private static bool IsUnreadable(char c) =>
        c == '\uFFFD' || (c >= '\uE000' && c <= '\uF8FF') || (char.IsControl(c) && !char.IsWhiteSpace(c));

    // A font's names and glyph outlines, each code looked up once (a page draws its e a hundred times); a font whose map or
    // glyph program PdfPig fails on is asked no more (a damaged font would otherwise throw for every code probed).
    private sealed class FontGlyphs(IFont font, PdfType3Glyphs.TraceBudget budget)
    {
        private readonly Dictionary<int, (IReadOnlyList<PdfSubpath> Outline, PdfRectangle Bounds)?> _glyphs = [];
        private bool _namesBroken;
        private bool _glyphsBroken;
        private Dictionary<string, int>? _codes;
        private bool[]? _type3Glyphs;

        public bool IsType3 { get; } = PdfType3Glyphs.IsType3(font);

        // The code a letter of the font was drawn with: its text, which is its code where the font names none (PdfPig's
        // fallback); in a Type 3 font, the one code the font names with the letter's text, when one does (a Type 3 font's
        // map names every code, with dingbats).
        public int? CodeOf(string value)
        {
            if (IsType3)
            {
                _codes ??= Type3Codes();
                if (_codes.TryGetValue(value, out var code))
                {
                    return code < 0 ? null : code;
                }
            }

            return value.Length == 1 ? value[0] : null;
        }

        // Each text the font names to the code it names it for, -1 where two codes share it; only codes it has a glyph for
        // (its encoding's base names codes it never draws: StandardEncoding's quotesingle, 169, is "'", as a39's code is).
        private Dictionary<string, int> Type3Codes()
        {
            var codes = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var code = 0; code < 256 && !_namesBroken; code++)
            {
                try
                {
                    if (HasType3Glyph(code) && font.TryGetUnicode(code, out var text) && !string.IsNullOrEmpty(text))
                    {
                        codes[text] = codes.ContainsKey(text) ? -1 : code;
                    }
                }
                catch (Exception ex) when (PdfPages.IsParseFailure(ex))
                {
                    _namesBroken = true;
                }
            }

            return codes;
        }

        public bool Names(string value) => value.Length == 1 && Names(value[0]);

        // A Type 3 font names only the codes it has a glyph for: a code its encoding names from a standard encoding it never
        // draws (its Differences named g1, g2, ... over StandardEncoding's A, B, ...) says nothing of its letters.
        public bool Names(int code)
        {
            if (_namesBroken || (IsType3 && !HasType3Glyph(code)))
            {
                return false;
            }

            try
            {
                return font.TryGetUnicode(code, out var text) && !string.IsNullOrEmpty(text);
            }
            catch (Exception ex) when (PdfPages.IsParseFailure(ex))
            {
                _namesBroken = true;
                return false;
            }
        }

        // Whether the Type 3 font has a glyph procedure for code (one-byte codes only), its 256 codes asked once: a page's
        // letters ask again and again. A font whose encoding PdfPig fails on has none (its names are broken too).
        private bool HasType3Glyph(int code)
        {
            if (_type3Glyphs is null)
            {
                try
                {
                    _type3Glyphs = [.. Enumerable.Range(0, 256).Select(c => PdfType3Glyphs.HasGlyph(font, c))];
                }
                catch (Exception ex) when (PdfPages.IsParseFailure(ex))
                {
                    (_type3Glyphs, _namesBroken) = (new bool[256], true);
                }
            }

            return code is >= 0 and < 256 && _type3Glyphs[code];
        }

        // The outline of code's glyph in text space (the font matrix applied), and the glyph's bounds in the same space: the
        // corners PdfPig carried through the text and current transformation matrices to place the letter's box.
        public bool TryGlyph(int code, out IReadOnlyList<PdfSubpath> outline, out PdfRectangle bounds)
        {
            if (!_glyphs.TryGetValue(code, out var glyph))
            {
                _glyphs[code] = glyph = Read(code);
            }

            (outline, bounds) = glyph ?? ([], default);
            return glyph is not null;
        }

        private (IReadOnlyList<PdfSubpath>, PdfRectangle)? Read(int code)
        {
            if (_glyphsBroken)
            {
                return null;
            }

            try
            {
                if (IsType3)
                {
                    return PdfType3Glyphs.TryGlyph(font, code, budget, out var drawn, out var declared) ? (drawn, declared) : null;
                }

                return font.TryGetNormalisedPath(code, out var outline) && outline is not null
                    ? (outline, font.GetBoundingBox(code).GlyphBounds)
                    : null;
            }
            catch (Exception ex) when (PdfPages.IsParseFailure(ex))
            {
                _glyphsBroken = true; // a damaged glyph program: the font's letters stay unreadable
                return null;
            }
        }
    }

    /// <summary>Letters drawn from their outlines, and the outlines as the page's paths.</summary>
    internal sealed record Drawn(IReadOnlySet<Letter> Letters, IReadOnlyList<PdfPath> Paths)
    {
        public static Drawn None { get; } = new(new HashSet<Letter>(), []);
    }
}
