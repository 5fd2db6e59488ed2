using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>The two corner orderings of PaddleOCR's DB pipeline.</summary>
internal static class BoxCorners
{
    /// <summary>
    /// get_mini_boxes: the cv2.boxPoints corners stably sorted by x; the upper of the two left-most is
    /// the top-left, the upper of the two right-most the top-right. Reorders <paramref name="corners"/>
    /// in place to top-left, top-right, bottom-right, bottom-left.
    /// </summary>
    public static void OrderMiniBox(Span<Vector2> corners)
    {
        for (var i = 1; i < 4; i++)
        {
            var corner = corners[i];
            var j = i - 1;
            while (j >= 0 && corners[j].X > corner.X)
            {
                corners[j + 1] = corners[j];
                j--;
            }

            corners[j + 1] = corner;
        }

        var (topLeft, bottomLeft) = corners[1].Y > corners[0].Y ? (corners[0], corners[1]) : (corners[1], corners[0]);
        var (topRight, bottomRight) = corners[3].Y > corners[2].Y ? (corners[2], corners[3]) : (corners[3], corners[2]);
        corners[0] = topLeft;
        corners[1] = topRight;
        corners[2] = bottomRight;
        corners[3] = bottomLeft;
    }

    /// <summary>
    /// predict_det's order_points_clockwise: the corner with the smallest x + y is the top-left, the
    /// largest the bottom-right; of the other two, the smallest y - x is the top-right and the largest
    /// the bottom-left (first index wins ties, as np.argmin/argmax).
    /// </summary>
    public static Quad OrderClockwise(ReadOnlySpan<PointI> points)
    {
        int minSum = 0, maxSum = 0;
        for (var i = 1; i < 4; i++)
        {
            var sum = (long)points[i].X + points[i].Y;
            if (sum < (long)points[minSum].X + points[minSum].Y)
            {
                minSum = i;
            }

            if (sum > (long)points[maxSum].X + points[maxSum].Y)
            {
                maxSum = i;
            }
        }

        // np.delete(pts, (argmin, argmax)): the remaining points, in their original order.
        Span<int> rest = stackalloc int[3];
        var restCount = 0;
        for (var i = 0; i < 4; i++)
        {
            if (i != minSum && i != maxSum)
            {
                rest[restCount++] = i;
            }
        }

        int minDiff = rest[0], maxDiff = rest[0];
        for (var i = 1; i < restCount; i++)
        {
            var diff = points[rest[i]].Y - points[rest[i]].X;
            if (diff < points[minDiff].Y - points[minDiff].X)
            {
                minDiff = rest[i];
            }

            if (diff > points[maxDiff].Y - points[maxDiff].X)
            {
                maxDiff = rest[i];
            }
        }

        return new Quad(ToVector(points[minSum]), ToVector(points[minDiff]), ToVector(points[maxSum]), ToVector(points[maxDiff]));
    }

    private static Vector2 ToVector(PointI point) => new(point.X, point.Y);
}
