namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// Convex hull of integer points (Andrew's monotone chain), strictly convex: collinear and repeated
/// points are dropped, as OpenCV's convexHull drops them.
/// </summary>
/// <remarks>
/// The vertices come in the order in which cv::minAreaRect sees the hull of a findContours outer contour
/// (OpenCV 4.x calls convexHull with clockwise=false): up the right side, ending at the top-most, then
/// left-most point where the contour starts. The rotating calipers' tie-breaking and rounding depend on
/// that order.
/// </remarks>
internal static class ConvexHull
{
    /// <summary>
    /// Hull of points already sorted by (y, x) ascending, as a raster scan produces them. Writes the
    /// vertices to <paramref name="hull"/> (at least <c>points.Length + 1</c> long) and returns how many.
    /// </summary>
    public static int FromRasterOrder(ReadOnlySpan<PointI> points, Span<PointI> hull)
    {
        if (points.Length <= 1)
        {
            if (points.Length == 1)
            {
                hull[0] = points[0];
            }

            return points.Length;
        }

        // Monotone chain with y as the primary key: one chain down the right side, one back up the left.
        var count = 0;
        for (var i = 0; i < points.Length; i++)
        {
            while (count >= 2 && Cross(hull[count - 2], hull[count - 1], points[i]) <= 0)
            {
                count--;
            }

            hull[count++] = points[i];
        }

        var lowerEnd = count + 1;
        for (var i = points.Length - 2; i >= 0; i--)
        {
            while (count >= lowerEnd && Cross(hull[count - 2], hull[count - 1], points[i]) <= 0)
            {
                count--;
            }

            hull[count++] = points[i];
        }

        // The last vertex repeats the first one.
        count--;
        if (count == 1 || (count == 2 && hull[0] == hull[1]))
        {
            return 1;
        }

        // The chains ran from the first point down the right side and back up the left side;
        // OpenCV's order is the reverse, shifted to end at the first point.
        hull[1..count].Reverse();
        hull[..count].Reverse();
        return count;
    }

    /// <summary>Hull of arbitrary points; sorts <paramref name="points"/> in place.</summary>
    public static int FromPoints(Span<PointI> points, Span<PointI> hull)
    {
        points.Sort(static (a, b) => a.Y != b.Y ? a.Y.CompareTo(b.Y) : a.X.CompareTo(b.X));
        return FromRasterOrder(points, hull);
    }

    private static long Cross(PointI o, PointI a, PointI b) =>
        ((long)(a.X - o.X) * (b.Y - o.Y)) - ((long)(a.Y - o.Y) * (b.X - o.X));
}
