using System.Numerics;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// A character standing alone: a quantity's <c>1</c> in a column of its own, a tax code's <c>S</c>, a <c>*</c>. The
/// detector is weakest on these (PaddleOCR's issues #826 and #11900: a lone <c>1</c> goes unseen), and where it does see
/// one, at the detector's scale a glyph is a few map pixels, so its box comes back cut into the glyph (a <c>7</c> boxed
/// 13 x 18 pixels where its ink is 16 x 24) or loose around it, and the recognizer, which reads a clean crop of such a
/// glyph surely, lets the crop go below the drop score or misreads it (<c>L</c> for <c>1</c>, <c>B</c> for <c>6</c>).
/// <para>
/// So each box about a character in size (<see cref="MaxAspect"/>) gets a second crop fitted to its ink: the page is
/// looked at <see cref="Around"/> row heights beyond the box either way, ink being a pixel darker than the paper by
/// <see cref="RelativeContrast"/> of the way to the box's darkest pixel (at least the faint colons'
/// <see cref="GapColons.MinContrast"/> grey levels); the ink whose centre lies in the box (or within
/// <see cref="Slack"/> of a row height of it) is the glyph. The crop takes the glyph with <see cref="SideMargin"/> of a row
/// height either side and the row's height at least (a dash keeps its size beside the row's letters), its ink stretched
/// from the paper's white to black and everything else paper: a faint dot-matrix <c>1</c>, grey on grey, read at 0.36 as
/// the detector cut it reads at 0.79 so. The engine reads it only where the box's own crop read below the drop score, and
/// keeps it when it reads at or above it.
/// </para>
/// <para>
/// Ink of a character's size on a row that no box covers (<see cref="Missed"/>), before the row's first box, between two
/// or after the last, is fitted and read the same way, and kept as a line of its own where it reads surely as letters or
/// digits (<see cref="IsMissedGlyph"/>).
/// </para>
/// </summary>
internal static class LoneGlyphs
{
    /// <summary>A box is a glyph's when its crop is at most this many times as wide as tall (two digits at most).</summary>
    public const float MaxAspect = 1.5f;

    /// <summary>How far beyond the box the ink is looked for, in row heights.</summary>
    public const float Around = 0.5f;

    /// <summary>Ink whose centre lies this far outside the box (in row heights) is still the glyph's: the box may cut into it.</summary>
    public const float Slack = 0.15f;

    /// <summary>Ink is darker than the paper by this fraction of the way to the darkest pixel in the box.</summary>
    public const float RelativeContrast = 0.3f;

    /// <summary>White either side of the glyph in its crop, in row heights.</summary>
    public const float SideMargin = 0.3f;

    /// <summary>White above and below the row's band in the crop, in row heights.</summary>
    public const float EndMargin = 0.12f;

    /// <summary>The glyph's ink is at most this many row heights tall and wide: more is a rule, a frame or a picture.</summary>
    public const float MaxInk = 1.6f;

    /// <summary>
    /// A glyph the detector missed with ink this far above it and below it (in row heights, in its columns) is a rule or
    /// the paper's edge.
    /// </summary>
    public const float Continues = 0.4f;

    /// <summary>
    /// The gaps are looked at no taller than this, in pixels: a glyph is still a dozen pixels tall, and the search costs
    /// half what it does at <see cref="GapColons"/>' 48 (docs/benchmarks.md, "Lone glyphs").
    /// </summary>
    public const int MaxGapHeight = 32;

    /// <summary>A glyph's surroundings are looked at no taller than this, in pixels.</summary>
    public const int MaxStripHeight = 64;

    /// <summary>The paper must be at least this light: light text on a dark ground is left as the box's crop has it.</summary>
    public const int MinPaper = 96;

    /// <summary>
    /// How far inside a box the search for glyphs beside it begins, in heights (at most this fraction of the box's width):
    /// a box's ink may overhang it.
    /// </summary>
    public const float Inside = 0.5f;

