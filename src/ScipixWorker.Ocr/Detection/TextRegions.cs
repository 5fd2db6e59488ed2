using System.Buffers;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// The contours that cv2.findContours(bitmap, RETR_LIST, CHAIN_APPROX_SIMPLE) returns for a thresholded
/// probability map, reduced to what DB post-processing uses from them: their convex hulls, in the same
/// order. Found by run-length labelling with union-find: every pixel is read once.
/// </summary>
/// <remarks>
/// <para>
/// An outer contour surrounds an 8-connected region of pixels above the threshold; its convex hull is
/// that of the region's pixel centres, spanned by the first and last pixel of each row. A hole contour
/// surrounds a 4-connected background component enclosed by a region; it runs through the region pixels
/// 4-adjacent to the hole, whose hull is that of the hole grown by one pixel up, down, left and right.
/// </para>
/// <para>
/// OpenCV finds contours in a raster scan (an outer contour at the region's first pixel, a hole contour
/// at the pixel left of the hole's first pixel) and lists them in reverse, so the contour found last comes
/// first. Hull vertices come in the order cv::minAreaRect sees them (see <see cref="ConvexHull"/>).
/// </para>
/// </remarks>
internal sealed class TextRegions : IDisposable
{
    private readonly RunComponents _regions = new();
    private readonly RunComponents _background = new();
    private int[] _holeOfContour = [];
    private int[] _contours = [];

    private TextRegions()
    {
    }

    /// <summary>Number of contours (regions and holes).</summary>
    public int Count { get; private set; }

    /// <summary>Number of 8-connected regions.</summary>
    public int RegionCount => _regions.Count;

    /// <summary>Labels the pixels with probability strictly above <paramref name="threshold"/> (pred &gt; thresh).</summary>
    public static TextRegions Find(ReadOnlySpan<float> probabilities, int width, int height, float threshold)
    {
        var regions = new TextRegions();
        try
        {
            regions.Label(probabilities, width, height, threshold);
            return regions;
        }
        catch
        {
            regions.Dispose();
            throw;
        }
    }

    /// <summary>Whether contour <paramref name="contour"/> (in findContours order) surrounds a hole.</summary>
    public bool IsHole(int contour) => _contours[contour] < 0;

    /// <summary>Size needed for <see cref="Hull"/>'s point buffer; the hull buffer needs one more.</summary>
    public int PointCapacity(int contour)
    {
        var id = _contours[contour];
        return id >= 0 ? 2 * _regions.Rows(id) : 2 * (_background.Rows(_holeOfContour[~id]) + 2);
    }

    /// <summary>
    /// Convex hull of contour <paramref name="contour"/> (0 = the one findContours lists first). Returns
    /// the number of vertices written to <paramref name="hull"/>.
    /// </summary>
    public int Hull(int contour, Span<PointI> points, Span<PointI> hull)
    {
        var id = _contours[contour];
        return id >= 0 ? RegionHull(id, points, hull) : HoleHull(~id, points, hull);
    }

    public void Dispose()
    {
        _regions.Dispose();
        _background.Dispose();
        if (_contours.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_contours);
        }

