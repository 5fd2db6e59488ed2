using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// PP-OCR CTC recognizer: line images resized to height 48 and a width from their aspect ratio, batched
/// with crops of similar width (the batch is padded to its widest crop, at least <c>Ocr:RecognizerMinWidth</c>), greedy CTC decoding.
/// </summary>
internal sealed class TextRecognizer : IDisposable
{
    public const int InputHeight = WidthBuckets.InputHeight;

    private readonly InferenceSession _session;
    private readonly CharacterDictionary _dictionary;
    private readonly int _batchSize;
    private readonly bool _inferSpaces;
    private readonly bool _halfWidth;
    private readonly bool _resolveLookalikes;
    private readonly bool _condensedLines;
    private readonly bool _trailingMarks;
    private readonly bool _decimalPoints;
    private readonly Lexicon? _lexicon;

    /// <summary>Loads the configured model at the configured precision on its own (benchmarks, tools).</summary>
    public TextRecognizer(OcrEngineOptions options, ILogger logger)
        : this(options, ModelLoader.LoadAlone(ModelRole.Recognizer, options.RecognizerModel, options, () => TimingSample(options), logger), MemoryBudget.Unlimited)
    {
    }

    /// <param name="options">Settings.</param>
    /// <param name="model">The loaded model.</param>
    /// <param name="budget">Every model call leases its estimated memory from it.</param>
    public TextRecognizer(OcrEngineOptions options, LoadedModel model, MemoryBudget budget)
    {
        Budget = budget;
        _dictionary = CharacterDictionary.Load(options.Resolve(options.Dictionary), options.UseSpaceCharacter);
        _session = model.Session;
        Model = model;
        FixedShapes = FixedShapesOn(model.Provider);
        _batchSize = options.RecognizerBatchSize;
        _inferSpaces = options.InferSpaces;
        _halfWidth = options.HalfWidthOutsideCjk;
        _resolveLookalikes = options.ResolveLookalikes;
        _condensedLines = options.CondensedLines;
        _trailingMarks = options.TrailingMarks;
        _decimalPoints = options.DecimalPoints;
        _lexicon = !options.LexiconCorrection ? null
            : string.IsNullOrWhiteSpace(options.LexiconWordsFile) ? Lexicon.English
            : Lexicon.WithWordsFile(options.LexiconWordsFile);
        Buckets = new WidthBuckets(options.RecognizerMinWidth);

        var classes = _session.OutputMetadata.First().Value.Dimensions[^1];
        if (classes > 0 && classes != _dictionary.Count)
        {
            throw new InvalidOperationException(
                $"The recognizer has {classes} classes but the dictionary gives {_dictionary.Count} (blank + entries" +
                (options.UseSpaceCharacter ? " + space" : string.Empty) + "): check Ocr:Dictionary and Ocr:UseSpaceCharacter.");
        }
    }

    public LoadedModel Model { get; }

    /// <summary>
    /// Every model call takes one of a few shapes that the warm-up ran: its width padded to a bucket, its rows to a power of
    /// two (<see cref="WidthBuckets.BatchRows"/>), the rest blank. On CUDA, where a new shape costs a search for convolution
    /// algorithms; the CPU runs any shape as fast, so there a batch pads only to its widest crop. Settable for tests.
    /// </summary>
    internal bool FixedShapes { get; set; }

    /// <summary>Whether <see cref="FixedShapes"/> holds by default on <paramref name="provider"/>: on CUDA.</summary>
    internal static bool FixedShapesOn(ExecutionProvider provider) => provider == ExecutionProvider.Cuda;

    /// <summary>The tensor widths crops are grouped by; the first is the narrowest tensor (<c>Ocr:RecognizerMinWidth</c>).</summary>
    public WidthBuckets Buckets { get; }

    /// <summary>The memory budget model calls lease from.</summary>
    public MemoryBudget Budget { get; }

    /// <summary>A typical call for start-up timing: a full batch of 640-px-wide lines.</summary>
    public static TimingInput TimingSample(OcrEngineOptions options) =>
        TimingInput.Pattern(options.RecognizerBatchSize, 3, InputHeight, 640);

