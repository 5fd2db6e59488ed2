using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Finds the columns of a scanned page set in two or more columns (a report, a journal, a newsletter), so that each
/// column is read to its end before the next begins instead of its rows being joined across the page.
/// </summary>
/// <remarks>
/// A recursive XY cut over the recognized lines' boxes (as they lie on the page turned upright): a region is cut down a
/// vertical gutter when there is one and the lines on both sides of it are prose; otherwise across its widest
/// horizontal gap; a region that cannot be cut is a block, read as before (rows top to bottom, each left to right).
/// What tells columns from a price list or a table is the length of the lines beside the gutter: a receipt's prices,
/// a table's cells and a form's values are short, and their rows must still be read across the gap.
/// </remarks>
internal static class ColumnLayout
{
    /// <summary>
    /// A column holds at least this many lines: two or three rows of long fields side by side (a receipt's or an
    /// invoice's header) are read across, as rows.
    /// </summary>
    public const int MinColumnLines = 3;

    /// <summary>
    /// The median line on each side of a gutter (the lower median, for an even count) has at least this many characters:
    /// half a typical column line.
    /// </summary>
    public const int MinProseCharacters = 20;

    /// <summary>A gutter is at least this many median line heights wide (wider than the space between two words).</summary>
    public const float MinGutterLineHeights = 1f;

    /// <summary>
    /// The page's blocks in reading order, as indices into <paramref name="boxes"/>, or null when the page has no columns
    /// (then nothing about its reading changes). <paramref name="lengths"/> are the lines' text lengths.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<int>>? Blocks(IReadOnlyList<Quad> boxes, IReadOnlyList<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        ArgumentNullException.ThrowIfNull(lengths);
        if (boxes.Count != lengths.Count)
        {
            throw new ArgumentException("One length per box.", nameof(lengths));
        }

        var blocks = new List<IReadOnlyList<int>>();
        var columns = Cut([.. Enumerable.Range(0, boxes.Count)], boxes, lengths, blocks);
        return columns ? blocks : null;
    }

    // Cuts a region into blocks, appended in reading order; true when a column cut was made in it.
    private static bool Cut(List<int> region, IReadOnlyList<Quad> boxes, IReadOnlyList<int> lengths, List<IReadOnlyList<int>> blocks)
    {
        // A column's lower median line is long, so at least two of its (three or more) lines are: a region with fewer
        // than two columns' worth of long lines cannot hold columns anywhere, and is left whole at once.
        if (region.Count(i => lengths[i] >= MinProseCharacters) < 2 * (MinColumnLines - ((MinColumnLines - 1) / 2)))
        {
            blocks.Add(region);
            return false;
        }

        if (ColumnCut(region, boxes, lengths) is var (left, right))
        {
            Cut(left, boxes, lengths, blocks);
            Cut(right, boxes, lengths, blocks);
            return true;
        }

        if (RowCut(region, boxes) is var (top, bottom))
        {
            // Kept whole unless columns were found in it: a column, or a page with none, is one block.
            var pieces = new List<IReadOnlyList<int>>();
            var above = Cut(top, boxes, lengths, pieces);
            var below = Cut(bottom, boxes, lengths, pieces);
            if (above || below)
            {
                blocks.AddRange(pieces);
                return true;
            }
        }

        blocks.Add(region);
        return false;
    }

    // The widest vertical gutter with prose on both sides, as the lines left and right of it.
    private static (List<int> Left, List<int> Right)? ColumnCut(List<int> region, IReadOnlyList<Quad> boxes, IReadOnlyList<int> lengths)
    {
        if (region.Count < 2 * MinColumnLines)
        {
            return null;
        }

        var minGutter = MinGutterLineHeights * Median(region.Select(i => boxes[i].MaxY - boxes[i].MinY));
        var byLeft = region.OrderBy(i => boxes[i].MinX).ToList();
        var gutters = new List<(float Start, float End)>();
        var reach = boxes[byLeft[0]].MaxX;
        foreach (var i in byLeft.Skip(1))
        {
            if (boxes[i].MinX - reach >= minGutter)
            {
                gutters.Add((reach, boxes[i].MinX));
            }

            reach = MathF.Max(reach, boxes[i].MaxX);
        }

        foreach (var (start, _) in gutters.OrderByDescending(g => g.End - g.Start))
        {
            var left = region.Where(i => boxes[i].MaxX <= start).ToList();
            var right = region.Where(i => boxes[i].MaxX > start).ToList();
            if (IsProse(left, lengths) && IsProse(right, lengths))
            {
                return (left, right);
            }
        }

        return null;
    }

    // The widest horizontal gap no line crosses, as the lines above and below it.
    private static (List<int> Top, List<int> Bottom)? RowCut(List<int> region, IReadOnlyList<Quad> boxes)
    {
        if (region.Count < 2)
        {
            return null;
        }

        var byTop = region.OrderBy(i => boxes[i].MinY).ToList();
        var reach = boxes[byTop[0]].MaxY;
        var (cut, widest) = (-1f, 0f);
        foreach (var i in byTop.Skip(1))
        {
            if (boxes[i].MinY - reach > widest)
            {
                (cut, widest) = (reach, boxes[i].MinY - reach);
            }

            reach = MathF.Max(reach, boxes[i].MaxY);
        }

        if (widest <= 0)
        {
            return null;
        }

        return (region.Where(i => boxes[i].MaxY <= cut).ToList(), region.Where(i => boxes[i].MaxY > cut).ToList());
    }

    private static bool IsProse(List<int> side, IReadOnlyList<int> lengths) =>
        side.Count >= MinColumnLines && Median(side.Select(i => (float)lengths[i])) >= MinProseCharacters;

    /// <summary>The lower median of <paramref name="values"/> (0 for none).</summary>
    internal static float Median(IEnumerable<float> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[(sorted.Length - 1) / 2];
    }
}
