using System.Buffers;
using System.Numerics;

namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// Minimum-area enclosing rectangle of a convex polygon by rotating calipers, following the arithmetic
/// of OpenCV 4.x's cv::minAreaRect (single precision, the same edge order and tie rule) so that the
/// corners agree with cv2.minAreaRect + cv2.boxPoints to the last bit, given the hull in OpenCV's order
/// (see <see cref="ConvexHull"/>).
/// </summary>
internal static class MinAreaRect
{
    private const int StackLimit = 128;

    /// <summary>
    /// The rectangle around a convex hull (strictly convex, in either orientation; ties between
    /// equal-area rectangles resolve as in OpenCV when the vertices come in <see cref="ConvexHull"/>'s order).
    /// </summary>
    public static RotatedBox OfHull(ReadOnlySpan<PointI> hull)
    {
        var n = hull.Length;
        if (n == 0)
        {
            return default;
        }

        if (n == 1)
        {
            return new RotatedBox(new Vector2(hull[0].X, hull[0].Y), 0, 0, 0);
        }

        if (n == 2)
        {
            var center = new Vector2((hull[0].X + (float)hull[1].X) * 0.5f, (hull[0].Y + (float)hull[1].Y) * 0.5f);
            double dx = hull[1].X - hull[0].X;
            double dy = hull[1].Y - hull[0].Y;
            var angle = (float)Math.Atan2(dy, dx);
            return new RotatedBox(center, (float)Math.Sqrt((dx * dx) + (dy * dy)), 0, ToDegrees(angle));
        }

        // OpenCV's calipers run over a hull with positive shoelace area in image axes (convexHull with
        // clockwise=false); they pick wrong sides on the other orientation, so reverse such input.
        PointI[]? reversed = null;
        if (TwiceSignedArea(hull) < 0)
        {
            reversed = ArrayPool<PointI>.Shared.Rent(n);
            hull.CopyTo(reversed);
            reversed.AsSpan(0, n).Reverse();
            hull = reversed.AsSpan(0, n);
        }

        float[]? rented = null;
        Span<float> buffer = n * 3 <= StackLimit ? stackalloc float[n * 3] : (rented = ArrayPool<float>.Shared.Rent(n * 3));
        try
        {
            return Calipers(hull, buffer[..n], buffer.Slice(n, n), buffer.Slice(2 * n, n));
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<float>.Shared.Return(rented);
            }

            if (reversed is not null)
            {
                ArrayPool<PointI>.Shared.Return(reversed);
            }
        }
    }

    /// <summary>The rectangle around arbitrary integer points; reorders <paramref name="points"/>.</summary>
    public static RotatedBox OfPoints(Span<PointI> points)
    {
        PointI[]? rented = null;
        Span<PointI> hull = points.Length + 1 <= StackLimit
            ? stackalloc PointI[points.Length + 1]
            : (rented = ArrayPool<PointI>.Shared.Rent(points.Length + 1));
        try
        {
            var count = ConvexHull.FromPoints(points, hull);
            return OfHull(hull[..count]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<PointI>.Shared.Return(rented);
            }
        }
    }

    private static RotatedBox Calipers(ReadOnlySpan<PointI> p, Span<float> vx, Span<float> vy, Span<float> invLength)
    {
        var n = p.Length;
        int left = 0, bottom = 0, right = 0, top = 0;
        float leftX = p[0].X, rightX = p[0].X, topY = p[0].Y, bottomY = p[0].Y;

        // Edge vectors and the extreme points (first occurrence wins, as in OpenCV).
        for (var i = 0; i < n; i++)
        {
            var current = p[i];
            if (current.X < leftX)
            {
                leftX = current.X;
                left = i;
            }

            if (current.X > rightX)
            {
                rightX = current.X;
                right = i;
            }

            if (current.Y > topY)
            {
                topY = current.Y;
                top = i;
            }

            if (current.Y < bottomY)
            {
                bottomY = current.Y;
                bottom = i;
            }

            var next = p[i + 1 < n ? i + 1 : 0];
            double dx = next.X - current.X;
            double dy = next.Y - current.Y;
            vx[i] = (float)dx;
            vy[i] = (float)dy;
            invLength[i] = (float)(1.0 / Math.Sqrt((dx * dx) + (dy * dy)));
        }

        // Orientation of the hull: sign of the first non-zero turn.
        var orientation = 0f;
        double ax = vx[n - 1], ay = vy[n - 1];
        for (var i = 0; i < n; i++)
        {
            double bx = vx[i], by = vy[i];
            var convexity = (ax * by) - (ay * bx);
            if (convexity != 0)
            {
                orientation = convexity > 0 ? 1f : -1f;
                break;
            }

            ax = bx;
            ay = by;
        }

        if (orientation == 0)
        {
            // Degenerate (all points on a line): OpenCV asserts; a zero rectangle is skipped downstream.
            return default;
        }

        var baseA = orientation;
        var baseB = 0f;
        Span<int> seq = [bottom, right, top, left];
        var minArea = float.MaxValue;
        int bestLeft = 0, bestBottom = 0;
        float bestA = 0, bestB = 0, bestWidth = 0, bestHeight = 0;

        for (var k = 0; k < n; k++)
        {
            // The caliper whose polygon edge turns least: compare the edge directions rotated into the
            // first caliper's frame by the sign of a cross product (OpenCV's firstVecIsRight), which
            // is exact where comparing cosines is not.
            Span<Vector2> rotated =
            [
                new(vx[seq[0]], vy[seq[0]]),
                new(vy[seq[1]], -vx[seq[1]]),
                new(-vx[seq[2]], -vy[seq[2]]),
                new(-vy[seq[3]], vx[seq[3]]),
            ];
            var main = 0;
            for (var i = 1; i < 4; i++)
            {
                if (IsClockwiseOf(rotated[i], rotated[main]))
                {
                    main = i;
                }
            }

            var lead = seq[main];
            var leadX = vx[lead] * invLength[lead];
            var leadY = vy[lead] * invLength[lead];
            (baseA, baseB) = main switch
            {
                0 => (leadX, leadY),
                1 => (leadY, -leadX),
                2 => (-leadX, -leadY),
                _ => (-leadY, leadX),
            };

            seq[main] = seq[main] + 1 == n ? 0 : seq[main] + 1;

            var wx = (float)p[seq[1]].X - p[seq[3]].X;
            var wy = (float)p[seq[1]].Y - p[seq[3]].Y;
            var width = (wx * baseA) + (wy * baseB);
            var hx = (float)p[seq[2]].X - p[seq[0]].X;
            var hy = (float)p[seq[2]].Y - p[seq[0]].Y;
            var height = (-hx * baseB) + (hy * baseA);
            var area = width * height;
            if (area <= minArea)
            {
                minArea = area;
                bestLeft = seq[3];
                bestBottom = seq[0];
                bestA = baseA;
                bestB = baseB;
                bestWidth = width;
                bestHeight = height;
            }
        }

        // Corner where the "left" and "bottom" caliper lines meet, and the two side vectors from it.
        var a1 = bestA;
        var b1 = bestB;
        var a2 = -bestB;
        var b2 = bestA;
        var c1 = (a1 * p[bestLeft].X) + (p[bestLeft].Y * b1);
        var c2 = (a2 * p[bestBottom].X) + (p[bestBottom].Y * b2);
        var idet = 1f / ((a1 * b2) - (a2 * b1));
        var px = ((c1 * b2) - (c2 * b1)) * idet;
        var py = ((a1 * c2) - (a2 * c1)) * idet;
        var side1 = new Vector2(a1 * bestWidth, b1 * bestWidth);
        var side2 = new Vector2(a2 * bestHeight, b2 * bestHeight);

        var center = new Vector2(px + ((side1.X + side2.X) * 0.5f), py + ((side1.Y + side2.Y) * 0.5f));
        var w = (float)Math.Sqrt(((double)side1.X * side1.X) + ((double)side1.Y * side1.Y));
        var h = (float)Math.Sqrt(((double)side2.X * side2.X) + ((double)side2.Y * side2.Y));
        var radians = (float)Math.Atan2(side1.Y, side1.X);
        return new RotatedBox(center, w, h, ToDegrees(radians));
    }

    private static long TwiceSignedArea(ReadOnlySpan<PointI> polygon)
    {
        long sum = 0;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            sum += ((long)polygon[j].X * polygon[i].Y) - ((long)polygon[i].X * polygon[j].Y);
        }

        return sum;
    }

    // True when `first` points to the right of (clockwise from) `second`.
    private static bool IsClockwiseOf(Vector2 first, Vector2 second) => (first.Y * second.X) + (-first.X * second.Y) < 0;

    // OpenCV: (float)(angle*180/CV_PI) with angle a float, so the product is rounded to float first.
    private static float ToDegrees(float radians) => (float)((double)(radians * 180f) / Math.PI);
}