    /// <summary>How far before a row's first box and after each box the search for glyphs it missed goes, in heights.</summary>
    public const float Reach = LoneMarks.Reach;

    /// <summary>A glyph the detector missed is ink this fraction of the line's text band tall at least ...</summary>
    public const float MinGlyph = 0.6f;

    /// <summary>... and at most this, either way (a capital or a digit stands a little above the band of small letters).</summary>
    public const float MaxGlyph = 1.4f;

    /// <summary>Glyphs closer than this (a fraction of the band) are one candidate (<c>12</c>, <c>%</c>).</summary>
    public const float MaxJoin = 0.5f;

    /// <summary>A candidate is at most this many characters wide (fractions of the band): a quantity, a code.</summary>
    public const float MaxCandidate = 2.5f;

    /// <summary>
    /// The least confidence a glyph the detector missed needs to be kept, above the drop score: no box vouches for it. On
    /// sroie_pages the readings at 0.9 or more read the ink's character (a handwritten <c>3</c> among them); below it, a
    /// bar read as <c>|</c> or <c>[</c>, specks as <c>.</c> (docs/quality.md).
    /// </summary>
    public const float MinConfidence = 0.9f;

    /// <summary>The most fitted crops of boxes that read unsurely one page gives the recognizer.</summary>
    public const int MaxRefitsPerPage = 32;

    /// <summary>The most glyphs the detector missed one page gives the recognizer.</summary>
    public const int MaxPerPage = 16;

    /// <summary>
    /// The glyphs the detector missed on a page: ink of a character's size on a row, before its first box (up to
    /// <see cref="Reach"/> heights), between two of its boxes or after its last, that no box covers: each a box about the
    /// glyph (joined with glyphs within <see cref="MaxJoin"/> of the band, up to <see cref="MaxCandidate"/> bands wide),
    /// to be fitted and read as a lone glyph is (<see cref="Refit"/>). <paramref name="lines"/> are the page's boxes of
    /// text (named as their text reads), <paramref name="bands"/> the text bands of their crops (<see cref="LineInk.TextBand"/>),
    /// <paramref name="rows"/> the rows they form
    /// (indices into <paramref name="lines"/>, left to right as the text reads) and <paramref name="covered"/> the boxes
    /// whose text is read already: the lines. Not the size filter's leavings (<see cref="LoneMarks"/>): those are kept only
    /// as colons, and the tiny <c>1</c> of a small print lies among them (receipt 030).
    /// </summary>
    public static List<(Quad Box, float RowHeight)> Missed(
        RgbBuffer page, IReadOnlyList<Quad> lines, IReadOnlyList<(float Top, float Bottom, byte Dark)?> bands, IReadOnlyList<IReadOnlyList<int>> rows,
        IReadOnlyList<Quad> covered)
    {
        var found = new List<(Quad Box, float RowHeight)>();
        foreach (var row in rows)
        {
            for (var k = -1; k < row.Count && found.Count < MaxPerPage; k++) // k = -1: before the row's first line
            {
                var line = row[Math.Max(k, 0)];
                var height = QuadCropper.CropSize(lines[line]).Height;
                if (height < 8 || bands[line] is not { } band)
                {
                    continue;
                }

                foreach (var glyph in InGap(page, lines, line, k < 0 ? -1 : k + 1 < row.Count ? row[k + 1] : -1, before: k < 0, band))
                {
                    var centre = (glyph.TopLeft + glyph.BottomRight) / 2;
                    if (found.Count < MaxPerPage && centre.X >= 0 && centre.Y >= 0 && centre.X < page.Width && centre.Y < page.Height
                        && !covered.Any(glyph.IsHalfUnder) && !found.Any(f => glyph.IsHalfUnder(f.Box)))
                    {
                        found.Add((glyph, height));
                    }
                }
            }
        }

        return found;
    }

