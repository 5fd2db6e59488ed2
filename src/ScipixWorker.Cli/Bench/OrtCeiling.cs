using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Precision;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// The recognizer's raw ceiling: ONNX Runtime alone on the tensors the engine would feed it. Every line is
/// decoded, resized and normalized once beforehand, lines sorted by width so that each batch pads as little
/// as possible (the best case for batching), each batch as wide as its widest line and at least
/// <see cref="OcrEngineOptions.RecognizerMinWidth"/>, as the worker's scheduler makes them on CPU. Then only <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is timed: no decoding, resizing, normalization or CTC decoding.
/// </summary>
internal sealed class OrtCeiling : IDisposable
{
    private readonly LoadedModel _model;
    private readonly RunOptions _runOptions = new();
    private readonly int _minWidth;

    /// <param name="options">The engine's options; <see cref="OcrEngineOptions.IntraOpThreads"/> is the session's thread count.</param>
    public OrtCeiling(OcrEngineOptions options)
    {
        _minWidth = options.RecognizerMinWidth;
        _model = ModelLoader.LoadAlone(ModelRole.Recognizer, options.RecognizerModel, options, () => TextRecognizer.TimingSample(options), NullLogger.Instance);
    }

    /// <summary>Width / height of each line.</summary>
    public static double[] AspectRatios(IReadOnlyList<RgbBuffer> lines) => lines.Select(l => l.Width / (double)l.Height).ToArray();

    /// <summary>The line crops, decoded (once per set).</summary>
    public static List<RgbBuffer> Decode(IEnumerable<ReadOnlyMemory<byte>> images)
    {
        var loader = new ImageLoader(new OcrEngineOptions());
        var lines = new List<RgbBuffer>();
        foreach (var encoded in images)
        {
            using var image = loader.Load(encoded);
            lines.Add(image.Page(0));
        }

        return lines;
    }

    /// <summary>
    /// <paramref name="items"/> in batches of <paramref name="batchSize"/> formed in the order of their lines'
    /// <paramref name="aspectRatios"/> (width / height: as the worker's scheduler groups similar widths), run in a
    /// fixed shuffled order: a run cut short by the time limit then measures a fair sample of widths, not the
    /// narrowest lines.
    /// </summary>
    public static List<T[]> WidthOrderedBatches<T>(IReadOnlyList<T> items, IReadOnlyList<double> aspectRatios, int batchSize)
    {
        var batches = Enumerable.Range(0, items.Count)
            .OrderBy(i => aspectRatios[i])
            .Select(i => items[i])
            .Chunk(batchSize)
            .ToList();
        new Random(17).Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }

    /// <summary>
    /// Runs every batch of <paramref name="batchSize"/> width-sorted lines once, <paramref name="streams"/>
    /// callers at a time, or until <paramref name="seconds"/> have passed (whole batches, at least one).
    /// </summary>
    public CeilingPoint Measure(IReadOnlyList<RgbBuffer> lines, int batchSize, int streams, double seconds, CancellationToken cancellationToken)
    {
        var session = _model.Session;
        var batches = WidthOrderedBatches(lines, AspectRatios(lines), batchSize).Select(Tensor).ToList();
        try
        {
            int Run(int index)
            {
                using (session.Run(_runOptions, session.InputNames, [batches[index].Value], session.OutputNames))
                {
                    return batches[index].Count;
                }
            }

            // One unmeasured call per distinct shape would be fairer still on CUDA; on CPU one call plans the memory.
            Run(0);
            var (done, elapsed) = CeilingRunner.RunCallers(streams, batches.Count, seconds, Run, cancellationToken);
            return new CeilingPoint(CeilingPoint.OrtAlone, batchSize, done, elapsed, streams);
        }
        finally
        {
            foreach (var batch in batches)
            {
                batch.Value.Dispose();
            }
        }
    }

    public void Dispose()
    {
        _runOptions.Dispose();
        _model.Session.Dispose();
    }

    // Exactly what TextRecognizer.RecognizeBatch feeds the model on CPU (no bucket padding).
    private (OrtValue Value, int Count) Tensor(RgbBuffer[] batch)
    {
        var width = TextRecognizer.BatchWidth(batch, _minWidth);
        return (OrtValue.CreateTensorValueFromMemory(TextRecognizer.BatchTensor(batch, width), [batch.Length, 3, TextRecognizer.InputHeight, width]), batch.Length);
    }
}
