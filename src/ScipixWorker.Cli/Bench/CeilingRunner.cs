using System.Diagnostics;
using ScipixWorker.Cli.Common;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Cli.Bench;

/// <summary>Images/s at one batch size (or for Tesseract).</summary>
internal sealed record CeilingPoint(string Engine, int BatchSize, int Images, double Seconds, int Streams = 1, int Threads = 0)
{
    public const string OrtAlone = "onnxruntime alone";

    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}

internal sealed record CeilingResult(string Set, string Mode, string Engine, IReadOnlyList<CeilingPoint> Points, CeilingPoint? Tesseract, string LoadAverage)
{
    /// <summary>
    /// The ceiling: ONNX Runtime alone at its best batch size and concurrency where it was measured (lines),
    /// else the engine's best (pages).
    /// </summary>
    public CeilingPoint Best => (Points.Any(p => p.Engine == CeilingPoint.OrtAlone) ? Points.Where(p => p.Engine == CeilingPoint.OrtAlone) : Points).MaxBy(p => p.ImagesPerSecond)!;

    /// <summary>The whole engine's best (decode, pre-processing, model, CTC decoding): what the worker could reach with no messaging or storage at all.</summary>
    public CeilingPoint EngineBest => Points.Where(p => p.Engine != CeilingPoint.OrtAlone).MaxBy(p => p.ImagesPerSecond)!;
}

/// <summary>
/// In-process throughput with no broker, storage or worker: the images are read into memory first, then the
/// engine recognizes all of them at each batch size (lines: <see cref="OcrEngine.RecognizeLines"/> on batches of
/// similar width, as ONNX Runtime alone gets them; pages: one <see cref="OcrEngine.Recognize"/> each).
/// </summary>
internal static class CeilingRunner
{
    public static readonly int[] LineBatchSizes = [1, 4, 8, 16, 32];

    /// <summary>
    /// Runs each batch size over the whole set, or for <paramref name="secondsPerSize"/> when that comes first
    /// (whole batches; at least one), so that a slow size cannot hold up the matrix.
    /// </summary>
    public static CeilingResult Run(
        string setDirectory, bool lines, OcrEngineOptions options, int? tesseractLimit, double secondsPerSize, Action<string> log, CancellationToken cancellationToken, IReadOnlyList<int>? lineBatchSizes = null)
    {
        var items = Manifest.Read(setDirectory, limit: null);
        var images = items.Select(i => (ReadOnlyMemory<byte>)File.ReadAllBytes(i.ImagePath)).ToList();
        IReadOnlyList<int> batchSizes = lines ? lineBatchSizes is { Count: > 0 } ? lineBatchSizes : LineBatchSizes : [1];
        options.RecognizerBatchSize = Math.Max(options.RecognizerBatchSize, batchSizes.Max());

        // The ceiling is what the model can do: no memory budget making concurrent large batches take turns.
        options.MemoryBudgetMegabytes = 0;
        var points = new List<CeilingPoint>();
        var loadBefore = E2eRunner.LoadAverage();
        var lineBuffers = lines ? OrtCeiling.Decode(images) : null;

        // One stream is one caller at a time, its session on all cores; then one stream per core, each session
        // on one thread (what the worker does: Batching:Executors recognitions at once, cores / executors
        // threads each). Unless --threads is given, threads x streams = cores: more would oversubscribe.
        var cores = Environment.ProcessorCount;
        var streamCounts = cores > 1 ? new[] { 1, cores } : [1];
        var configuredThreads = options.IntraOpThreads;
        string engineLabel = string.Empty;
        try
        {
            foreach (var streams in streamCounts)
            {
                var threads = configuredThreads > 0 ? configuredThreads : Math.Max(1, cores / streams);
                options.IntraOpThreads = threads;
                using (var engine = new OcrEngine(options, StderrLogger<OcrEngine>.Instance))
                {
                    engine.WarmUp(cancellationToken);
                    engineLabel = $"scipix {engine.Model.Recognizer} ({engine.Model.Precision}, {engine.Model.ExecutionProvider})";
                    foreach (var batch in batchSizes)
                    {
                        // One unmeasured batch at this size first: ONNX Runtime plans memory per input shape.
                        Recognize(engine, images.Take(batch).ToList(), lines, cancellationToken);
                        var point = Measure(engine, images, lineBuffers, batch, streams, secondsPerSize, cancellationToken) with { Threads = threads };
                        log($"ceiling: engine, batch {batch,2} x {streams} stream(s) x {threads} thread(s): {point.ImagesPerSecond:F1} images/s");
                        points.Add(point);
                    }
                }

                if (lineBuffers is not null)
                {
                    using var ort = new OrtCeiling(options);
                    foreach (var batch in batchSizes)
                    {
                        var point = ort.Measure(lineBuffers, batch, streams, secondsPerSize, cancellationToken) with { Threads = threads };
                        log($"ceiling: onnxruntime alone, batch {batch,2} x {streams} stream(s) x {threads} thread(s): {point.ImagesPerSecond:F1} images/s");
                        points.Add(point);
                    }
                }
            }
        }
        finally
        {
            options.IntraOpThreads = configuredThreads;
        }

        CeilingPoint? tesseract = null;
        if (tesseractLimit != 0)
        {
            try
            {
                var sample = items.Take(tesseractLimit ?? items.Count).ToList();
                var mode = lines ? OcrMode.SingleLine : OcrMode.Full;
                var started = Stopwatch.GetTimestamp();
                var done = 0;
                foreach (var item in sample)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Tesseract.Recognize(item.ImagePath, mode);
                    done++;
                    if (Stopwatch.GetElapsedTime(started).TotalSeconds >= secondsPerSize * 3)
                    {
                        break;
                    }
                }

                tesseract = new CeilingPoint($"tesseract {Tesseract.Version()}", 1, done, Stopwatch.GetElapsedTime(started).TotalSeconds);
                log($"ceiling: tesseract: {tesseract.ImagesPerSecond:F1} images/s");
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                log($"ceiling: tesseract not run ({ex.Message})");
            }
        }

