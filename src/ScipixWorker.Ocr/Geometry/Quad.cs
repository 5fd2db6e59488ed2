using System.Numerics;

namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// A quadrilateral in image pixel coordinates, corners clockwise from the top-left corner of the text
/// as read (top-left, top-right, bottom-right, bottom-left).
/// </summary>
public readonly record struct Quad(Vector2 TopLeft, Vector2 TopRight, Vector2 BottomRight, Vector2 BottomLeft)
{
    /// <summary>The corners in order: top-left, top-right, bottom-right, bottom-left.</summary>
    public Vector2 this[int index] => index switch
    {
        0 => TopLeft,
        1 => TopRight,
        2 => BottomRight,
        3 => BottomLeft,
        _ => throw new ArgumentOutOfRangeException(nameof(index)),
    };

    /// <summary>Smallest x of the four corners.</summary>
    public float MinX => MathF.Min(MathF.Min(TopLeft.X, TopRight.X), MathF.Min(BottomRight.X, BottomLeft.X));

    /// <summary>Largest x of the four corners.</summary>
    public float MaxX => MathF.Max(MathF.Max(TopLeft.X, TopRight.X), MathF.Max(BottomRight.X, BottomLeft.X));

    /// <summary>Smallest y of the four corners.</summary>
    public float MinY => MathF.Min(MathF.Min(TopLeft.Y, TopRight.Y), MathF.Min(BottomRight.Y, BottomLeft.Y));

    /// <summary>Largest y of the four corners.</summary>
    public float MaxY => MathF.Max(MathF.Max(TopLeft.Y, TopRight.Y), MathF.Max(BottomRight.Y, BottomLeft.Y));

    /// <summary>
    /// The part of the quad from <paramref name="from"/> to <paramref name="to"/> of its length along the text (0 at its
    /// left edge as read, 1 at its right), its top and bottom edges cut at those fractions.
    /// </summary>
    public Quad Slice(float from, float to) =>
        new(Vector2.Lerp(TopLeft, TopRight, from), Vector2.Lerp(TopLeft, TopRight, to), Vector2.Lerp(BottomLeft, BottomRight, to), Vector2.Lerp(BottomLeft, BottomRight, from));

    /// <summary>The same quad with its corners named as text upside down in the image reads them (the image's bottom right is its top left).</summary>
    public Quad UpsideDown() => new(BottomRight, BottomLeft, TopLeft, TopRight);

    /// <summary>
    /// The same four corners, named as text running along <paramref name="direction"/> (in image coordinates, y down)
    /// reads them: the top edge, from top-left to top-right, is the side that points most nearly that way. The corners
    /// are first put in clockwise order around their centre, so a detector's naming (by x, then y) does not matter.
    /// </summary>
    public Quad Along(Vector2 direction)
    {
        var center = (TopLeft + TopRight + BottomRight + BottomLeft) / 4;
        Span<Vector2> corners = [TopLeft, TopRight, BottomRight, BottomLeft];
        // Clockwise on screen (y down) is ascending angle.
        corners.Sort((a, b) => MathF.Atan2(a.Y - center.Y, a.X - center.X).CompareTo(MathF.Atan2(b.Y - center.Y, b.X - center.X)));
        var best = 0;
        var bestScore = float.NegativeInfinity;
        for (var k = 0; k < 4; k++)
        {
            // The top and bottom edges as the text would read them, both left to right.
            var along = corners[(k + 1) % 4] - corners[k] + (corners[(k + 2) % 4] - corners[(k + 3) % 4]);
            var score = Vector2.Dot(along, direction) / MathF.Max(along.Length(), float.Epsilon);
            if (score > bestScore)
            {
                (best, bestScore) = (k, score);
            }
        }

        return new Quad(corners[best], corners[(best + 1) % 4], corners[(best + 2) % 4], corners[(best + 3) % 4]);
    }

    /// <summary>True when at least half of this quad's bounding rectangle lies under <paramref name="other"/>'s.</summary>
    internal bool IsHalfUnder(Quad other)
    {
        var width = MathF.Min(MaxX, other.MaxX) - MathF.Max(MinX, other.MinX);
        var height = MathF.Min(MaxY, other.MaxY) - MathF.Max(MinY, other.MinY);
        return width > 0 && height > 0 && width * height >= 0.5f * (MaxX - MinX) * (MaxY - MinY);
    }

    /// <summary>An axis-aligned rectangle as a quad.</summary>
    public static Quad FromRectangle(float x, float y, float width, float height) =>
        new(new Vector2(x, y), new Vector2(x + width, y), new Vector2(x + width, y + height), new Vector2(x, y + height));

    /// <summary>The corners as a flat array x0,y0,x1,y1,x2,y2,x3,y3 (the layout of result messages).</summary>
    public float[] ToArray() =>
        [TopLeft.X, TopLeft.Y, TopRight.X, TopRight.Y, BottomRight.X, BottomRight.Y, BottomLeft.X, BottomLeft.Y];

    /// <summary><see cref="ToArray()"/> with each coordinate rounded to <paramref name="digits"/> decimals (results, JSON).</summary>
    public float[] ToArray(int digits) => [.. ToArray().Select(v => MathF.Round(v, digits))];
}
