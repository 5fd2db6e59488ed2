using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// The recognizer stage as the worker runs it (<see cref="TextRecognizer.RecognizeBatch"/>: resize to
/// height 48, normalize, model call, CTC decoding) on real SROIE line crops of the 320-px width bucket,
/// cycled to fill each batch, for every recognizer file in models/ (<c>*rec*.onnx</c>) and several
/// batch sizes.
/// </summary>
/// <remarks>
/// Every invocation recognizes <see cref="Lines"/> lines (32 / batch size model calls) and declares
/// them as its operations, so the times are per line whatever the batch size.
/// </remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class RecognizerBenchmarks : IDisposable
{
    /// <summary>Lines per invocation: a whole number of batches for every batch size below.</summary>
    public const int Lines = 32;

    private TextRecognizer? _recognizer;
    private RgbBuffer[][] _batches = [];

    /// <summary>The recognizer file in models/.</summary>
    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [Params(1, 4, 8, 16, 32)]
    public int BatchSize { get; set; }

    public static IEnumerable<string> Models() => Assets.RecognizerModels();

    [GlobalSetup]
    public void Setup()
    {
        _recognizer = new TextRecognizer(Assets.Options(recognizerModel: Model, recognizerMinWidth: WidthBuckets.PaddleMinWidth), NullLogger.Instance);
        var lines = Assets.NarrowLines();
        _batches = Enumerable.Range(0, Lines / BatchSize).Select(b => Assets.Cycle(lines, BatchSize, b * BatchSize)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int Recognize()
    {
        var characters = 0;
        foreach (var batch in _batches)
        {
            foreach (var (text, _) in _recognizer!.RecognizeBatch(batch, CancellationToken.None))
            {
                characters += text.Length;
            }
        }

        return characters;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _recognizer?.Dispose();
        _recognizer = null;
        GC.SuppressFinalize(this);
    }
}