        return new CeilingResult(
            Path.GetFileName(Path.GetFullPath(setDirectory).TrimEnd('/')),
            lines ? "lines" : "pages",
            engineLabel,
            points,
            tesseract,
            $"{loadBefore} -> {E2eRunner.LoadAverage()}");
    }

    /// <summary>
    /// <paramref name="streams"/> callers take whole batches from one counter until the set is done or the time is
    /// up; images/s counts the images of the batches that finished. Lines are batched as ONNX Runtime alone batches
    /// them (<see cref="OrtCeiling.WidthOrderedBatches"/>, from their decoded <paramref name="lineBuffers"/>), so that
    /// a row of the engine and one of ONNX Runtime alone pad alike; pages go in set order.
    /// </summary>
    private static CeilingPoint Measure(
        OcrEngine engine, List<ReadOnlyMemory<byte>> images, IReadOnlyList<RgbBuffer>? lineBuffers, int batch, int streams, double seconds, CancellationToken cancellationToken)
    {
        var lines = lineBuffers is not null;
        var chunks = lines ? OrtCeiling.WidthOrderedBatches(images, OrtCeiling.AspectRatios(lineBuffers!), batch) : images.Chunk(batch).ToList();
        var (done, elapsed) = RunCallers(streams, chunks.Count, seconds, index =>
        {
            Recognize(engine, chunks[index], lines, cancellationToken);
            return chunks[index].Length;
        }, cancellationToken);
        return new CeilingPoint("scipix", batch, done, elapsed, streams);
    }

    /// <summary>
    /// <paramref name="streams"/> callers take units 0, 1, 2, ... from one counter until all ran or
    /// <paramref name="seconds"/> have passed (whole units, at least one); <paramref name="run"/> runs a unit
    /// and returns its images. Returns the images of the units that finished, and the time taken.
    /// </summary>
    internal static (int Images, double Seconds) RunCallers(int streams, int units, double seconds, Func<int, int> run, CancellationToken cancellationToken)
    {
        var next = -1;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, streams).Select(_ => Task.Run(
            () =>
            {
                while (Volatile.Read(ref done) == 0 || Stopwatch.GetElapsedTime(started).TotalSeconds < seconds)
                {
                    var index = Interlocked.Increment(ref next);
                    if (index >= units)
                    {
                        return;
                    }

                    Interlocked.Add(ref done, run(index));
                }
            },
            cancellationToken)).ToArray();
        Task.WaitAll(callers, cancellationToken);
        return (done, Stopwatch.GetElapsedTime(started).TotalSeconds);
    }

    private static void Recognize(OcrEngine engine, IReadOnlyList<ReadOnlyMemory<byte>> batch, bool lines, CancellationToken cancellationToken)
    {
        if (lines)
        {
            engine.RecognizeLines(batch, cancellationToken);
            return;
        }

        foreach (var image in batch)
        {
            engine.Recognize(image, OcrMode.Full, cancellationToken);
        }
    }
}
