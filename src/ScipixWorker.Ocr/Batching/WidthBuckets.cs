namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// The fixed recognizer tensor widths that line crops are grouped by, so that a batch pads little and, on
/// CUDA, every shape the recognizer sees was warmed up at start. The narrowest is the configured minimum
/// (<c>Ocr:RecognizerMinWidth</c>); a crop needing more than the widest bucket is its own bucket at its exact width.
/// </summary>
public sealed class WidthBuckets
{
    /// <summary>The recognizer's input height: crops are resized to it.</summary>
    public const int InputHeight = 48;

    /// <summary>PaddleOCR's narrowest tensor (max_wh_ratio starts at 320/48).</summary>
    public const int PaddleMinWidth = 320;

    /// <summary>The default minimum (<c>Ocr:RecognizerMinWidth</c>): as accurate as 320 here and less to compute (docs/benchmarks.md).</summary>
    public const int DefaultMinWidth = 224;

    /// <summary>The bucket widths above the minimum, ascending.</summary>
    public static IReadOnlyList<int> Standard { get; } = [320, 480, 640, 800, 960, 1280, 1600, 2048];

    /// <param name="minWidth">The narrowest tensor: short crops are padded to it.</param>
    public WidthBuckets(int minWidth)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minWidth, InputHeight);
        MinWidth = minWidth;
        Widths = [minWidth, .. Standard.Where(width => width > minWidth)];
    }

    /// <summary>
    /// The rows a batch of <paramref name="count"/> crops is run with on CUDA: the next power of two, the rest blank. With the
    /// width buckets this keeps the shapes the recognizer meets to a few that the warm-up ran, as every new shape costs
    /// CUDA a search for its convolution algorithms (up to a second each with cuDNN's exhaustive search).
    /// </summary>
    public static int BatchRows(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        return (int)System.Numerics.BitOperations.RoundUpToPowerOf2((uint)count);
    }

    /// <summary>Every row count <see cref="BatchRows"/> gives for batches of 1 to <paramref name="largest"/> crops: 1, 2, 4, ...</summary>
    public static IReadOnlyList<int> BatchRowSizes(int largest)
    {
        var sizes = new List<int>();
        for (var rows = 1; rows < BatchRows(largest); rows *= 2)
        {
            sizes.Add(rows);
        }

        sizes.Add(BatchRows(largest));
        return sizes;
    }

    /// <summary>The narrowest tensor width.</summary>
    public int MinWidth { get; }

    /// <summary>The bucket widths, ascending, the first being <see cref="MinWidth"/>.</summary>
    public IReadOnlyList<int> Widths { get; }

    /// <summary>
    /// The tensor width a crop needs on its own: 48 x its aspect ratio, at least <paramref name="minWidth"/>
    /// (PaddleOCR's max_wh_ratio for a batch of one, with a configurable start).
    /// </summary>
    public static int Needed(int width, int height, int minWidth)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        return Math.Max(minWidth, (int)(InputHeight * (width / (double)height)));
    }

    /// <summary>The tensor width a crop needs on its own, at least <see cref="MinWidth"/>.</summary>
    public int Needed(int width, int height) => Needed(width, height, MinWidth);

    /// <summary>The bucket of a crop: the narrowest bucket at least as wide as it needs, else its exact width.</summary>
    public int Of(int width, int height)
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