    // The glyphs in the gap after line `index` up to line `next` (-1: none, Reach heights on), or with `before` in the
    // Reach heights before it: a strip the line's height tall from half a height inside the line's box (its ink may
    // overhang the box) to half a height inside the next box's.
    private static List<Quad> InGap(RgbBuffer page, IReadOnlyList<Quad> lines, int index, int next, bool before, (float Top, float Bottom, byte Dark) band)
    {
        var line = lines[index];
        var height = QuadCropper.CropSize(line).Height;
        RowGap? gap;
        if (before)
        {
            // The gap after the line as a row read right to left has it: turned half a turn, the strip comes back reversed.
            gap = InkStrip.After(line.UpsideDown(), null, Inside, Inside, Inside, Inside, Reach);
            gap = gap is { } reversed ? reversed with { Strip = reversed.Strip.UpsideDown(), Into = reversed.Back, Back = 0 } : null;
        }
        else
        {
            gap = InkStrip.After(line, next >= 0 ? lines[next] : null, Inside, Inside, Inside, Inside, Reach);
        }

        if (gap is not { } found)
        {
            return [];
        }

        return InkStrip.Sampled(page, found.Strip, height, MaxGapHeight, (pixels, scale) =>
        {
            var lineEnd = before ? float.MinValue : found.Back * scale;
            var nextStart = before || next >= 0 ? pixels.Width - (found.Into * scale) : float.MaxValue;
            var glyphs = Glyphs(pixels, band.Top * pixels.Height, band.Bottom * pixels.Height, band.Dark, lineEnd, nextStart);
            return glyphs.Select(g => Place(found.Strip, g, pixels.Width, pixels.Height)).ToList();
        });
    }

    /// <summary>
    /// The glyphs in a strip between a line's ink (columns before <paramref name="lineEnd"/> are its box) and the next box's
    /// (from <paramref name="nextStart"/> on), rows <paramref name="bandTop"/> to <paramref name="bandBottom"/> the line's
    /// text band, whose darkest ink is <paramref name="dark"/>: ink of a character's size, centred in the band, clear of both
    /// boxes' ink, joined with its close neighbours; each the bounds of its ink, in the strip's pixels.
    /// </summary>
    internal static List<Bounds> Glyphs(GreyStrip strip, float bandTop, float bandBottom, byte dark, float lineEnd, float nextStart)
    {
        var band = bandBottom - bandTop;
        var grey = strip.Pixels.AsSpan(0, strip.Width * strip.Height);
        var paper = InkStrip.Median(grey);
        if (paper < MinPaper || band < 4)
        {
            return [];
        }

        var threshold = paper - MathF.Max(GapColons.MinContrast, GapColons.RelativeContrast * (paper - dark));
        var blobs = InkStrip.Blobs(grey, strip.Width, strip.Height, threshold);
        var characters = blobs.Where(b => b.Height >= MinGlyph * band && b.Height <= MaxGlyph * band && b.Width <= MaxGlyph * band
            && b.CentreY >= bandTop && b.CentreY <= bandBottom).ToList();

        // The line's ink and the next box's reach as far as their characters do.
        var lineInk = characters.Where(b => b.Left < lineEnd).Select(b => (float)b.Right).DefaultIfEmpty(lineEnd).Max();
        var nextInk = characters.Where(b => b.Right > nextStart).Select(b => (float)b.Left).DefaultIfEmpty(nextStart).Min();
        var clear = 0.2f * band;
        var free = characters.Where(b => b.Left > lineInk + clear && b.Right < nextInk - clear).OrderBy(b => b.Left).ToList();
        var glyphs = new List<Bounds>();
        foreach (var blob in free)
        {
            var bounds = new Bounds(blob.Left, blob.Top, blob.Right + 1, blob.Bottom + 1);
            if (glyphs.Count > 0 && blob.Left - glyphs[^1].Right <= MaxJoin * band)
            {
                var last = glyphs[^1];
                glyphs[^1] = new Bounds(last.Left, MathF.Min(last.Top, bounds.Top), bounds.Right, MathF.Max(last.Bottom, bounds.Bottom));
            }
            else
            {
                glyphs.Add(bounds);
            }
        }

        // A run of ink wider than a code is a word the detector let go, or a picture: not a lone glyph.
        return [.. glyphs.Where(g => g.Width <= MaxCandidate * band)];
    }

