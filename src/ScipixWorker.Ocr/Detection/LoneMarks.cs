using System.Numerics;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// Colons set apart in a column of their own, which the detector sees but drops. Receipts and forms align their labels'
/// colons in a column: <c>Sub Total        :   RM 68.87</c>. The detector's probability map has a small blob there (a
/// colon is two dots, a few map pixels across), and PaddleOCR's size filter (<see cref="DbPostProcessor.MinSize"/>)
/// drops it with the specks, so the page read <c>SUB TOTAL RM 68.87</c>. The recognizer reads such a mark as <c>:</c>
/// when it is given a crop of it the height of its row.
/// <para>
/// So a region the size filter drops becomes a candidate when it lies outside every box, within the height of a row of
/// boxes (its centre inside a box's vertical extent) and within <see cref="Reach"/> row heights of that box: a crop
/// <see cref="HalfWidth"/> row heights either side of it, the row's height tall. Two marks less than half a row height
/// apart across, each within the other's row (a colon's dots found apart), make one. At most <see cref="MaxPerPage"/> per page, the nearest to their rows first, so
/// a speckled scan cannot flood the recognizer. The engine keeps a candidate only if it reads as a colon.
/// </para>
/// <para>Everything here is in the probability map's pixels, where the text lies upright (the page as detected).</para>
/// </summary>
internal static class LoneMarks
{
    /// <summary>How far from its row's nearest box a mark may lie, in row heights (a label's colon column: up to about four).</summary>
    public const float Reach = 8f;

    /// <summary>Half the width of a mark's crop, in row heights: a character cell and some white either side.</summary>
    public const float HalfWidth = 0.4f;

    /// <summary>The most candidates one page gives the recognizer.</summary>
    public const int MaxPerPage = 32;

    /// <summary>
    /// The crops for the marks centred at <paramref name="marks"/>, given the boxes kept (<paramref name="rows"/>), in the
    /// order of their distance to their rows.
    /// </summary>
    public static List<MapRectangle> Crops(IReadOnlyList<Vector2> marks, IReadOnlyList<MapRectangle> rows)
    {
        var candidates = new List<(MapRectangle Crop, MapRectangle Row, Vector2 Centre, float Distance)>();
        foreach (var mark in marks)
        {
            if (rows.Any(r => r.Contains(mark)))
            {
                continue;
            }

            MapRectangle? row = null;
            var nearest = float.MaxValue;
            foreach (var r in rows)
            {
                if (r.SpansRow(mark.Y) && r.HorizontalDistance(mark.X) is var distance && distance < nearest)
                {
                    row = r;
                    nearest = distance;
                }
            }

            if (row is not { } found || nearest > Reach * found.Height)
            {
                continue;
            }

            var half = HalfWidth * found.Height;
            candidates.Add((new MapRectangle(mark.X - half, found.Top, mark.X + half, found.Bottom), found, mark, nearest / found.Height));
        }

        var crops = new List<MapRectangle>();
        var taken = new List<(MapRectangle Row, Vector2 Centre)>();
        foreach (var (crop, row, centre, _) in candidates.OrderBy(c => c.Distance))
        {
            if (crops.Count == MaxPerPage)
            {
                break;
            }

            if (taken.Any(t => Math.Abs(t.Centre.X - centre.X) < 0.5f * row.Height && t.Row.SpansRow(centre.Y) && row.SpansRow(t.Centre.Y)))
            {
                continue;
            }

            taken.Add((row, centre));
            crops.Add(crop);
        }

        return crops;
    }
}

/// <summary>An axis-aligned rectangle in the probability map's pixels.</summary>
internal readonly record struct MapRectangle(float Left, float Top, float Right, float Bottom)
{
    public float Height => Bottom - Top;

    public bool Contains(Vector2 point) => point.X >= Left && point.X <= Right && SpansRow(point.Y);

    /// <summary>Whether <paramref name="y"/> lies within the rectangle's rows.</summary>
    public bool SpansRow(float y) => y >= Top && y <= Bottom;

    /// <summary>0 inside the rectangle's columns, else the distance to the nearer side.</summary>
    public float HorizontalDistance(float x) => x < Left ? Left - x : x > Right ? x - Right : 0;

    /// <summary>The bounds of four corners.</summary>
    public static MapRectangle Bounding(ReadOnlySpan<Vector2> corners)
    {
        float left = float.MaxValue, top = float.MaxValue, right = float.MinValue, bottom = float.MinValue;
        foreach (var c in corners)
        {
            left = MathF.Min(left, c.X);
            top = MathF.Min(top, c.Y);
            right = MathF.Max(right, c.X);
            bottom = MathF.Max(bottom, c.Y);
        }

        return new MapRectangle(left, top, right, bottom);
    }
}
