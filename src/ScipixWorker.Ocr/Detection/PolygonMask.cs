using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// PaddleOCR's box_score_fast: the mean probability over the pixels that cv2.fillPoly paints for the
/// box inside its clamped integer bounding box. The painting follows OpenCV's polygon filler (16.16
/// fixed-point edges, spans from ceil(left) to floor(right), the lower end row excluded) plus its
/// 8-connected outline, so border pixels count exactly as they do in PaddleOCR.
/// </summary>
internal static class PolygonMask
{
    private const int Shift = 16;
    private const long One = 1L << Shift;

    /// <summary>
    /// Mean of the <paramref name="width"/> x <paramref name="height"/> <paramref name="map"/> inside
    /// <paramref name="box"/>; 0 when no pixel is inside. <paramref name="scratch"/> is a reusable mask
    /// buffer, grown as needed.
    /// </summary>
    public static double MeanInside(ReadOnlySpan<float> map, int width, int height, ReadOnlySpan<Vector2> box, ref byte[]? scratch)
    {
        float minX = box[0].X, maxX = box[0].X, minY = box[0].Y, maxY = box[0].Y;
        for (var i = 1; i < box.Length; i++)
        {
            minX = MathF.Min(minX, box[i].X);
            maxX = MathF.Max(maxX, box[i].X);
            minY = MathF.Min(minY, box[i].Y);
            maxY = MathF.Max(maxY, box[i].Y);
        }

        var x0 = Math.Clamp((int)MathF.Floor(minX), 0, width - 1);
        var x1 = Math.Clamp((int)MathF.Ceiling(maxX), 0, width - 1);
        var y0 = Math.Clamp((int)MathF.Floor(minY), 0, height - 1);
        var y1 = Math.Clamp((int)MathF.Ceiling(maxY), 0, height - 1);
        var maskWidth = x1 - x0 + 1;
        var maskHeight = y1 - y0 + 1;

        if (scratch is null || scratch.Length < maskWidth * maskHeight)
        {
            scratch = new byte[Math.Max(maskWidth * maskHeight, 1024)];
        }

        var mask = scratch.AsSpan(0, maskWidth * maskHeight);
        mask.Clear();

        // numpy: (box - xmin).astype(np.int32), i.e. truncation toward zero.
        Span<PointI> vertices = stackalloc PointI[box.Length];
        for (var i = 0; i < box.Length; i++)
        {
            vertices[i] = new PointI((int)(box[i].X - x0), (int)(box[i].Y - y0));
        }

        Fill(mask, maskWidth, maskHeight, vertices);

        double sum = 0;
        var count = 0;
        for (var y = 0; y < maskHeight; y++)
        {
            var maskRow = mask.Slice(y * maskWidth, maskWidth);
            var mapRow = map.Slice(((y0 + y) * width) + x0, maskWidth);
            for (var x = 0; x < maskWidth; x++)
            {
                if (maskRow[x] != 0)
                {
                    sum += mapRow[x];
                    count++;
                }
            }
        }

        return count == 0 ? 0 : sum / count;
    }

    /// <summary>cv2.fillPoly(mask, [vertices], 1) with the default 8-connected line type and shift 0.</summary>
    public static void Fill(Span<byte> mask, int width, int height, ReadOnlySpan<PointI> vertices)
    {
        Span<Edge> edges = stackalloc Edge[vertices.Length];
        var edgeCount = 0;
        var p0 = vertices[^1];
        foreach (var p1 in vertices)
        {
            // OpenCV strokes every edge, horizontal ones included, before filling.
            Line(mask, width, height, p0, p1);
            if (p0.Y != p1.Y)
            {
                var dx = (((long)p1.X - p0.X) << Shift) / (p1.Y - p0.Y);
                edges[edgeCount++] = p0.Y < p1.Y
                    ? new Edge(p0.Y, p1.Y, (long)p0.X << Shift, dx)
                    : new Edge(p1.Y, p0.Y, (long)p1.X << Shift, dx);
            }

            p0 = p1;
        }

        FillEdges(mask, width, height, edges[..edgeCount]);
    }