    /// <summary>Recognizes line crops; results are in the order of <paramref name="lines"/>.</summary>
    public LineReading[] Recognize(IReadOnlyList<RgbBuffer> lines, CancellationToken cancellationToken)
    {
        var results = new LineReading[lines.Count];
        var order = Enumerable.Range(0, lines.Count).OrderBy(i => lines[i].Width / (double)lines[i].Height).ToArray();
        for (var start = 0; start < order.Length; start += _batchSize)
        {
            var count = Math.Min(_batchSize, order.Length - start);
            var batch = new RgbBuffer[count];
            for (var k = 0; k < count; k++)
            {
                batch[k] = lines[order[start + k]];
            }

            var decoded = RecognizeBatch(batch, cancellationToken);
            for (var k = 0; k < count; k++)
            {
                results[order[start + k]] = decoded[k];
            }
        }

        return results;
    }

    /// <summary>
    /// The mean of the tensor widths the lines of a batch need on their own (48 x their aspect ratio, at least
    /// <paramref name="minWidth"/>): the columns of <see cref="BatchWidth"/> that are not padding, per line.
    /// </summary>
    public static int MeanWidth(IReadOnlyList<RgbBuffer> batch, int minWidth)
    {
        if (batch.Count == 0)
        {
            return minWidth;
        }

        var sum = 0L;
        foreach (var line in batch)
        {
            sum += WidthBuckets.Needed(line.Width, line.Height, minWidth);
        }

        return (int)Math.Round(sum / (double)batch.Count);
    }

    /// <summary>
    /// The tensor width for a batch: 48 x the widest aspect ratio, at least <paramref name="minWidth"/>
    /// (PaddleOCR's max_wh_ratio, which starts at 320 px; <c>Ocr:RecognizerMinWidth</c>).
    /// </summary>
    public static int BatchWidth(IReadOnlyList<RgbBuffer> batch, int minWidth)
    {
        var width = minWidth;
        foreach (var line in batch)
        {
            width = Math.Max(width, WidthBuckets.Needed(line.Width, line.Height, minWidth));
        }

        return width;
    }

    /// <summary>
    /// Recognizes a batch in one model call, padded with zeros to its widest crop, or to <paramref name="tensorWidth"/>
    /// when given (a fixed bucket width; at least the widest crop's). Lines whose characters came out packed tighter than
    /// the recognizer reads well (<see cref="CondensedLines"/>) are read again, stretched, in a second call.
    /// </summary>
    public LineReading[] RecognizeBatch(IReadOnlyList<RgbBuffer> batch, CancellationToken cancellationToken, int? tensorWidth = null) =>
        RecognizeBatchCounted(batch, tensorWidth, cancellationToken).Results;

