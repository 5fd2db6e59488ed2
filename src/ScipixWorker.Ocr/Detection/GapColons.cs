using System.Numerics;
using System.Numerics.Tensors;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// Faint colons between a label and its value (<c>Rounding   :   0.00</c>), found in the page's pixels. Receipt
/// printers leave a label's colon pale, two dots of a few pixels each, and the detector's map does not see them at all
/// (<see cref="LoneMarks"/> finds only what the map sees), or the box around the label takes the colon in and the
/// recognizer lets it go. Such a colon was the most common word missing from whole receipts.
/// <para>
/// So the gap after each line is searched, on the page's rows as its text joins them: a strip the line's height tall,
/// from <see cref="Back"/> of its height inside its box to <see cref="Into"/> of a height into the next box on the row
/// (or <see cref="Reach"/> heights on when there is none), running from the middle of the line's right edge to the
/// middle of the next box's left edge. Ink there is a pixel darker than the strip's paper by <see cref="MinContrast"/>
/// grey levels, or <see cref="RelativeContrast"/> of the way from the paper to the line's darkest ink if that is more.
/// The strip holds a colon when two dots (ink no larger than <see cref="MaxDot"/> of the line's text band either way)
/// lie one above the other (centres at most <see cref="MaxDrift"/> of the band apart across, <see cref="MinSpacing"/>
/// to <see cref="MaxSpacing"/> of it apart down), the lower on the baseline, the upper in the band's upper part, of
/// sizes within <see cref="MaxAreaRatio"/> of each other; right of all the line's own ink and left of all the next
/// box's, with no other ink the size of a character between the two boxes. The text band is the line crop's
/// (<see cref="LineInk.TextBand"/>).
/// </para>
/// <para>
/// A colon found becomes a candidate like a lone mark: a crop <see cref="LoneMarks.HalfWidth"/> heights either side of
/// it, its own ink stretched to black and all else white, and a box that begins before the next box's. The engine reads
/// it once the lines are read, only where the line before it does not end in a colon nor the next begin with one, and
/// keeps it when it reads as a colon with at least <see cref="MinConfidence"/>.
/// </para>
/// </summary>
internal static class GapColons
{
    /// <summary>How far back into a line's box the search starts, in its heights (its box often takes the colon in).</summary>
    public const float Back = 1f;

    /// <summary>How far into the next box on the row it ends, in heights (that box may take the colon in too).</summary>
    public const float Into = 1f;

    /// <summary>How far past the line the search goes when no box follows within it, in heights.</summary>
    public const float Reach = LoneMarks.Reach;

    /// <summary>Strips are looked at no taller than this, in pixels: a heading's colon is no fainter for being scaled down.</summary>
    public const int MaxStripHeight = 48;

    /// <summary>The least darkness that counts as ink, in grey levels below the paper.</summary>
    public const int MinContrast = 12;

    /// <summary>... or this fraction of the way from the paper to the line's darkest ink, if that is more.</summary>
    public const float RelativeContrast = 0.15f;

    /// <summary>A dot is at most this fraction of the text band wide and tall.</summary>
    public const float MaxDot = 0.4f;

    /// <summary>The most the two dots' centres lie apart across, as a fraction of the band.</summary>
    public const float MaxDrift = 0.15f;

    /// <summary>The least and the most the two dots' centres lie apart down, as fractions of the band.</summary>
    public const float MinSpacing = 0.3f;

    /// <inheritdoc cref="MinSpacing"/>
    public const float MaxSpacing = 0.95f;

    /// <summary>The larger dot has at most this many times the smaller's pixels.</summary>
    public const float MaxAreaRatio = 4f;

    /// <summary>
    /// The least confidence a candidate read as a colon needs. Lower than a line's drop score: the recognizer is sure of
    /// little on a crop of two dots, and the shape has been checked already (on sroie_pages every candidate it read as
    /// a colon, at 0.32 to 0.86, was one).
    /// </summary>
    public const float MinConfidence = 0.2f;

    /// <summary>The most candidates one page gives the recognizer.</summary>
    public const int MaxPerPage = LoneMarks.MaxPerPage;