    private static void FillEdges(Span<byte> mask, int width, int height, Span<Edge> edges)
    {
        if (edges.Length < 2)
        {
            return;
        }

        int yMin = int.MaxValue, yMax = int.MinValue;
        long xMin = long.MaxValue, xMax = long.MinValue;
        foreach (var edge in edges)
        {
            var xEnd = edge.X + ((edge.Y1 - edge.Y0) * edge.Dx);
            yMin = Math.Min(yMin, edge.Y0);
            yMax = Math.Max(yMax, edge.Y1);
            xMin = Math.Min(xMin, Math.Min(edge.X, xEnd));
            xMax = Math.Max(xMax, Math.Max(edge.X, xEnd));
        }

        if (yMax < 0 || yMin >= height || xMax < 0 || xMin >= ((long)width << Shift))
        {
            return;
        }

        // Sorted by (top row, x, slope); insertion sort keeps equal edges in input order.
        for (var i = 1; i < edges.Length; i++)
        {
            var edge = edges[i];
            var j = i - 1;
            while (j >= 0 && Compare(edges[j], edge) > 0)
            {
                edges[j + 1] = edges[j];
                j--;
            }

            edges[j + 1] = edge;
        }

        yMax = Math.Min(yMax, height);
        Span<Edge> active = stackalloc Edge[edges.Length];
        Span<Edge> merged = stackalloc Edge[edges.Length];
        var activeCount = 0;
        var next = 0;

        for (var y = edges[0].Y0; y < yMax; y++)
        {
            // Edges leave the active list on their lower end row, and new ones are merged in by x
            // (a new edge goes before an active edge with the same x).
            var mergedCount = 0;
            var a = 0;
            while (true)
            {
                while (a < activeCount && active[a].Y1 == y)
                {
                    a++;
                }

                var hasActive = a < activeCount;
                var hasNew = next < edges.Length && edges[next].Y0 == y;
                if (hasActive && (!hasNew || active[a].X < edges[next].X))
                {
                    merged[mergedCount++] = active[a++];
                }
                else if (hasNew)
                {
                    merged[mergedCount++] = edges[next++];
                }
                else
                {
                    break;
                }
            }

            // Spans between consecutive pairs of edges.
            for (var i = 0; i + 1 < mergedCount; i += 2)
            {
                ref var left = ref merged[i];
                ref var right = ref merged[i + 1];
                if (y >= 0)
                {
                    var from = left.X <= right.X ? left.X : right.X;
                    var to = left.X <= right.X ? right.X : left.X;
                    var xStart = (int)((from + One - 1) >> Shift);
                    var xStop = (int)(to >> Shift);
                    if (xStart < width && xStop >= 0)
                    {
                        xStart = Math.Max(xStart, 0);
                        xStop = Math.Min(xStop, width - 1);
                        if (xStart <= xStop)
                        {
                            mask.Slice((y * width) + xStart, xStop - xStart + 1).Fill(1);
                        }
                    }
                }

                left.X += left.Dx;
                right.X += right.Dx;
            }

            // Keep the active list ordered by x (stable, like OpenCV's bubble sort).
            for (var i = 1; i < mergedCount; i++)
            {
                var edge = merged[i];
                var j = i - 1;
                while (j >= 0 && merged[j].X > edge.X)
                {
                    merged[j + 1] = merged[j];
                    j--;
                }

                merged[j + 1] = edge;
            }

            merged[..mergedCount].CopyTo(active);
            activeCount = mergedCount;
        }
    }

    private static int Compare(Edge a, Edge b)
    {
        if (a.Y0 != b.Y0)
        {
            return a.Y0.CompareTo(b.Y0);
        }

        return a.X != b.X ? a.X.CompareTo(b.X) : a.Dx.CompareTo(b.Dx);
    }

    // cv::line with LINE_8: LineIterator clips the segment to the image first (cv::clipLine), then
    // walks it left to right with Bresenham's 8-connected stepping.
    private static void Line(Span<byte> mask, int width, int height, PointI from, PointI to)
    {
        if ((uint)from.X >= (uint)width || (uint)to.X >= (uint)width || (uint)from.Y >= (uint)height || (uint)to.Y >= (uint)height)
        {
            if (!ClipLine(width, height, ref from, ref to))
            {
                return;
            }
        }

        var dx = to.X - from.X;
        var dy = to.Y - from.Y;
        if (dx < 0)
        {
            dx = -dx;
            dy = -dy;
            from = to;
        }

        var stepY = 1;
        if (dy < 0)
        {
            dy = -dy;
            stepY = -1;
        }

        var vertical = dy > dx;
        if (vertical)
        {
            (dx, dy) = (dy, dx);
        }

        var error = dx - (dy + dy);
        var plusDelta = dx + dx;
        var minusDelta = -(dy + dy);
        int x = from.X, y = from.Y;
        for (var i = 0; i <= dx; i++)
        {
            mask[(y * width) + x] = 1;
            var diagonal = error < 0;
            error += minusDelta + (diagonal ? plusDelta : 0);
            if (vertical)
            {
                y += stepY;
                x += diagonal ? 1 : 0;
            }
            else
            {
                x++;
                y += diagonal ? stepY : 0;
            }
        }
    }

    // cv::clipLine: moves the end points onto the image border (truncating toward zero); false when the
    // segment misses the image.
    private static bool ClipLine(int width, int height, ref PointI p1, ref PointI p2)
    {
        long right = width - 1, bottom = height - 1;
        long x1 = p1.X, y1 = p1.Y, x2 = p2.X, y2 = p2.Y;
        var c1 = Code(x1, y1, right, bottom);
        var c2 = Code(x2, y2, right, bottom);

        if ((c1 & c2) == 0 && (c1 | c2) != 0)
        {
            long a;
            if ((c1 & 12) != 0)
            {
                a = c1 < 8 ? 0 : bottom;
                x1 += (long)((double)(a - y1) * (x2 - x1) / (y2 - y1));
                y1 = a;
                c1 = (x1 < 0 ? 1 : 0) + (x1 > right ? 2 : 0);
            }

            if ((c2 & 12) != 0)
            {
                a = c2 < 8 ? 0 : bottom;
                x2 += (long)((double)(a - y2) * (x2 - x1) / (y2 - y1));
                y2 = a;
                c2 = (x2 < 0 ? 1 : 0) + (x2 > right ? 2 : 0);
            }

            if ((c1 & c2) == 0 && (c1 | c2) != 0)
            {
                if (c1 != 0)
                {
                    a = c1 == 1 ? 0 : right;
                    y1 += (long)((double)(a - x1) * (y2 - y1) / (x2 - x1));
                    x1 = a;
                    c1 = 0;
                }

                if (c2 != 0)
                {
                    a = c2 == 1 ? 0 : right;
                    y2 += (long)((double)(a - x2) * (y2 - y1) / (x2 - x1));
                    x2 = a;
                    c2 = 0;
                }
            }
        }

        p1 = new PointI((int)x1, (int)y1);
        p2 = new PointI((int)x2, (int)y2);
        return (c1 | c2) == 0;
    }

    private static int Code(long x, long y, long right, long bottom) =>
        (x < 0 ? 1 : 0) + (x > right ? 2 : 0) + (y < 0 ? 4 : 0) + (y > bottom ? 8 : 0);

    private record struct Edge(int Y0, int Y1, long X, long Dx);
}
