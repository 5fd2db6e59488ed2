namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Writes an RGB image into a planar (CHW) float tensor in the BGR channel order PaddleOCR's models were
/// trained on (OpenCV loads BGR), applying <c>value = pixel * scale[c] + offset[c]</c> per output channel.
/// </summary>
internal readonly struct ChannelNormalization(float[] scale, float[] offset)
{
    /// <summary>(x/255 - 0.5) / 0.5, the recognizer's and classifier's normalization.</summary>
    public static ChannelNormalization Symmetric { get; } = new([1f / 127.5f, 1f / 127.5f, 1f / 127.5f], [-1f, -1f, -1f]);

    /// <summary>ImageNet mean/std applied in BGR order (PaddleOCR's detector: mean 0.485,0.456,0.406 on B,G,R).</summary>
    public static ChannelNormalization ImageNetBgr { get; } = FromMeanStd([0.485f, 0.456f, 0.406f], [0.229f, 0.224f, 0.225f]);

    public float[] Scale { get; } = scale;

    public float[] Offset { get; } = offset;

    private static ChannelNormalization FromMeanStd(float[] mean, float[] std) =>
        new([1f / (255f * std[0]), 1f / (255f * std[1]), 1f / (255f * std[2])],
            [-mean[0] / std[0], -mean[1] / std[1], -mean[2] / std[2]]);
}

internal static class TensorWriter
{
    /// <summary>
    /// Writes each line, resized to <paramref name="tensorHeight"/> pixels high and at most
    /// <paramref name="tensorWidth"/> wide (<see cref="LineResizer"/>), with the recognizer's and classifier's
    /// <see cref="ChannelNormalization.Symmetric"/> normalization, as one item of an N x 3 x height x width tensor
    /// that must be zero (the padding is not written). A line cut from a bilevel page is smoothed once resized
    /// (<see cref="BilevelSmoothing"/>).
    /// </summary>
    public static void WriteLines(IReadOnlyList<RgbBuffer> lines, Span<float> tensor, int tensorWidth, int tensorHeight)
    {
        var item = 3 * tensorHeight * tensorWidth;
        for (var i = 0; i < lines.Count; i++)
        {
            using var resized = LineResizer.ResizePooled(lines[i], tensorHeight, tensorWidth);
            if (!lines[i].Bilevel)
            {
                Write(resized.Image, tensor.Slice(i * item, item), tensorWidth, tensorHeight, ChannelNormalization.Symmetric);
                continue;
            }

            var smoothed = BilevelSmoothing.Smoothed(resized.Image);
            try
            {
                Write(smoothed, tensor.Slice(i * item, item), tensorWidth, tensorHeight, ChannelNormalization.Symmetric);
            }
            finally
            {
                smoothed.Release();
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="image"/> into one CHW item of <paramref name="tensorWidth"/> x <paramref name="tensorHeight"/>
    /// with its top-left pixel at (<paramref name="left"/>, <paramref name="top"/>). Pixels outside the image are left
    /// as they are (zero in a fresh tensor: PaddleOCR pads with zeros after normalization).
    /// </summary>
    public static void Write(RgbBuffer image, Span<float> item, int tensorWidth, int tensorHeight, in ChannelNormalization norm, int left = 0, int top = 0)
    {
        var plane = tensorWidth * tensorHeight;
        var width = Math.Min(image.Width, tensorWidth - left);
        var height = Math.Min(image.Height, tensorHeight - top);
        var b = item[..plane];
        var g = item.Slice(plane, plane);
        var r = item.Slice(2 * plane, plane);
        float sb = norm.Scale[0], sg = norm.Scale[1], sr = norm.Scale[2];
        float ob = norm.Offset[0], og = norm.Offset[1], or = norm.Offset[2];
        for (var y = 0; y < height; y++)
        {
            var row = image.ReadOnlyRow(y);
            var start = ((y + top) * tensorWidth) + left;
            var rb = b.Slice(start, width);
            var rg = g.Slice(start, width);
            var rr = r.Slice(start, width);
            for (var x = 0; x < width; x++)
            {
                var o = x * 3;
                rr[x] = (row[o] * sr) + or;
                rg[x] = (row[o + 1] * sg) + og;
                rb[x] = (row[o + 2] * sb) + ob;
            }
        }
    }

    /// <summary>Sets every pixel of one CHW item to <paramref name="rgb"/>, normalized.</summary>
    public static void Fill(Span<float> item, int tensorWidth, int tensorHeight, (byte R, byte G, byte B) rgb, in ChannelNormalization norm)
    {
        var plane = tensorWidth * tensorHeight;
        item[..plane].Fill((rgb.B * norm.Scale[0]) + norm.Offset[0]);
        item.Slice(plane, plane).Fill((rgb.G * norm.Scale[1]) + norm.Offset[1]);
        item.Slice(2 * plane, plane).Fill((rgb.R * norm.Scale[2]) + norm.Offset[2]);
    }
}
