namespace ScipixWorker.Ocr.Imaging;

/// <summary>PaddleOCR's resize_norm_img for line images: fixed height, width from the aspect ratio, capped.</summary>
internal static class LineResizer
{
    /// <summary>
    /// Resizes <paramref name="line"/> to <paramref name="height"/> pixels high keeping its aspect ratio, at
    /// most <paramref name="maxWidth"/> wide (ceil(height * w / h), as PaddleOCR computes it), into a rented
    /// buffer that is released on dispose: the resized crop is read once, into the model's input, and
    /// crops of 48 x 600+ px would otherwise each be large-object garbage. A line that already has the size is
    /// handed back as it is (and not released).
    /// </summary>
    public static ResizedLine ResizePooled(RgbBuffer line, int height, int maxWidth)
    {
        var width = Width(line, height, maxWidth);
        if (width == line.Width && height == line.Height)
        {
            return new ResizedLine(line, rented: false);
        }

        var resized = RgbBuffer.Rent(width, height);
        CvResize.Bilinear(line, resized);
        return new ResizedLine(resized, rented: true);
    }

    /// <summary>The width <paramref name="line"/> is resized to at <paramref name="height"/>, at most <paramref name="maxWidth"/>.</summary>
    public static int Width(RgbBuffer line, int height, int maxWidth)
    {
        var wanted = Math.Ceiling(height * (line.Width / (double)line.Height));
        return Math.Max(wanted > maxWidth ? maxWidth : (int)wanted, 1);
    }
}

/// <summary>A line resized by <see cref="LineResizer.ResizePooled"/>; dispose once it has been read.</summary>
internal readonly struct ResizedLine(RgbBuffer image, bool rented) : IDisposable
{
    public RgbBuffer Image { get; } = image;

    public void Dispose()
    {
        if (rented)
        {
            Image.Release();
        }
    }
}
