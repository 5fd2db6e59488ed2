using System.Buffers;
using System.Numerics;

namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// Minimum-area enclosing rectangle of a convex polygon by rotating calipers, following the arithmetic
/// of OpenCV's cv::minAreaRect (single precision, the same edge order and tie rule) so that the corners
/// agree with cv2.minAreaRect + cv2.boxPoints to the last bit in the common cases.
/// </summary>
internal static class MinAreaRect
{
    private const int StackLimit = 128;

    /// <summary>The rectangle around a convex hull given in either orientation.</summary>
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
            // Cosine between each caliper side and the edge that follows its contact point.
            var dp0 = (baseA * vx[seq[0]]) + (baseB * vy[seq[0]]);
            var dp1 = (-baseB * vx[seq[1]]) + (baseA * vy[seq[1]]);
            var dp2 = (-baseA * vx[seq[2]]) - (baseB * vy[seq[2]]);
            var dp3 = (baseB * vx[seq[3]]) - (baseA * vy[seq[3]]);

            var maxCos = dp0 * invLength[seq[0]];
            var main = 0;
            var cos = dp1 * invLength[seq[1]];
            if (cos > maxCos)
            {
                main = 1;
                maxCos = cos;
            }

            cos = dp2 * invLength[seq[2]];
            if (cos > maxCos)
            {
                main = 2;
                maxCos = cos;
            }

            cos = dp3 * invLength[seq[3]];
            if (cos > maxCos)
            {
                main = 3;
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

    // OpenCV: (float)(angle*180/CV_PI) with angle a float, so the product is rounded to float first.
    private static float ToDegrees(float radians) => (float)((double)(radians * 180f) / Math.PI);
}
