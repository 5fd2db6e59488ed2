namespace ScipixWorker.Ocr.Imaging;

/// <summary>PaddleOCR's resize_norm_img for line images: fixed height, width from the aspect ratio, capped.</summary>
internal static class LineResizer
{
    /// <summary>
    /// Resizes <paramref name="line"/> to <paramref name="height"/> pixels high keeping its aspect ratio, at
    /// most <paramref name="maxWidth"/> wide (ceil(height * w / h), as PaddleOCR computes it).
    /// </summary>
    public static RgbBuffer Resize(RgbBuffer line, int height, int maxWidth)
    {
        var ratio = line.Width / (double)line.Height;
        var wanted = Math.Ceiling(height * ratio);
        var width = wanted > maxWidth ? maxWidth : (int)wanted;
        width = Math.Max(width, 1);
        return width == line.Width && height == line.Height ? line : CvResize.Bilinear(line, width, height);
    }
}