    /// <summary>
    /// Whether the reading of a glyph the detector missed is kept: at least <see cref="MinConfidence"/>, no space, and a
    /// letter or a digit in it (specks and rules read as marks).
    /// </summary>
    public static bool IsMissedGlyph(LineReading reading) =>
        reading.Confidence >= MinConfidence && reading.Text.Length > 0 && !reading.Text.Any(char.IsWhiteSpace) && reading.Text.Any(char.IsLetterOrDigit);

    /// <summary>Whether <paramref name="box"/> is about one or two characters in size.</summary>
    public static bool IsGlyph(Quad box)
    {
        var (width, height) = QuadCropper.CropSize(box);
        return height >= 6 && width <= MaxAspect * height;
    }

    /// <summary>
    /// A crop of the glyph in <paramref name="box"/> (named as its text reads) fitted to its ink, on a row
    /// <paramref name="rowHeight"/> pixels tall, and the box it fills on the page; null where there is no ink to fit to.
    /// </summary>
    public static (Quad Box, RgbBuffer Crop)? Refit(RgbBuffer page, Quad box, float rowHeight, bool missed = false)
    {
        var along = box.TopRight - box.TopLeft;
        if (along.LengthSquared() < 1e-6f || rowHeight < 6)
        {
            return null;
        }

        along = Vector2.Normalize(along);
        var down = new Vector2(-along.Y, along.X);
        var centre = (box.TopLeft + box.TopRight + box.BottomRight + box.BottomLeft) / 4;
        var (width, height) = QuadCropper.CropSize(box);
        var halfWidth = (width / 2f) + (Around * rowHeight);
        var halfHeight = (MathF.Max(height, rowHeight) / 2f) + (Around * rowHeight);
        var region = new Quad(
            centre - (along * halfWidth) - (down * halfHeight),
            centre + (along * halfWidth) - (down * halfHeight),
            centre + (along * halfWidth) + (down * halfHeight),
            centre - (along * halfWidth) + (down * halfHeight));

        return InkStrip.Sampled(page, region, 2 * halfHeight, MaxStripHeight, (strip, scale) =>
        {
            var core = new Bounds(
                (halfWidth - (width / 2f)) * scale, (halfHeight - (height / 2f)) * scale,
                (halfWidth + (width / 2f)) * scale, (halfHeight + (height / 2f)) * scale);
            return Fit(strip, core, rowHeight * scale, missed) is not { } fit ? ((Quad, RgbBuffer)?)null
                : (Place(region, fit.Crop, strip.Width, strip.Height), fit.Image);
        });
    }