    /// <summary>
    /// <see cref="RecognizeBatch"/>, how many of the lines were condensed and read again, and how long that second call took
    /// (the batch controller leaves it out of the batch's cost: it depends on the lines, not on the batch size).
    /// </summary>
    public (LineReading[] Results, int ReadAgain, TimeSpan ReadAgainTime) RecognizeBatchCounted(
        IReadOnlyList<RgbBuffer> batch, int? tensorWidth, CancellationToken cancellationToken)
    {
        var (results, condensed) = Run(batch, tensorWidth, 1, _condensedLines, cancellationToken);
        if (condensed is not { Count: > 0 })
        {
            return (results, 0, TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        var stretched = condensed.Select(c => CondensedLines.Stretch(batch[c.Line], InputHeight)).ToList();
        try
        {
            // Padded as any batch is: to a warmed-up shape where FixedShapes (CUDA), else to the widest stretched line.
            var (again, _) = Run(stretched, null, CondensedLines.Factor, findCondensed: false, cancellationToken);
            for (var k = 0; k < condensed.Count; k++)
            {
                var (line, toFind) = condensed[k];
                results[line] = CondensedLines.Kept(results[line], again[k], toFind);
            }
        }
        finally
        {
            stretched.ForEach(line => line.Release());
        }

        return (results, condensed.Count, Stopwatch.GetElapsedTime(started));
    }

    // One model call: the readings, and with findCondensed the condensed lines among them (their indices, and whether only
    // the characters their reading let go made them dense: CondensedLines.Kept). The lines are drawn widthScale times as
    // wide as printed (stretched lines), which the ink measure takes out of its gaps.
    private (LineReading[] Results, List<(int Line, bool ToFind)>? Condensed) Run(
        IReadOnlyList<RgbBuffer> batch, int? tensorWidth, double widthScale, bool findCondensed, CancellationToken cancellationToken)
    {
        var (rows, width) = TensorShape(batch, Buckets, FixedShapes, tensorWidth);
        using var lease = Budget.Acquire(ActivationMemory.Recognition(rows, width), cancellationToken);
        using var tensor = new NativeTensor(rows * 3 * InputHeight * width);
        TensorWriter.WriteLines(batch, tensor.Span, width, InputHeight);
        return OrtRun.Run(_session, tensor, [rows, 3, InputHeight, width], (output, shape) =>
        {
            var steps = (int)shape[1];
            var classes = (int)shape[2];
            var results = new LineReading[batch.Count];
            List<(int, bool)>? condensed = null;
            var itemSize = 3 * InputHeight * width;
            var written = new List<CharacterSpan>();
            for (var i = 0; i < batch.Count; i++)
            {
                var item = i;
                var contentWidth = LineResizer.Width(batch[item], InputHeight, width);
                var ink = LineInk.Once(() => LineInk.Measure(
                    tensor.Span.Slice(item * itemSize, itemSize), width, InputHeight, contentWidth, steps, widthScale));

                var probabilities = output.Slice(i * steps * classes, steps * classes);
                written.Clear();
                var (text, confidence) = CtcDecoder.Decode(
                    probabilities, steps, classes, _dictionary, _inferSpaces, _resolveLookalikes, ink, _trailingMarks, _decimalPoints, _lexicon, written);
                text = _halfWidth ? WidthNormalizer.Normalize(text) : text;
                var words = written.Count == 0 ? [] : WordSpans.Find(text, written, ink(), width / (double)steps, Math.Min(contentWidth, width));
                results[i] = new LineReading(text, confidence, words);
                if (findCondensed)
                {
                    // Dense as read; else dense with the characters the reading let go, which the second reading must find.
                    var stepWidth = width / (double)steps;
                    if (CondensedLines.IsCondensed(text, 0, ink, stepWidth))
                    {
                        (condensed ??= []).Add((i, false));
                    }
                    else if (CondensedLines.IsCondensed(text, CondensedLines.Dropped(probabilities, steps, classes, _dictionary), ink, stepWidth))
                    {
                        (condensed ??= []).Add((i, true));
                    }
                }
            }

            return (results, condensed);
        }, cancellationToken);
    }

    /// <summary>
    /// The rows and width a batch runs with: as wide as its widest crop (at least the narrowest tensor) or
    /// <paramref name="tensorWidth"/> when wider, one row a crop; with <paramref name="fixedShapes"/> (CUDA,
    /// <see cref="FixedShapes"/>) only shapes the warm-up ran: that width's bucket and a power-of-two number of rows, the rows
    /// past the crops left blank.
    /// </summary>
    public static (int Rows, int Width) TensorShape(IReadOnlyList<RgbBuffer> batch, WidthBuckets buckets, bool fixedShapes, int? tensorWidth = null)
    {
        var width = Math.Max(BatchWidth(batch, buckets.MinWidth), tensorWidth ?? 0);
        return fixedShapes ? (WidthBuckets.BatchRows(batch.Count), buckets.Of(width, InputHeight)) : (batch.Count, width);
    }

    /// <summary>
    /// The model's input for a batch: each crop resized to height 48 and <paramref name="width"/> (padded), normalized,
    /// rows x 3 x 48 x width (<paramref name="rows"/>: one a crop unless given more, the rest blank).
    /// </summary>
    public static float[] BatchTensor(IReadOnlyList<RgbBuffer> batch, int width, int? rows = null)
    {
        var tensor = new float[(rows ?? batch.Count) * 3 * InputHeight * width];
        TensorWriter.WriteLines(batch, tensor, width, InputHeight);
        return tensor;
    }

    public void Dispose() => Model.Close();
}
