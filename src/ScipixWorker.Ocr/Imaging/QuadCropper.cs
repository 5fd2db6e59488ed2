using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>Perspective crop of a text quad into an upright rectangle (PaddleOCR's get_rotate_crop_image).</summary>
internal static class QuadCropper
{
    /// <summary>Crops whose height is at least this many times their width are rotated (vertical text).</summary>
    public const double VerticalAspectRatio = 1.5;

    /// <summary>
    /// The pixels of <paramref name="box"/> warped upright into a rectangle of its size, as PaddleOCR's
    /// get_rotate_crop_image cuts them; a tall crop turned a quarter turn. <paramref name="vectors"/>: as
    /// <see cref="CvWarp.PerspectiveCubic"/> takes it (the same bytes either way).
    /// </summary>
    public static RgbBuffer Crop(RgbBuffer source, Quad box, bool vectors = true)
    {
        ArgumentNullException.ThrowIfNull(source);

        var (width, height) = CropSize(box);
        var crop = Warp(source, box, width, height, vectors);
        return (double)height / width >= VerticalAspectRatio ? RotateCounterClockwise(crop) : crop;
    }

    /// <summary>
    /// int(max(|p0 - p1|, |p2 - p3|)) x int(max(|p0 - p3|, |p1 - p2|)), in single precision as numpy
    /// computes it on PaddleOCR's float32 boxes; at least 1 x 1 so that degenerate quads still crop.
    /// </summary>
    public static (int Width, int Height) CropSize(Quad box)
    {
        var width = (int)MathF.Max(Distance(box.TopLeft, box.TopRight), Distance(box.BottomRight, box.BottomLeft));
        var height = (int)MathF.Max(Distance(box.TopLeft, box.BottomLeft), Distance(box.TopRight, box.BottomRight));
        return (Math.Max(width, 1), Math.Max(height, 1));
    }

    /// <summary>The transform taking the quad's corners to (0,0), (w,0), (w,h), (0,h) (cv2.getPerspectiveTransform).</summary>
    public static Homography? QuadToRectangle(Quad box, int width, int height)
    {
        ReadOnlySpan<Vector2> quad = [box.TopLeft, box.TopRight, box.BottomRight, box.BottomLeft];
        ReadOnlySpan<Vector2> rectangle = [new(0, 0), new(width, 0), new(width, height), new(0, height)];
        return Homography.FromPoints(quad, rectangle);
    }

    /// <summary>np.rot90: a quarter turn counter-clockwise; the last column becomes the first row.</summary>
    public static RgbBuffer RotateCounterClockwise(RgbBuffer image)
    {
        ArgumentNullException.ThrowIfNull(image);

        var rotated = new RgbBuffer(image.Height, image.Width);
        RotateCounterClockwise(image, rotated);
        return rotated;
    }

    /// <summary><see cref="RotateCounterClockwise(RgbBuffer)"/> into <paramref name="rotated"/> (height x width of the image).</summary>
    public static void RotateCounterClockwise(RgbBuffer image, RgbBuffer rotated)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(rotated);
        if (rotated.Width != image.Height || rotated.Height != image.Width)
        {
            throw new ArgumentException($"A {image.Width} x {image.Height} image turns into {image.Height} x {image.Width}, not {rotated.Width} x {rotated.Height}.", nameof(rotated));
        }

        for (var y = 0; y < rotated.Height; y++)
        {
            var destination = rotated.Row(y);
            var sourceX = (image.Width - 1 - y) * 3;
            for (var x = 0; x < rotated.Width; x++)
            {
                image.ReadOnlyRow(x).Slice(sourceX, 3).CopyTo(destination.Slice(x * 3, 3));
            }
        }
    }

    private static RgbBuffer Warp(RgbBuffer source, Quad box, int width, int height, bool vectors)
    {
        var inverse = QuadToRectangle(box, width, height)?.Invert();
        if (inverse is not null)
        {
            return CvWarp.PerspectiveCubic(source, inverse, width, height, vectors);
        }

        // Degenerate quad (three corners on a line): OpenCV would produce garbage or fail; use the
        // colour of the pixel under the first corner instead.
        var fill = new RgbBuffer(width, height);
        var x = Math.Clamp((int)box.TopLeft.X, 0, source.Width - 1);
        var y = Math.Clamp((int)box.TopLeft.Y, 0, source.Height - 1);
        var pixel = source.ReadOnlyRow(y).Slice(x * 3, 3);
        for (var i = 0; i < width * height; i++)
        {
            pixel.CopyTo(fill.Data.Slice(i * 3, 3));
        }

        return fill;
    }

    private static float Distance(Vector2 a, Vector2 b)
    {
        var dx = a.X - b.X;
        var dy = a.Y - b.Y;
        return MathF.Sqrt((dx * dx) + (dy * dy));
    }
}