    /// <summary>
    /// The colon candidates of a page: <paramref name="lines"/> are its boxes of text (named as their text reads),
    /// <paramref name="bands"/> the text bands of their crops (<see cref="LineInk.TextBand"/>) and <paramref name="rows"/>
    /// the rows they form, as the page's text joins them (indices into <paramref name="lines"/>, left to right as the text
    /// reads).
    /// </summary>
    public static List<GapColon> Find(
        RgbBuffer page, IReadOnlyList<Quad> lines, IReadOnlyList<(float Top, float Bottom, byte Dark)?> bands, IReadOnlyList<IReadOnlyList<int>> rows)
    {
        var found = new List<GapColon>();
        foreach (var row in rows)
        {
            for (var k = 0; k < row.Count && found.Count < MaxPerPage; k++)
            {
                if (Find(page, lines, bands[row[k]], row[k], k + 1 < row.Count ? row[k + 1] : -1) is { } colon)
                {
                    found.Add(colon);
                }
            }
        }

        return found;
    }

    // The colon after line `index`, before line `next` (-1: none): looked for in a strip that runs from the line's right
    // edge (moved Back heights into it) to the next box's left edge (moved Into heights into it), which follows the
    // row where a box's own slant, taken from a short word, would drift off it.
    private static GapColon? Find(RgbBuffer page, IReadOnlyList<Quad> lines, (float Top, float Bottom, byte Dark)? lineBand, int index, int next)
    {
        var line = lines[index];
        var height = QuadCropper.CropSize(line).Height;
        if (height < 8 || lineBand is not { } band)
        {
            return null;
        }

        if (InkStrip.After(line, next >= 0 ? lines[next] : null, Back, 1f, Into, 1f, Reach) is not { } gap)
        {
            return null;
        }

        return InkStrip.Sampled(page, gap.Strip, height, MaxStripHeight, (pixels, scale) =>
        {
            var lineEnd = gap.Back * scale;
            var nextStart = next >= 0 ? pixels.Width - (gap.Into * scale) : float.MaxValue;
            var bandTop = band.Top * pixels.Height;
            var bandBottom = band.Bottom * pixels.Height;
            return Colon(pixels, bandTop, bandBottom, band.Dark, lineEnd, nextStart) is { } colon
                ? Candidate(pixels, gap.Strip, colon, bandTop, bandBottom, height * scale, nextStart, index, next, height)
                : null;
        });
    }

    private static GapColon? Candidate(
        GreyStrip pixels, Quad strip, StripColon colon, float bandTop, float bandBottom, float stripHeight, float nextStart, int index, int next, float height)
    {
        // The crop a lone mark gets, LoneMarks.HalfWidth heights either side of the colon, with the neighbours' ink
        // whited out (a colon close to a letter would read as part of it). Its box begins before the next box, for the
        // page's rows to put it first.
        var half = LoneMarks.HalfWidth * stripHeight;
        var from = (int)MathF.Max(0, colon.Centre - half);
        var to = (int)MathF.Min(pixels.Width, colon.Centre + half);
        var left = MathF.Max(MathF.Min(from, nextStart - 1), colon.LineInk + 1);
        if (left >= nextStart || left >= colon.Left)
        {
            return null;
        }

        var width = (float)pixels.Width;
        var centre = InkStrip.At(strip, colon.Centre / width, 0.5f);
        var box = new Quad(InkStrip.At(strip, left / width, 0), InkStrip.At(strip, to / width, 0), InkStrip.At(strip, to / width, 1), InkStrip.At(strip, left / width, 1));
        return new GapColon(box, Cut(pixels, from, to, colon, bandTop, bandBottom), index, next, centre, height);
    }

    // Columns from..to of the strip, the colon's ink darkened to black and everything else paper: the neighbours' ink,
    // a line's above or below (rows a quarter of the band beyond it), and the paper's grain, which a faint colon's
    // contrast, stretched, would turn into specks.
    private static RgbBuffer Cut(GreyStrip strip, int from, int to, StripColon colon, float bandTop, float bandBottom)
    {
        var crop = new RgbBuffer(to - from, strip.Height);
        crop.Data.Fill(byte.MaxValue);
        var margin = 0.25f * (bandBottom - bandTop);
        var top = Math.Max(0, (int)(bandTop - margin));
        var bottom = Math.Min(strip.Height - 1, (int)(bandBottom + margin));
        for (var y = top; y <= bottom; y++)
        {
            var source = strip.Row(y);
            var row = crop.Row(y);
            for (var x = (int)MathF.Max(from, colon.LineInk + 1); x < to && x < colon.NextInk; x++)
            {
                if (source[x] < colon.Threshold)
                {
                    row.Slice((x - from) * 3, 3).Fill((byte)Math.Clamp((source[x] - colon.Ink) * 255 / Math.Max(1, colon.Paper - colon.Ink), 0, 255));
                }
            }
        }

        return crop;
    }

