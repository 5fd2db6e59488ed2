namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// The fixed recognizer tensor widths that line crops are grouped by, so that a batch pads little and, on
/// CUDA, every shape the recognizer sees was warmed up at start. A crop needing more than the widest bucket
/// is its own bucket at its exact width.
/// </summary>
public static class WidthBuckets
{
    /// <summary>The recognizer's input height: crops are resized to it.</summary>
    public const int InputHeight = 48;

    /// <summary>The narrowest tensor (PaddleOCR's 320 px minimum, ratio 320/48).</summary>
    public const int MinWidth = 320;

    /// <summary>The bucket widths, ascending.</summary>
    public static IReadOnlyList<int> Widths { get; } = [320, 480, 640, 800, 960, 1280, 1600, 2048];

    /// <summary>
    /// The tensor width a crop needs on its own: 48 x its aspect ratio, at least 320 (PaddleOCR's
    /// max_wh_ratio for a batch of one).
    /// </summary>
    public static int Needed(int width, int height)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return (int)(InputHeight * Math.Max(MinWidth / (double)InputHeight, width / (double)height));
    }

    /// <summary>The bucket of a crop: the narrowest bucket at least as wide as it needs, else its exact width.</summary>
    public static int Of(int width, int height)
    {
        var needed = Needed(width, height);
        foreach (var bucket in Widths)
        {
            if (bucket >= needed)
            {
                return bucket;
            }
        }

        return needed;
    }
}
