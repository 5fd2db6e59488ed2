using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Precision;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// The recognizer's raw ceiling: ONNX Runtime alone on the tensors the engine would feed it. Every line is
/// decoded, resized and normalized once beforehand, lines sorted by width so that each batch pads as little
/// as possible (the best case for batching), each batch as wide as its widest line and at least
/// <see cref="OcrEngineOptions.RecognizerMinWidth"/>, as the worker's scheduler makes them on CPU (on CUDA, padded to
/// the width's bucket and a power-of-two number of rows, as there). Then only <see cref="InferenceSession.Run(RunOptions, IReadOnlyCollection{string}, IReadOnlyCollection{OrtValue}, IReadOnlyCollection{string})"/>
/// is timed: no decoding, resizing, normalization or CTC decoding.
/// </summary>
internal sealed class OrtCeiling : IDisposable
{
    private readonly LoadedModel _model;
    private readonly RunOptions _runOptions = new();
    private readonly WidthBuckets _buckets;

    /// <param name="options">The engine's options; <see cref="OcrEngineOptions.IntraOpThreads"/> is the session's thread count.</param>
    public OrtCeiling(OcrEngineOptions options)
    {
        _buckets = new WidthBuckets(options.RecognizerMinWidth);
        _model = ModelLoader.LoadAlone(ModelRole.Recognizer, options.RecognizerModel, options, () => TextRecognizer.TimingSample(options), StderrLogger<OrtCeiling>.Instance);
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

            // On CPU one unmeasured call plans the memory. CUDA prepares per input shape: run each distinct shape once first,
            // as the engine's warm-up does for its buckets.
            var unmeasured = TextRecognizer.FixedShapesOn(_model.Provider)
                ? Enumerable.Range(0, batches.Count).DistinctBy(i => (batches[i].Rows, batches[i].Width))
                : [0];
            foreach (var index in unmeasured)
            {
                Run(index);
            }

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
        _model.Close();
    }

    // Exactly what TextRecognizer.RecognizeBatch feeds the model (TextRecognizer.TensorShape): as wide as the widest line on
    // CPU; on CUDA the width's bucket and a power-of-two number of rows.
    private (OrtValue Value, int Count, int Rows, int Width) Tensor(RgbBuffer[] batch)
    {
        var (rows, width) = TextRecognizer.TensorShape(batch, _buckets, fixedShapes: TextRecognizer.FixedShapesOn(_model.Provider));
        var tensor = TextRecognizer.BatchTensor(batch, width, rows);
        return (OrtValue.CreateTensorValueFromMemory(tensor, [rows, 3, TextRecognizer.InputHeight, width]), batch.Length, rows, width);
    }
}
