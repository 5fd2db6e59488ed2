using System.Diagnostics;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Bench;

/// <summary>Images/s at one batch size (or for Tesseract).</summary>
internal sealed record CeilingPoint(string Engine, int BatchSize, int Images, double Seconds, int Streams = 1)
{
    public double ImagesPerSecond => Seconds > 0 ? Images / Seconds : 0;
}

internal sealed record CeilingResult(string Set, string Mode, string Engine, IReadOnlyList<CeilingPoint> Points, CeilingPoint? Tesseract, string LoadAverage)
{
    /// <summary>The best in-process throughput: what the worker could reach with no messaging or storage at all.</summary>
    public CeilingPoint Best => Points.MaxBy(p => p.ImagesPerSecond)!;
}

/// <summary>
/// In-process throughput with no broker, storage or worker: the images are read into memory first, then the
/// engine recognizes all of them at each batch size (lines: <see cref="OcrEngine.RecognizeLines"/>, sorted by
/// width within a batch as the engine does; pages: one <see cref="OcrEngine.Recognize"/> each).
/// </summary>
internal static class CeilingRunner
{
    public static readonly int[] LineBatchSizes = [1, 4, 8, 16, 32];

    /// <summary>
    /// Runs each batch size over the whole set, or for <paramref name="secondsPerSize"/> when that comes first
    /// (whole batches; at least one), so that a slow size cannot hold up the matrix.
    /// </summary>
    public static CeilingResult Run(string setDirectory, bool lines, OcrEngineOptions options, int? tesseractLimit, double secondsPerSize, Action<string> log, CancellationToken cancellationToken)
    {
        var items = Manifest.Read(setDirectory, limit: null);
        var images = items.Select(i => (ReadOnlyMemory<byte>)File.ReadAllBytes(i.ImagePath)).ToList();
        var batchSizes = lines ? LineBatchSizes : [1];
        options.RecognizerBatchSize = Math.Max(options.RecognizerBatchSize, batchSizes.Max());
        var points = new List<CeilingPoint>();
        string engineLabel;
        var loadBefore = E2eRunner.LoadAverage();
        using (var engine = new OcrEngine(options))
        {
            engine.WarmUp(cancellationToken);
            engineLabel = $"scipix {engine.Model.Recognizer} ({engine.Model.Precision}, {engine.Model.ExecutionProvider}, Ocr:IntraOpThreads={options.IntraOpThreads})";
            // One stream is one caller at a time (ONNX Runtime's intra-op threads spread each call over the
            // cores); one stream per core is what the worker does by default (Worker:MaxConcurrentInferences).
            var streamCounts = Environment.ProcessorCount > 1 ? new[] { 1, Environment.ProcessorCount } : [1];
            foreach (var streams in streamCounts)
            {
                foreach (var batch in batchSizes)
                {
                    // One unmeasured batch at this size first: ONNX Runtime plans memory per input shape.
                    Recognize(engine, images.Take(batch).ToList(), lines, cancellationToken);
                    var point = Measure(engine, images, batch, streams, lines, secondsPerSize, cancellationToken);
                    log($"ceiling: batch {batch,2} x {streams} stream(s): {point.ImagesPerSecond:F1} images/s");
                    points.Add(point);
                }
            }
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
    /// <paramref name="streams"/> callers take whole batches in set order from one counter until the set is done
    /// or the time is up; images/s counts the images of the batches that finished.
    /// </summary>
    private static CeilingPoint Measure(OcrEngine engine, List<ReadOnlyMemory<byte>> images, int batch, int streams, bool lines, double seconds, CancellationToken cancellationToken)
    {
        var next = 0;
        var done = 0;
        var started = Stopwatch.GetTimestamp();
        var callers = Enumerable.Range(0, streams).Select(_ => Task.Run(
            () =>
            {
                while (true)
                {
                    if (Volatile.Read(ref done) > 0 && Stopwatch.GetElapsedTime(started).TotalSeconds >= seconds)
                    {
                        return;
                    }

                    var first = Interlocked.Add(ref next, batch) - batch;
                    if (first >= images.Count)
                    {
                        return;
                    }

                    var chunk = images.Skip(first).Take(batch).ToList();
                    Recognize(engine, chunk, lines, cancellationToken);
                    Interlocked.Add(ref done, chunk.Count);
                }
            },
            cancellationToken)).ToArray();
        Task.WaitAll(callers, cancellationToken);
        return new CeilingPoint("scipix", batch, done, Stopwatch.GetElapsedTime(started).TotalSeconds, streams);
    }

    private static void Recognize(OcrEngine engine, List<ReadOnlyMemory<byte>> batch, bool lines, CancellationToken cancellationToken)
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
