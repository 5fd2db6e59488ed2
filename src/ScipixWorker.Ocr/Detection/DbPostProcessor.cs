using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// DB (Differentiable Binarization) post-processing, after PaddleOCR's DBPostProcess (box_type quad,
/// score_mode fast): binarize, find regions, minimum-area rectangle, box score, unclip, size filter,
/// scale back to the original image.
/// </summary>
/// <remarks>
/// Followed by predict_det's filter_tag_det_res (clockwise corners, clip to the image, drop boxes of
/// 3 pixels or less). Contours are not traced: <see cref="TextRegions"/> derives the convex hull of each
/// contour cv2.findContours would return (holes included, in the same order, so that
/// <c>maxCandidates</c> keeps the same ones), which is all that minAreaRect looks at. The result matches
/// PaddleOCR with OpenCV 4.x box for box on synthetic maps; where two different rectangles have exactly
/// the same minimal area, the tie can still resolve differently when OpenCV's hull starts elsewhere
/// (contours with repeated points, and the unclipped polygon, whose vertex order comes from Clipper).
/// With <c>loneMarks</c>, the regions the size filter drops that lie beside a row of text come back too, as
/// <see cref="DetectedBox.Lone"/> candidates (<see cref="LoneMarks"/>), after the boxes PaddleOCR keeps.
/// </remarks>
internal sealed class DbPostProcessor(float threshold, float boxThreshold, float unclipRatio, int maxCandidates, bool loneMarks = false)
{
    public const int MinSize = 3;

    /// <summary>Boxes from a probability map of <paramref name="mapWidth"/> x <paramref name="mapHeight"/>,
    /// scaled to an original image of <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/>.</summary>
    public IReadOnlyList<DetectedBox> Process(ReadOnlySpan<float> probabilities, int mapWidth, int mapHeight, int sourceWidth, int sourceHeight) =>
        Process(probabilities, mapWidth, mapHeight, new MapContent(0, 0, mapWidth, mapHeight), sourceWidth, sourceHeight);

