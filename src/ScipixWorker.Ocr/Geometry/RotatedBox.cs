using System.Numerics;

namespace ScipixWorker.Ocr.Geometry;

/// <summary>
/// A rotated rectangle as OpenCV's RotatedRect describes it: centre, side lengths and the angle of the
/// width side in degrees.
/// </summary>
internal readonly record struct RotatedBox(Vector2 Center, float Width, float Height, float Angle)
{
    /// <summary>The shorter side: PaddleOCR's <c>min(bounding_box[1])</c>.</summary>
    public float ShortSide => MathF.Min(Width, Height);

    /// <summary>
    /// The corners in cv2.boxPoints order, computed in single precision as OpenCV does so that values
    /// that OpenCV returns as 9.999999 (and PaddleOCR later truncates) come out the same here.
    /// </summary>
    public void GetCorners(Span<Vector2> corners)
    {
        var radians = Angle * Math.PI / 180.0;
        var b = (float)Math.Cos(radians) * 0.5f;
        var a = (float)Math.Sin(radians) * 0.5f;

        var p0 = new Vector2(
            Center.X - (a * Height) - (b * Width),
            Center.Y + (b * Height) - (a * Width));
        var p1 = new Vector2(
            Center.X + (a * Height) - (b * Width),
            Center.Y - (b * Height) - (a * Width));
        corners[0] = p0;
        corners[1] = p1;
        corners[2] = new Vector2((2 * Center.X) - p0.X, (2 * Center.Y) - p0.Y);
        corners[3] = new Vector2((2 * Center.X) - p1.X, (2 * Center.Y) - p1.Y);
    }
}
