using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// Where do two cores go further: into one caller's intra-op threads, or into two callers? The same work
/// (<see cref="Crops"/> real 320-bucket line crops in two halves, each half in batches of
/// <see cref="BatchSize"/>, through <see cref="TextRecognizer.RecognizeBatch"/>) done by one caller on a
/// session with 2 intra-op threads, by two concurrent callers (Parallel.For over the halves) sharing a
/// session with 1 intra-op thread, as the worker does with concurrency 2 and Ocr:IntraOpThreads = 1,
/// and by two concurrent callers on the 2-thread session (concurrency raised without lowering the
/// threads: 4 threads on 2 cores). Times are per crop.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class RecognizerConcurrencyBenchmarks : IDisposable
{
    private const int Crops = 64;

    private TextRecognizer? _oneThread;
    private TextRecognizer? _twoThreads;
    private RgbBuffer[][][] _halves = [];

    [Params(1, 6, 16)]
    public int BatchSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _oneThread = new TextRecognizer(Assets.Options(intraOpThreads: 1, recognizerMinWidth: WidthBuckets.PaddleMinWidth), NullLogger.Instance);
        _twoThreads = new TextRecognizer(Assets.Options(intraOpThreads: 2, recognizerMinWidth: WidthBuckets.PaddleMinWidth), NullLogger.Instance);
        var lines = Assets.NarrowLines();
        const int half = Crops / 2;
        _halves = Enumerable.Range(0, 2)
            .Select(h => Assets.Cycle(lines, half, h * half).Chunk(BatchSize).ToArray())
            .ToArray();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Crops)]
    public void OneCaller_TwoThreads()
    {
        RecognizeHalf(_twoThreads!, 0);
        RecognizeHalf(_twoThreads!, 1);
    }

    [Benchmark(OperationsPerInvoke = Crops)]
    public void TwoCallers_OneThreadEach() => Parallel.For(0, 2, half => RecognizeHalf(_oneThread!, half));

    [Benchmark(OperationsPerInvoke = Crops)]
    public void TwoCallers_TwoThreadsEach() => Parallel.For(0, 2, half => RecognizeHalf(_twoThreads!, half));

    private void RecognizeHalf(TextRecognizer recognizer, int half)
    {
        foreach (var batch in _halves[half])
        {
            recognizer.RecognizeBatch(batch, CancellationToken.None);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _oneThread?.Dispose();
        _oneThread = null;
        _twoThreads?.Dispose();
        _twoThreads = null;
        GC.SuppressFinalize(this);
    }
}