    /// <summary>
    /// The colon in a strip (its columns from the line's <paramref name="lineEnd"/> back are the line's box, from the
    /// next box's <paramref name="nextStart"/> on that box; rows <paramref name="bandTop"/> to
    /// <paramref name="bandBottom"/> the text band, whose darkest ink is <paramref name="dark"/>); null when it holds none.
    /// </summary>
    internal static StripColon? Colon(GreyStrip strip, float bandTop, float bandBottom, byte dark, float lineEnd, float nextStart)
    {
        var band = bandBottom - bandTop;
        var grey = strip.Pixels.AsSpan(0, strip.Width * strip.Height);
        var paper = InkStrip.Median(grey);
        var threshold = paper - Math.Max(MinContrast, RelativeContrast * (paper - dark));
        var blobs = InkStrip.Blobs(grey, strip.Width, strip.Height, threshold);

        bool IsDot(InkBlob b) => b.Width <= MaxDot * band && b.Height <= MaxDot * band;

        // Ink the size of a character, centred in the band: the line's, the next box's, or something between them.
        var characters = blobs.Where(b => !IsDot(b) && b.CentreY >= bandTop && b.CentreY <= bandBottom).ToList();
        if (characters.Any(b => b.Left >= lineEnd && b.Right <= nextStart))
        {
            return null;
        }

        var lineInk = characters.Where(b => b.Left < lineEnd).Select(b => (float)b.Right).DefaultIfEmpty(float.MinValue).Max();
        var nextInk = characters.Where(b => b.Right > nextStart).Select(b => (float)b.Left).DefaultIfEmpty(float.MaxValue).Min();
        var dots = blobs.Where(b => b.Area >= 2 && IsDot(b)).ToList();
        foreach (var upper in dots)
        {
            foreach (var lower in dots)
            {
                var spacing = lower.CentreY - upper.CentreY;
                if (spacing < MinSpacing * band || spacing > MaxSpacing * band
                    || MathF.Abs(lower.CentreX - upper.CentreX) > MaxDrift * band
                    || lower.CentreY < bandBottom - (0.3f * band) || lower.CentreY > bandBottom + (0.1f * band)
                    || upper.CentreY < bandTop - (0.15f * band) || upper.CentreY > bandTop + (0.65f * band)
                    || Math.Max(upper.Area, lower.Area) > MaxAreaRatio * Math.Min(upper.Area, lower.Area))
                {
                    continue;
                }

                var left = Math.Min(upper.Left, lower.Left);
                var right = Math.Max(upper.Right, lower.Right);
                if (left > lineInk + (0.05f * band) && right < nextInk - (0.05f * band))
                {
                    return new StripColon(left, right, lineInk, nextInk, (byte)paper, Math.Min(InkStrip.Darkest(grey, strip.Width, upper), InkStrip.Darkest(grey, strip.Width, lower)), threshold);
                }
            }
        }

        return null;
    }

}

/// <summary>
/// A colon found between line <paramref name="After"/> and line <paramref name="Before"/> (-1: none): its box on the
/// page and the crop to read it from, its centre on the page and the height of its row.
/// </summary>
internal readonly record struct GapColon(Quad Box, RgbBuffer Crop, int After, int Before, Vector2 Centre, float Height)
{
    /// <summary>Whether a box's centre lies within half a row's height of the colon.</summary>
    public bool IsNear(Quad box) =>
        Vector2.Distance((box.TopLeft + box.TopRight + box.BottomRight + box.BottomLeft) / 4, Centre) < 0.5f * Height;
}

/// <summary>
/// A colon in a strip: its first and last column, the nearest columns of character-sized ink before it (the line's)
/// and after it (the next box's), float.MinValue and float.MaxValue where there is none, and the grey levels of the paper
/// and of the colon's darkest pixel, and the level below which a pixel is ink.
/// </summary>
internal readonly record struct StripColon(int Left, int Right, float LineInk, float NextInk, byte Paper, byte Ink, float Threshold)
{
    public float Centre => (Left + Right + 1) / 2f;
}
