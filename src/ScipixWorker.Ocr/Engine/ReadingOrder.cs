using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Puts detected boxes in reading order: top to bottom, left to right.</summary>
internal static class ReadingOrder
{
    /// <summary>Boxes whose top-left corners are less than this many pixels apart vertically are on one line.</summary>
    public const float SameLineTolerance = 10f;

    /// <summary>Two boxes are on one visual row when their vertical extents overlap by this much of the smaller height.</summary>
    public const float RowOverlapRatio = 0.5f;

    /// <summary>Boxes this many times as long as they are high or more are lines whose direction counts.</summary>
    public const float ElongatedRatio = 1.5f;

    /// <summary>A page whose lines slope by this much or more (radians; one degree) is read in its lines' own frame.</summary>
    public const float MinSkew = MathF.PI / 180;

    /// <summary>
    /// PaddleOCR's sorted_boxes: sort by the top-left corner (y, then x), then move each box left past
    /// its predecessors while they start less than 10 pixels higher and further right.
    /// </summary>
    public static IReadOnlyList<DetectedBox> Sort(IReadOnlyList<DetectedBox> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        return Order(boxes.Select(b => b.Box).ToArray()).Select(i => boxes[i]).ToArray();
    }

    /// <summary>
    /// The reading order of a page scanned upside down or sideways: <see cref="Sort"/>'s order of the boxes as they lie on
    /// the page turned upright by <paramref name="quarterTurns"/> clockwise quarter turns. <paramref name="boxes"/> have
    /// their corners named as the text reads (<see cref="Quad.UpsideDown"/>, <see cref="Quad.Along"/>). Returns indices
    /// into <paramref name="boxes"/>.
    /// </summary>
    public static int[] UprightOrder(IReadOnlyList<Quad> boxes, int quarterTurns, int pageWidth, int pageHeight) =>
        Order(boxes.Select(b => Upright(b, quarterTurns, pageWidth, pageHeight)).ToArray());

    /// <summary>
    /// Where a box (corners named as its text reads) lies on the page turned by <paramref name="quarterTurns"/> clockwise
    /// quarter turns (0-3); <paramref name="pageWidth"/> and <paramref name="pageHeight"/> are the page's before the turn.
    /// </summary>
    public static Quad Upright(Quad box, int quarterTurns, int pageWidth, int pageHeight)
    {
        var turns = ((quarterTurns % 4) + 4) % 4;
        Vector2 Turn(Vector2 p) => turns switch
        {
            0 => p,
            1 => new Vector2(pageHeight - p.Y, p.X),
            2 => new Vector2(pageWidth - p.X, pageHeight - p.Y),
            _ => new Vector2(p.Y, pageWidth - p.X),
        };

        return new Quad(Turn(box.TopLeft), Turn(box.TopRight), Turn(box.BottomRight), Turn(box.BottomLeft));
    }

    /// <summary>
    /// Whether a page's text runs up or down the image (a page scanned or photographed a quarter turn off): the boxes
    /// whose long side is nearer vertical than horizontal hold more than half of the text, each box weighted by how many
    /// times longer than high it is (about its number of characters). Boxes under <see cref="ElongatedRatio"/> (a single
    /// character, a short number) say nothing about the direction and are left out, as is a vertical margin note on an
    /// upright page, outweighed by the page's lines.
    /// </summary>
    public static bool IsSideways(IReadOnlyList<Quad> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        double vertical = 0, horizontal = 0;
        foreach (var box in boxes)
        {
            var (_, width, height) = Extent(box.Along(Vector2.UnitX));
            if (IsElongated(width, height))
            {
                horizontal += width / height;
            }
            else if (IsElongated(height, width))
            {
                vertical += height / width;
            }
        }

        return vertical > horizontal;
    }

    /// <summary>
    /// How far a page's lines slope (radians, clockwise in the image, as y runs down): the median of the elongated
    /// boxes' reading directions, each weighted by its length over its height; 0 when no box is elongated. The boxes
    /// have their corners named as the text reads, on a page turned upright (<see cref="Upright"/>).
    /// </summary>
    public static float Skew(IReadOnlyList<Quad> boxes)
    {
        ArgumentNullException.ThrowIfNull(boxes);
        var angles = new List<(float Angle, float Weight)>();
        foreach (var box in boxes)
        {
            var (across, length, height) = Extent(box);
            if (IsElongated(length, height))
            {
                angles.Add((MathF.Atan2(across.Y, across.X), length / height));
            }
        }

        if (angles.Count == 0)
        {
            return 0;
        }

        angles.Sort((a, b) => a.Angle.CompareTo(b.Angle));
        var half = angles.Sum(a => a.Weight) / 2;
        var seen = 0f;
        foreach (var (angle, weight) in angles)
        {
            seen += weight;
            if (seen >= half)
            {
                return angle;
            }
        }

        return angles[^1].Angle;
    }

    /// <summary>A box turned by <paramref name="radians"/> (clockwise in the image) about the origin.</summary>
    public static Quad Rotated(Quad box, float radians)
    {
        var (sin, cos) = MathF.SinCos(radians);
        Vector2 Turn(Vector2 p) => new((p.X * cos) - (p.Y * sin), (p.X * sin) + (p.Y * cos));
        return new Quad(Turn(box.TopLeft), Turn(box.TopRight), Turn(box.BottomRight), Turn(box.BottomLeft));
    }

    // A box's top and bottom edges summed (its direction as its corners name it), their length and the height across
    // them (twice the box's own: only their ratio is used).
    private static (Vector2 Across, float Length, float Height) Extent(Quad box)
    {
        var across = box.TopRight - box.TopLeft + (box.BottomRight - box.BottomLeft);
        var down = box.BottomLeft - box.TopLeft + (box.BottomRight - box.TopRight);
        return (across, across.Length(), down.Length());
    }

