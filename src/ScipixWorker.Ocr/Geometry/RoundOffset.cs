namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// Outward offset of a closed polygon with round joins, as pyclipper's PyclipperOffset (Clipper 6.4.2,
/// JT_ROUND, ET_CLOSEDPOLYGON, arc tolerance 0.25) computes it for PaddleOCR's unclip: integer input
/// vertices (pyclipper truncates float coordinates), offset vertices rounded half away from zero.
/// Clipper's final union pass is not repeated: for the convex boxes that DB post-processing offsets it
/// only removes redundant vertices, which does not change the convex hull that minAreaRect sees next.
/// </summary>
internal static class RoundOffset
{
    private const double ArcTolerance = 0.25;

    /// <summary>
    /// Offsets <paramref name="path"/> by <paramref name="delta"/> and appends the vertices to
    /// <paramref name="output"/>; nothing is appended when the path has fewer than 3 distinct vertices.
    /// </summary>
    public static void Execute(ReadOnlySpan<PointI> path, double delta, List<PointI> output)
    {
        // Clipper.AddPath: drop repeated closing and consecutive duplicate vertices.
        Span<PointI> source = path.Length <= 64 ? stackalloc PointI[path.Length] : new PointI[path.Length];
        var high = path.Length - 1;
        while (high > 0 && path[0] == path[high])
        {
            high--;
        }

        if (high < 0)
        {
            return;
        }

        var length = 0;
        source[length++] = path[0];
        for (var i = 1; i <= high; i++)
        {
            if (source[length - 1] != path[i])
            {
                source[length++] = path[i];
            }
        }

        if (length < 3)
        {
            return;
        }

        source = source[..length];

        // ClipperOffset.FixOrientations: closed paths are offset with a non-negative area orientation.
        if (SignedArea(source) < 0)
        {
            source.Reverse();
        }

        if (Math.Abs(delta) < 1e-20)
        {
            foreach (var point in source)
            {
                output.Add(point);
            }

            return;
        }

        var absDelta = Math.Abs(delta);
        var tolerance = ArcTolerance > absDelta * ArcTolerance ? absDelta * ArcTolerance : ArcTolerance;
        var steps = Math.PI / Math.Acos(1 - (tolerance / absDelta));
        if (steps > absDelta * Math.PI)
        {
            steps = absDelta * Math.PI;
        }

        var sin = Math.Sin(2 * Math.PI / steps);
        var cos = Math.Cos(2 * Math.PI / steps);
        var stepsPerRadian = steps / (2 * Math.PI);
        if (delta < 0)
        {
            sin = -sin;
        }

        Span<double> normalX = length <= 64 ? stackalloc double[length] : new double[length];
        Span<double> normalY = length <= 64 ? stackalloc double[length] : new double[length];
        for (var j = 0; j < length; j++)
        {
            var next = source[j + 1 < length ? j + 1 : 0];
            UnitNormal(source[j], next, out normalX[j], out normalY[j]);
        }

        var k = length - 1;
        for (var j = 0; j < length; j++)
        {
            var sinA = (normalX[k] * normalY[j]) - (normalX[j] * normalY[k]);
            var cosA = (normalX[k] * normalX[j]) + (normalY[j] * normalY[k]);
            if (Math.Abs(sinA * delta) < 1.0)
            {
                if (cosA > 0)
                {
                    // Nearly straight: one vertex, and (as in Clipper) k is not advanced.
                    output.Add(Offset(source[j], normalX[k], normalY[k], delta));
                    continue;
                }
            }
            else if (sinA > 1.0)
            {
                sinA = 1.0;
            }
            else if (sinA < -1.0)
            {
                sinA = -1.0;
            }

            if (sinA * delta < 0)
            {
                output.Add(Offset(source[j], normalX[k], normalY[k], delta));
                output.Add(source[j]);
                output.Add(Offset(source[j], normalX[j], normalY[j], delta));
            }
            else
            {
                // DoRound: an arc from the previous edge's normal to this edge's normal.
                var angle = Math.Atan2(sinA, (normalX[k] * normalX[j]) + (normalY[k] * normalY[j]));
                var count = Math.Max((int)Round(stepsPerRadian * Math.Abs(angle)), 1);
                double x = normalX[k], y = normalY[k];
                for (var i = 0; i < count; i++)
                {
                    output.Add(Offset(source[j], x, y, delta));
                    var previousX = x;
                    x = (x * cos) - (sin * y);
                    y = (previousX * sin) + (y * cos);
                }

                output.Add(Offset(source[j], normalX[j], normalY[j], delta));
            }

            k = j;
        }
    }

    /// <summary>Shoelace area, positive for counter-clockwise vertices in y-up axes (Clipper's Area).</summary>
    public static double SignedArea(ReadOnlySpan<PointI> polygon)
    {
        if (polygon.Length < 3)
        {
            return 0;
        }

        double sum = 0;
        for (int i = 0, j = polygon.Length - 1; i < polygon.Length; j = i++)
        {
            sum += ((double)polygon[j].X + polygon[i].X) * ((double)polygon[j].Y - polygon[i].Y);
        }

        return -sum * 0.5;
    }

    private static void UnitNormal(PointI from, PointI to, out double x, out double y)
    {
        double dx = to.X - from.X;
        double dy = to.Y - from.Y;
        if (dx == 0 && dy == 0)
        {
            x = 0;
            y = 0;
            return;
        }

        var f = 1.0 / Math.Sqrt((dx * dx) + (dy * dy));
        x = dy * f;
        y = -dx * f;
    }

    private static PointI Offset(PointI origin, double normalX, double normalY, double delta) =>
        new((int)Round(origin.X + (normalX * delta)), (int)Round(origin.Y + (normalY * delta)));

    // Clipper's Round: half away from zero.
    private static long Round(double value) => value < 0 ? (long)(value - 0.5) : (long)(value + 0.5);
}
