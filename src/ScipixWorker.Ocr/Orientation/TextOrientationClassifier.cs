using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Orientation;

/// <summary>
/// PP-OCR angle classifier: tells upright (0) from upside-down (180) text lines; lines it is confident are
/// upside down are rotated by 180 degrees in place, or with <see cref="OcrEngineOptions.OrientationPerPage"/> every
/// line of the page when most of its text is (<see cref="PageVote"/>).
/// </summary>
internal sealed class TextOrientationClassifier : IDisposable
{
    public const int InputHeight = 48;
    public const int InputWidth = 192;

    private readonly InferenceSession _session;
    private readonly float _threshold;
    private readonly int _batchSize;
    private readonly bool _perPage;

    /// <summary>Loads the configured model at the configured precision on its own (benchmarks, tools).</summary>
    public TextOrientationClassifier(OcrEngineOptions options, ILogger logger)
        : this(options, ModelLoader.LoadAlone(ModelRole.Classifier, options.ClassifierModel, options, () => TimingSample(options), logger))
    {
    }

    public TextOrientationClassifier(OcrEngineOptions options, LoadedModel model)
    {
        _session = model.Session;
        Model = model;
        _threshold = options.ClassifierThreshold;
        _batchSize = options.RecognizerBatchSize;
        _perPage = options.OrientationPerPage;
    }

    public LoadedModel Model { get; }

    /// <summary>A typical call for start-up timing: a full batch.</summary>
    public static TimingInput TimingSample(OcrEngineOptions options) =>
        TimingInput.Pattern(options.RecognizerBatchSize, 3, InputHeight, InputWidth);

    /// <summary>
    /// Rotates the crops of one page classified as upside down; returns true when the page as a whole was found upside
    /// down and all of them were turned (<see cref="OcrEngineOptions.OrientationPerPage"/> only).
    /// </summary>
    public bool Correct(IList<RgbBuffer> crops, CancellationToken cancellationToken)
    {
        if (_perPage)
        {
            var pageTurned = VotePage(crops, cancellationToken);
            if (pageTurned)
            {
                for (var i = 0; i < crops.Count; i++)
                {
                    crops[i] = Rotate180(crops[i]);
                }
            }

            return pageTurned;
        }

        // Each line on its own, by the whole crop, as PaddleOCR does.
        var flipped = Classify([.. crops], cancellationToken);
        for (var i = 0; i < crops.Count; i++)
        {
            if (flipped[i] > _threshold)
            {
                crops[i] = Rotate180(crops[i]);
            }
        }

        return false;
    }

    /// <summary>
    /// Whether the page is upside down (<see cref="PageVote"/>), each line judged by the windows of it that the model sees
    /// unsquashed, their verdicts averaged. The lines are classified longest first, a batch of windows at a time, and
    /// only until the vote is decided: once either side holds half of the page's text, the lines left could not change
    /// the outcome, and once the lines classified are unanimous and sure (<see cref="PageVote.MinUnanimous"/>), they
    /// would not; the rest are not classified.
    /// </summary>
    private bool VotePage(IList<RgbBuffer> crops, CancellationToken cancellationToken)
    {
        var lengths = crops.Select(c => c.Width / (double)c.Height).ToArray();
        var vote = new PageVote(lengths);
        var longestFirst = Enumerable.Range(0, crops.Count).OrderByDescending(i => lengths[i]).ToArray();
        var next = 0;
        while (!vote.Decided && next < longestFirst.Length)
        {
            // The next lines, up to a batch of windows; a line's windows are consecutive.
            var owners = new List<int>();
            var windows = new List<RgbBuffer>();
            for (; next < longestFirst.Length && windows.Count < _batchSize; next++)
            {
                foreach (var window in Windows(crops[longestFirst[next]]))
                {
                    owners.Add(longestFirst[next]);
                    windows.Add(window);
                }
            }

            var probabilities = Classify(windows, cancellationToken);
            for (var start = 0; start < owners.Count;)
            {
                var end = start;
                var sum = 0.0;
                while (end < owners.Count && owners[end] == owners[start])
                {
                    sum += probabilities[end++];
                }

                var flipped = sum / (end - start);
                vote.Add(owners[start], flipped > _threshold, PageVote.IsSure(flipped));
                start = end;
            }
        }

        return vote.UpsideDown;
    }

    // The probability that each crop is upside down, in batches of like aspect ratio (sorted, as PaddleOCR does).
    private float[] Classify(IReadOnlyList<RgbBuffer> crops, CancellationToken cancellationToken)
    {
        var flipped = new float[crops.Count];
        var order = Enumerable.Range(0, crops.Count).OrderBy(i => crops[i].Width / (double)crops[i].Height).ToArray();
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            var count = Math.Min(_batchSize, order.Length - start);
            var probabilities = Run(order.AsSpan(start, count).ToArray().Select(i => crops[i]).ToArray(), cancellationToken);
            for (var k = 0; k < count; k++)
            {
                flipped[order[start + k]] = probabilities[(2 * k) + 1];
            }
        }

        return flipped;
    }

    /// <summary>At most this many windows are classified per line.</summary>
    internal const int MaxWindows = 3;

    /// <summary>
    /// The parts of a line the classifier is shown. Its input is 4:1 (<see cref="InputWidth"/> x <see cref="InputHeight"/>)
    /// and a longer line is squeezed into it: a 30:1 printed line to an eighth of its width, its letters slivers the
    /// model reads no better than chance. A line up to half again longer than the input is shown whole; a longer one as
    /// up to <see cref="MaxWindows"/> 4:1 windows spread evenly from its start to its end, each at its own proportions.
    /// </summary>
    internal static IReadOnlyList<RgbBuffer> Windows(RgbBuffer line)
    {
        var width = (int)Math.Round(line.Height * (double)InputWidth / InputHeight);
        if (width < 1 || line.Width <= width * 3 / 2)
        {
            return [line];
        }

        var count = Math.Min(MaxWindows, (int)Math.Ceiling(line.Width / (double)width));
        var windows = new RgbBuffer[count];
        for (var k = 0; k < count; k++)
        {
            var left = (int)Math.Round(k * (line.Width - width) / (double)(count - 1));
            var window = new RgbBuffer(width, line.Height) { Bilevel = line.Bilevel };
            for (var y = 0; y < line.Height; y++)
            {
                line.ReadOnlyRow(y).Slice(left * 3, width * 3).CopyTo(window.Row(y));
            }

            windows[k] = window;
        }

        return windows;
    }

    /// <summary>Runs the model on a batch; returns [p(0), p(180)] per crop.</summary>
    public float[] Run(IReadOnlyList<RgbBuffer> batch, CancellationToken cancellationToken)
    {
        using var tensor = new NativeTensor(batch.Count * 3 * InputHeight * InputWidth);
        TensorWriter.WriteLines(batch, tensor.Span, InputWidth, InputHeight);
        return OrtRun.Run(_session, tensor, [batch.Count, 3, InputHeight, InputWidth], static (output, _) => output.ToArray(), cancellationToken);
    }

    internal static RgbBuffer Rotate180(RgbBuffer source)
    {
        var target = new RgbBuffer(source.Width, source.Height) { Bilevel = source.Bilevel };
        var src = source.Data;
        var dst = target.Data;
        var pixels = source.Width * source.Height;
        for (int i = 0, j = (pixels - 1) * 3; i < pixels * 3; i += 3, j -= 3)
        {
            dst[j] = src[i];
            dst[j + 1] = src[i + 1];
            dst[j + 2] = src[i + 2];
        }

        return target;
    }

    public void Dispose() => Model.Close();
}