    // A line whose direction counts: ElongatedRatio times as long as it is high or more.
    private static bool IsElongated(float length, float height) => height > 0 && length >= ElongatedRatio * height;

    /// <summary>The least fraction of an image's height that its one row of text fills in a line image.</summary>
    public const float LineImageFill = 0.5f;

    /// <summary>
    /// True for an image that is one line of text cut out (a crop from a page, a label, a strip): its boxes, upright,
    /// form one row (<see cref="GroupIntoRows"/>) whose extent fills at least <see cref="LineImageFill"/> of the
    /// image's height. A page with room above and below its only line, or with two rows, is not one.
    /// </summary>
    public static bool IsLineImage(IReadOnlyList<Quad> boxesInReadingOrder, int imageHeight)
    {
        if (boxesInReadingOrder.Count == 0 || GroupIntoRows(boxesInReadingOrder).Count != 1)
        {
            return false;
        }

        var extent = boxesInReadingOrder.Max(b => b.MaxY) - boxesInReadingOrder.Min(b => b.MinY);
        return extent >= LineImageFill * imageHeight;
    }

    /// <summary><see cref="Sort"/>'s order of <paramref name="boxes"/>, as indices into them.</summary>
    public static int[] Order(IReadOnlyList<Quad> boxes)
    {
        // Stable, as Python's sorted.
        var sorted = Enumerable.Range(0, boxes.Count)
            .OrderBy(i => boxes[i].TopLeft.Y)
            .ThenBy(i => boxes[i].TopLeft.X)
            .ThenBy(i => i)
            .ToArray();

        for (var i = 0; i < sorted.Length - 1; i++)
        {
            for (var j = i; j >= 0; j--)
            {
                var current = boxes[sorted[j]].TopLeft;
                var next = boxes[sorted[j + 1]].TopLeft;
                if (MathF.Abs(next.Y - current.Y) < SameLineTolerance && next.X < current.X)
                {
                    (sorted[j], sorted[j + 1]) = (sorted[j + 1], sorted[j]);
                }
                else
                {
                    break;
                }
            }
        }

        return sorted;
    }

    /// <summary>
    /// Groups boxes into visual rows (an item and its price on a receipt): a box joins the row whose
    /// vertical extent overlaps its own by at least half the smaller height, rows run top to bottom and
    /// boxes left to right within a row. Returns indices into <paramref name="boxesInReadingOrder"/>.
    /// </summary>
    /// <remarks>
    /// A row's vertical extent is not fixed by its first box: it is taken at the row member horizontally
    /// nearest to the candidate, so a line that drifts up or down across a skewed page keeps collecting
    /// its boxes while the line below, which overlaps the drifting line's far end, stays separate.
    /// </remarks>
    public static IReadOnlyList<IReadOnlyList<int>> GroupIntoRows(IReadOnlyList<Quad> boxesInReadingOrder)
    {
        ArgumentNullException.ThrowIfNull(boxesInReadingOrder);

        var rows = new List<List<int>>();
        for (var index = 0; index < boxesInReadingOrder.Count; index++)
        {
            var box = boxesInReadingOrder[index];
            List<int>? bestRow = null;
            var bestOverlap = 0f;
            foreach (var row in rows)
            {
                var neighbour = boxesInReadingOrder[NearestHorizontally(row, boxesInReadingOrder, box)];
                var overlap = OverlapRatio(box, neighbour);
                if (overlap >= RowOverlapRatio && overlap > bestOverlap)
                {
                    bestRow = row;
                    bestOverlap = overlap;
                }
            }

            if (bestRow is null)
            {
                rows.Add([index]);
            }
            else
            {
                bestRow.Add(index);
            }
        }

        foreach (var row in rows)
        {
            row.Sort((a, b) =>
            {
                var byLeft = boxesInReadingOrder[a].MinX.CompareTo(boxesInReadingOrder[b].MinX);
                return byLeft != 0 ? byLeft : a.CompareTo(b);
            });
        }

        // Rows top to bottom by their mean vertical centre (robust to skew: every row spans the page).
        return rows
            .Select((row, order) => (Row: row, Order: order, Center: row.Average(i => CenterY(boxesInReadingOrder[i]))))
            .OrderBy(item => item.Center)
            .ThenBy(item => item.Order)
            .Select(item => (IReadOnlyList<int>)item.Row)
            .ToArray();
    }

    private static int NearestHorizontally(List<int> row, IReadOnlyList<Quad> boxes, Quad box)
    {
        var nearest = row[0];
        var nearestGap = float.MaxValue;
        foreach (var member in row)
        {
            var other = boxes[member];
            var gap = MathF.Max(0, MathF.Max(other.MinX, box.MinX) - MathF.Min(other.MaxX, box.MaxX));
            if (gap < nearestGap)
            {
                nearest = member;
                nearestGap = gap;
            }
        }

        return nearest;
    }

    // Vertical overlap as a fraction of the smaller box's height.
    private static float OverlapRatio(Quad a, Quad b)
    {
        var overlap = MathF.Min(a.MaxY, b.MaxY) - MathF.Max(a.MinY, b.MinY);
        var smaller = MathF.Min(a.MaxY - a.MinY, b.MaxY - b.MinY);
        if (overlap <= 0 || smaller <= 0)
        {
            return 0;
        }

        return overlap / smaller;
    }

    private static float CenterY(Quad box) => (box.MinY + box.MaxY) / 2;
}
