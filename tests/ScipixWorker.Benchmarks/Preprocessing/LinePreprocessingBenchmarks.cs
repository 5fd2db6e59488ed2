using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The recognizer's input for every line crop of the receipt at each size, as
/// <see cref="TextRecognizer"/> builds it: crops sorted by aspect ratio, batches of the worker's default
/// size, each crop resized to height 48 (<see cref="LineResizer"/>) and normalized into a batch tensor
/// padded to the batch's widest crop (<see cref="TensorWriter"/>); with <see cref="Bilevel"/>, each crop marked as cut from a
/// page of pure black and white, so smoothed once resized (<see cref="BilevelSmoothing"/>: what that costs).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class LinePreprocessingBenchmarks
{
    private readonly int _batchSize = new OcrEngineOptions().RecognizerBatchSize;
    private RgbBuffer[] _crops = [];

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024)]
    public int LongSide { get; set; }

    /// <summary>Whether the crops are read as a bilevel page's (smoothed).</summary>
    [Params(false, true)]
    public bool Bilevel { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _crops = DetectedPage.Create(LongSide).Crops;
        foreach (var crop in _crops)
        {
            crop.Bilevel = Bilevel;
        }
    }

    [Benchmark]
    public long AllLines()
    {
        long floats = 0;
        var ordered = _crops.OrderBy(c => c.Width / (double)c.Height).ToArray();
        for (var start = 0; start < ordered.Length; start += _batchSize)
        {
            var batch = ordered.AsSpan(start, Math.Min(_batchSize, ordered.Length - start)).ToArray();
            floats += TextRecognizer.BatchTensor(batch, TextRecognizer.BatchWidth(batch, WidthBuckets.DefaultMinWidth)).Length;
        }

        return floats;
    }
}