    /// <summary>
    /// Boxes from a probability map of <paramref name="mapWidth"/> x <paramref name="mapHeight"/> whose
    /// <paramref name="content"/> rectangle is the original image of <paramref name="sourceWidth"/> x
    /// <paramref name="sourceHeight"/> (the rest is the margin the detector's input was given), in the image's pixels.
    /// </summary>
    public IReadOnlyList<DetectedBox> Process(
        ReadOnlySpan<float> probabilities, int mapWidth, int mapHeight, MapContent content, int sourceWidth, int sourceHeight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(mapHeight);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceWidth);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceHeight);
        if (probabilities.Length < (long)mapWidth * mapHeight)
        {
            throw new ArgumentException("The probability map is smaller than mapWidth * mapHeight.", nameof(probabilities));
        }

        probabilities = probabilities[..(mapWidth * mapHeight)];
        var boxes = new List<DetectedBox>();
        var marks = loneMarks ? new List<Vector2>() : null;
        var rows = loneMarks ? new List<MapRectangle>() : null;
        using var regions = TextRegions.Find(probabilities, mapWidth, mapHeight, threshold);

        var points = ArrayPool<PointI>.Shared.Rent(64);
        var hull = ArrayPool<PointI>.Shared.Rent(65);
        var offset = new List<PointI>(64);
        byte[]? mask = null;
        Span<Vector2> corners = stackalloc Vector2[4];
        Span<PointI> quad = stackalloc PointI[4];
        try
        {
            var candidates = Math.Min(regions.Count, maxCandidates);
            for (var n = 0; n < candidates; n++)
            {
                var needed = regions.PointCapacity(n) + 1;
                if (points.Length < needed)
                {
                    ArrayPool<PointI>.Shared.Return(points);
                    ArrayPool<PointI>.Shared.Return(hull);
                    points = ArrayPool<PointI>.Shared.Rent(needed);
                    hull = ArrayPool<PointI>.Shared.Rent(needed);
                }

                var hullCount = regions.Hull(n, points, hull);
                var rectangle = MinAreaRect.OfHull(hull.AsSpan(0, hullCount));
                if (rectangle.ShortSide < MinSize)
                {
                    marks?.Add(rectangle.Center);
                    continue;
                }

                rectangle.GetCorners(corners);
                BoxCorners.OrderMiniBox(corners);
                var score = PolygonMask.MeanInside(probabilities, mapWidth, mapHeight, corners, ref mask);
                if (boxThreshold > score)
                {
                    continue;
                }

                offset.Clear();
                Unclip(corners, offset);
                if (offset.Count == 0)
                {
                    continue;
                }

                var expanded = MinAreaRect.OfPoints(CollectionsMarshal.AsSpan(offset));
                if (expanded.ShortSide < MinSize + 2)
                {
                    continue;
                }

                expanded.GetCorners(corners);
                BoxCorners.OrderMiniBox(corners);
                if (ToSourceBox(corners, content, sourceWidth, sourceHeight, quad) is { } box)
                {
                    boxes.Add(new DetectedBox(box, (float)score));
                    rows?.Add(MapRectangle.Bounding(corners));
                }
            }
        }
        finally
        {
            ArrayPool<PointI>.Shared.Return(points);
            ArrayPool<PointI>.Shared.Return(hull);
        }

        if (marks is { Count: > 0 } && rows is { Count: > 0 })
        {
            foreach (var crop in LoneMarks.Crops(marks, rows))
            {
                corners[0] = new Vector2(crop.Left, crop.Top);
                corners[1] = new Vector2(crop.Right, crop.Top);
                corners[2] = new Vector2(crop.Right, crop.Bottom);
                corners[3] = new Vector2(crop.Left, crop.Bottom);
                if (ToSourceBox(corners, content, sourceWidth, sourceHeight, quad) is { } box)
                {
                    boxes.Add(new DetectedBox(box, 0f, Lone: true));
                }
            }
        }

        return boxes;
    }

    /// <summary>
    /// PaddleOCR's unclip: offset the box outward by area * unclipRatio / perimeter with round joins
    /// (pyclipper, integer vertices). Appends the offset polygon's vertices to <paramref name="output"/>.
    /// </summary>
    internal void Unclip(ReadOnlySpan<Vector2> box, List<PointI> output)
    {
        // shapely's Polygon(box).area and .length, in double precision.
        double area = 0, perimeter = 0;
        for (int i = 0, j = box.Length - 1; i < box.Length; j = i++)
        {
            area += ((double)box[j].X * box[i].Y) - ((double)box[i].X * box[j].Y);
            var dx = (double)box[i].X - box[j].X;
            var dy = (double)box[i].Y - box[j].Y;
            perimeter += Math.Sqrt((dx * dx) + (dy * dy));
        }

        area = Math.Abs(area) * 0.5;
        if (perimeter == 0)
        {
            return;
        }

        var distance = area * unclipRatio / perimeter;

        // pyclipper converts the float coordinates to integers by truncation.
        Span<PointI> path = stackalloc PointI[box.Length];
        for (var i = 0; i < box.Length; i++)
        {
            path[i] = new PointI((int)box[i].X, (int)box[i].Y);
        }

        RoundOffset.Execute(path, distance, output);
    }

    /// <summary>
    /// Scales a box from map to source coordinates as boxes_from_bitmap does
    /// (np.clip(np.round(x / width * dest_width), 0, dest_width), rounding half to even; x measured from the content's
    /// left edge and width the content's, which with no margin are the map's), then applies
    /// filter_tag_det_res: clockwise order, clip to [0, w - 1] x [0, h - 1], drop boxes whose sides are
    /// 3 pixels or less.
    /// </summary>
    /// <remarks>
    /// The arithmetic is single precision, as numpy 1.x evaluates the float32 box times the float64
    /// source size; numpy 2 promotes that product to float64, which can only differ for a product
    /// within float rounding of a .5 tie.
    /// </remarks>
    internal static Quad? ToSourceBox(ReadOnlySpan<Vector2> corners, MapContent content, int sourceWidth, int sourceHeight, Span<PointI> scratch)
    {
        for (var i = 0; i < 4; i++)
        {
            var x = Math.Clamp(MathF.Round((corners[i].X - content.Left) / content.Width * sourceWidth), 0, sourceWidth);
            var y = Math.Clamp(MathF.Round((corners[i].Y - content.Top) / content.Height * sourceHeight), 0, sourceHeight);
            scratch[i] = new PointI((int)x, (int)y);
        }

        var ordered = BoxCorners.OrderClockwise(scratch);
        var box = new Quad(
            Clip(ordered.TopLeft, sourceWidth, sourceHeight),
            Clip(ordered.TopRight, sourceWidth, sourceHeight),
            Clip(ordered.BottomRight, sourceWidth, sourceHeight),
            Clip(ordered.BottomLeft, sourceWidth, sourceHeight));

        var rectWidth = (int)Vector2.Distance(box.TopLeft, box.TopRight);
        var rectHeight = (int)Vector2.Distance(box.TopLeft, box.BottomLeft);
        return rectWidth <= 3 || rectHeight <= 3 ? null : box;
    }

    private static Vector2 Clip(Vector2 point, int width, int height) =>
        new(Math.Clamp(point.X, 0, width - 1), Math.Clamp(point.Y, 0, height - 1));
}

/// <summary>Where the page lies in the detector's probability map: its input was the resized page with a margin around it.</summary>
internal readonly record struct MapContent(int Left, int Top, int Width, int Height);