    /// <summary>
    /// The glyph whose ink lies in <paramref name="core"/> (the box, in the strip's pixels) on a row <paramref name="row"/>
    /// pixels tall: the part of the strip to crop and its image, ink stretched to black and all else white; null where the
    /// paper is dark or no ink fits.
    /// </summary>
    internal static (Bounds Crop, RgbBuffer Image)? Fit(GreyStrip strip, Bounds core, float row, bool missed)
    {
        var grey = strip.Pixels.AsSpan(0, strip.Width * strip.Height);
        var paper = InkStrip.Median(grey);
        var dark = Darkest(strip, core);
        if (paper < MinPaper || dark >= paper)
        {
            return null;
        }

        var threshold = paper - MathF.Max(GapColons.MinContrast, RelativeContrast * (paper - dark));
        var slack = Slack * row;
        var glyph = InkStrip.Blobs(grey, strip.Width, strip.Height, threshold)
            .Where(b => b.CentreX >= core.Left - slack && b.CentreX <= core.Right + slack
                && b.CentreY >= core.Top - slack && b.CentreY <= core.Bottom + slack)
            .ToList();
        if (glyph.Count == 0)
        {
            return null;
        }

        var ink = new Bounds(glyph.Min(b => b.Left), glyph.Min(b => b.Top), glyph.Max(b => b.Right) + 1, glyph.Max(b => b.Bottom) + 1);
        if (ink.Width > MaxInk * row || ink.Height > MaxInk * row)
        {
            return null;
        }

        // Ink no box vouches for that runs on above and below it is a rule or the paper's edge, not a 1 or an l.
        var reach = Continues * row;
        if (missed && Darkest(strip, ink with { Top = ink.Top - reach, Bottom = ink.Top }) < threshold
            && Darkest(strip, ink with { Top = ink.Bottom, Bottom = ink.Bottom + reach }) < threshold)
        {
            return null;
        }

        // The row's band about the box's middle, or the ink where it reaches further; the margins white.
        var middle = (core.Top + core.Bottom) / 2;
        var crop = new Bounds(
            MathF.Max(0, ink.Left - (SideMargin * row)),
            MathF.Max(0, MathF.Min(ink.Top, middle - (row / 2)) - (EndMargin * row)),
            MathF.Min(strip.Width, ink.Right + (SideMargin * row)),
            MathF.Min(strip.Height, MathF.Max(ink.Bottom, middle + (row / 2)) + (EndMargin * row)));
        var (left, top) = ((int)crop.Left, (int)crop.Top);
        var image = new RgbBuffer(Math.Max(1, (int)MathF.Ceiling(crop.Right) - left), Math.Max(1, (int)MathF.Ceiling(crop.Bottom) - top));
        image.Data.Fill(byte.MaxValue);
        var darkest = byte.MaxValue;
        foreach (var blob in glyph)
        {
            darkest = Math.Min(darkest, InkStrip.Darkest(grey, strip.Width, blob));
        }

        var range = Math.Max(1, paper - darkest);
        foreach (var blob in glyph)
        {
            // Each piece's bounds and a pixel round them (the pale edge of a stroke), stretched from the paper to the darkest ink.
            for (var y = Math.Max(top, blob.Top - 1); y <= Math.Min(strip.Height - 1, blob.Bottom + 1) && y - top < image.Height; y++)
            {
                var source = strip.Row(y);
                var target = image.Row(y - top);
                for (var x = Math.Max(left, blob.Left - 1); x <= Math.Min(strip.Width - 1, blob.Right + 1) && x - left < image.Width; x++)
                {
                    var level = (byte)Math.Clamp((source[x] - darkest) * 255 / range, 0, 255);
                    var pixel = target.Slice((x - left) * 3, 3);
                    if (level < pixel[0])
                    {
                        pixel.Fill(level);
                    }
                }
            }
        }

        return (crop, image);
    }

    // The darkest grey level inside a rectangle of the strip (clamped to it; 255 where nothing of it lies in the strip).
    private static int Darkest(GreyStrip strip, Bounds area) =>
        InkStrip.Darkest(
            strip.Pixels, strip.Width, Math.Max(0, (int)area.Left), Math.Max(0, (int)area.Top),
            Math.Min(strip.Width, (int)MathF.Ceiling(area.Right)), Math.Min(strip.Height, (int)MathF.Ceiling(area.Bottom)));

    // The page quad that part of the strip (in its pixels) covers.
    private static Quad Place(Quad region, Bounds part, int width, int height)
    {
        var (l, t, r, b) = (part.Left / width, part.Top / height, part.Right / width, part.Bottom / height);
        return new Quad(InkStrip.At(region, l, t), InkStrip.At(region, r, t), InkStrip.At(region, r, b), InkStrip.At(region, l, b));
    }

    /// <summary>An axis-aligned rectangle in a strip's pixels, right and bottom exclusive.</summary>
    internal readonly record struct Bounds(float Left, float Top, float Right, float Bottom)
    {
        public float Width => Right - Left;

        public float Height => Bottom - Top;
    }
}
