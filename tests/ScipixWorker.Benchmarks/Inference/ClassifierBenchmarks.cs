using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// The angle classifier (<see cref="TextOrientationClassifier.Run"/>: resize to 48 x 192, normalize, model
/// call) on real SROIE line crops, one at a time or in batches of 6 (the worker's default batch size).
/// Times are per line: every invocation classifies <see cref="Lines"/> lines.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class ClassifierBenchmarks : IDisposable
{
    private const int Lines = 6;

    private TextOrientationClassifier? _classifier;
    private RgbBuffer[][] _batches = [];

    [Params(1, 6)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _classifier = new TextOrientationClassifier(Assets.Options(), NullLogger.Instance);
        var lines = Assets.NarrowLines();
        _batches = Enumerable.Range(0, Lines / BatchSize).Select(b => Assets.Cycle(lines, BatchSize, b * BatchSize)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public float Classify()
    {
        var sum = 0f;
        foreach (var batch in _batches)
        {
            sum += _classifier!.Run(batch, CancellationToken.None)[0];
        }

        return sum;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _classifier?.Dispose();
        _classifier = null;
        GC.SuppressFinalize(this);
    }
}