        if (_holeOfContour.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_holeOfContour);
        }

        _contours = _holeOfContour = [];
    }

    private int RegionHull(int region, Span<PointI> points, Span<PointI> hull)
    {
        var count = 0;
        var run = _regions.FirstRun(region);
        while (run >= 0)
        {
            var y = _regions.Y(run);
            var minX = _regions.X0(run);
            var maxX = _regions.X1(run);
            run = _regions.Next(run);
            while (run >= 0 && _regions.Y(run) == y)
            {
                maxX = _regions.X1(run);
                run = _regions.Next(run);
            }

            points[count++] = new PointI(minX, y);
            if (maxX != minX)
            {
                points[count++] = new PointI(maxX, y);
            }
        }

        return ConvexHull.FromRasterOrder(points[..count], hull);
    }

    private int HoleHull(int hole, Span<PointI> points, Span<PointI> hull)
    {
        var component = _holeOfContour[hole];
        var rows = _background.Rows(component);
        var first = _background.FirstRun(component);
        var top = _background.Y(first);
        int[]? rented = null;
        Span<int> extents = rows * 2 <= 256 ? stackalloc int[rows * 2] : (rented = ArrayPool<int>.Shared.Rent(rows * 2));
        try
        {
            // Row extents of the hole; the rows of a 4-connected component are contiguous, and its runs
            // come in raster order, so the first run of a row starts it and the last one ends it.
            var previousRow = -1;
            for (var run = first; run >= 0; run = _background.Next(run))
            {
                var row = _background.Y(run) - top;
                if (row != previousRow)
                {
                    extents[2 * row] = _background.X0(run);
                    previousRow = row;
                }

                extents[(2 * row) + 1] = _background.X1(run);
            }

            // The hole grown by one pixel up, down, left and right, row by row from the row above it
            // to the row below it.
            var count = 0;
            for (var t = -1; t <= rows; t++)
            {
                int left = int.MaxValue, right = int.MinValue;
                if (t >= 0 && t < rows)
                {
                    left = extents[2 * t] - 1;
                    right = extents[(2 * t) + 1] + 1;
                }

                if (t - 1 >= 0)
                {
                    left = Math.Min(left, extents[2 * (t - 1)]);
                    right = Math.Max(right, extents[(2 * (t - 1)) + 1]);
                }

                if (t + 1 < rows)
                {
                    left = Math.Min(left, extents[2 * (t + 1)]);
                    right = Math.Max(right, extents[(2 * (t + 1)) + 1]);
                }

                points[count++] = new PointI(left, top + t);
                if (right != left)
                {
                    points[count++] = new PointI(right, top + t);
                }
            }

            var hullCount = ConvexHull.FromRasterOrder(points[..count], hull);

            // A hole's contour runs the other way round than a region's, so OpenCV's hull of it starts at
            // the contour's first point (left of the hole's first pixel) when that is a vertex, and
            // otherwise at the vertex after it: the top-most, left-most one, which ends our order.
            var start = HoleStart(hole);
            var shift = hull[..hullCount].IndexOf(start);
            RotateLeft(hull[..hullCount], shift >= 0 ? shift : hullCount - 1);
            return hullCount;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<int>.Shared.Return(rented);
            }
        }
    }

    private static void RotateLeft(Span<PointI> values, int shift)
    {
        if (shift <= 0 || shift >= values.Length)
        {
            return;
        }

        values[..shift].Reverse();
        values[shift..].Reverse();
        values.Reverse();
    }

    private void Label(ReadOnlySpan<float> probabilities, int width, int height, float threshold)
    {
        int previousStart = 0, previousEnd = 0;
        int previousBackgroundStart = 0, previousBackgroundEnd = 0;
        for (var y = 0; y < height; y++)
        {
            var row = probabilities.Slice(y * width, width);
            var rowStart = _regions.RunCount;
            var backgroundStart = _background.RunCount;
            var candidate = previousStart;
            var backgroundCandidate = previousBackgroundStart;
            var x = 0;
            while (x < width)
            {
                // Background run [x, next region pixel).
                var regionStart = NextAbove(row, x, threshold);
                if (regionStart > x)
                {
                    var run = _background.Add(x, regionStart - 1, y);

                    // 4-connectivity: background runs of consecutive rows touch if their columns overlap.
                    while (backgroundCandidate < previousBackgroundEnd && _background.X1(backgroundCandidate) < x)
                    {
                        backgroundCandidate++;
                    }

                    for (var p = backgroundCandidate; p < previousBackgroundEnd && _background.X0(p) <= regionStart - 1; p++)
                    {
                        _background.Union(p, run);
                    }
                }

                if (regionStart >= width)
                {
                    break;
                }

                var regionEnd = NextNotAbove(row, regionStart + 1, threshold);
                var regionRun = _regions.Add(regionStart, regionEnd - 1, y);

                // 8-connectivity: region runs touch if they overlap or meet at a corner.
                while (candidate < previousEnd && _regions.X1(candidate) < regionStart - 1)
                {
                    candidate++;
                }

                for (var p = candidate; p < previousEnd && _regions.X0(p) <= regionEnd; p++)
                {
                    _regions.Union(p, regionRun);
                }

                x = regionEnd;
            }

            previousStart = rowStart;
            previousEnd = _regions.RunCount;
            previousBackgroundStart = backgroundStart;
            previousBackgroundEnd = _background.RunCount;
        }

        ResolveContours(width, height);
    }

    private void ResolveContours(int width, int height)
    {
        var componentOfRun = ArrayPool<int>.Shared.Rent(Math.Max(Math.Max(_regions.RunCount, _background.RunCount), 1));
        try
        {
            _regions.Resolve(componentOfRun);
            _background.Resolve(componentOfRun);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(componentOfRun);
        }

        // Holes: background components that touch no image border.
        _holeOfContour = ArrayPool<int>.Shared.Rent(Math.Max(_background.Count, 1));
        var holes = 0;
        for (var component = 0; component < _background.Count; component++)
        {
            var enclosed = true;
            for (var run = _background.FirstRun(component); run >= 0 && enclosed; run = _background.Next(run))
            {
                var y = _background.Y(run);
                enclosed = y > 0 && y < height - 1 && _background.X0(run) > 0 && _background.X1(run) < width - 1;
            }

            if (enclosed)
            {
                _holeOfContour[holes++] = component;
            }
        }

        // Merge regions and holes by where the raster scan finds their contours, then reverse.
        Count = _regions.Count + holes;
        _contours = ArrayPool<int>.Shared.Rent(Math.Max(Count, 1));
        int r = 0, h = 0, n = Count;
        while (r < _regions.Count || h < holes)
        {
            var takeRegion = h == holes || (r < _regions.Count && CompareStart(RegionStart(r), HoleStart(h)) < 0);
            _contours[--n] = takeRegion ? r++ : ~h++;
        }
    }

    private PointI RegionStart(int region)
    {
        var run = _regions.FirstRun(region);
        return new PointI(_regions.X0(run), _regions.Y(run));
    }

    private PointI HoleStart(int hole)
    {
        var run = _background.FirstRun(_holeOfContour[hole]);
        return new PointI(_background.X0(run) - 1, _background.Y(run));
    }

    private static int CompareStart(PointI a, PointI b) => a.Y != b.Y ? a.Y.CompareTo(b.Y) : a.X.CompareTo(b.X);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextAbove(ReadOnlySpan<float> row, int x, float threshold)
    {
        ref var start = ref MemoryMarshal.GetReference(row);
        for (; x < row.Length; x++)
        {
            if (Unsafe.Add(ref start, x) > threshold)
            {
                return x;
            }
        }

        return row.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NextNotAbove(ReadOnlySpan<float> row, int x, float threshold)
    {
        ref var start = ref MemoryMarshal.GetReference(row);
        for (; x < row.Length; x++)
        {
            if (!(Unsafe.Add(ref start, x) > threshold))
            {
                return x;
            }
        }

        return row.Length;
    }
}
