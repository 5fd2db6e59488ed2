using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// The ceiling: ONNX Runtime alone on the recognizer. The same 48 x 320 batches of real crops as
/// <see cref="RecognizerBenchmarks"/>, normalized once in the setup, run into preallocated output
/// tensors: no resizing, no normalization, no output copy, no CTC decoding, no allocation per call.
/// Once by one caller on a session with 2 intra-op threads, once by two concurrent callers (each half
/// of the batches) on a session with 1 intra-op thread. Times are per line; lines/s = 1 s / median.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class RecognizerCeilingBenchmarks : IDisposable
{
    /// <summary>Lines per invocation: two halves of whole batches for every batch size below.</summary>
    private const int Lines = 64;

    private InferenceSession? _twoThreads;
    private InferenceSession? _oneThread;
    private RunOptions? _runOptions;
    private OrtValue[][] _inputs = [];
    private OrtValue[][] _outputs = [];

    /// <summary>The recognizer file in models/.</summary>
    [ParamsSource(nameof(Models))]
    public string Model { get; set; } = "";

    [Params(1, 4, 8, 16, 32)]
    public int BatchSize { get; set; }

    public static IEnumerable<string> Models() => Assets.RecognizerModels();

    [GlobalSetup]
    public void Setup()
    {
        _twoThreads = CreateSession(2);
        _oneThread = CreateSession(1);
        _runOptions = new RunOptions();

        const int height = TextRecognizer.InputHeight;
        const int width = WidthBuckets.PaddleMinWidth;
        var lines = Assets.NarrowLines();
        _inputs = new OrtValue[Lines / BatchSize][];
        _outputs = new OrtValue[_inputs.Length][];
        long[] shape = [BatchSize, 3, height, width];
        for (var b = 0; b < _inputs.Length; b++)
        {
            var batch = Assets.Cycle(lines, BatchSize, b * BatchSize);
            _inputs[b] = [OrtValue.CreateTensorValueFromMemory(TextRecognizer.BatchTensor(batch, width), shape)];
        }

        // The output shape ([batch, width / 8, classes]) from one ordinary run; one output per batch, so
        // that concurrent callers never share one.
        using var probe = _twoThreads.Run(_runOptions, _twoThreads.InputNames, _inputs[0], _twoThreads.OutputNames);
        var outputShape = probe[0].GetTensorTypeAndShape().Shape;
        for (var b = 0; b < _outputs.Length; b++)
        {
            _outputs[b] = [OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, d) => a * d)], outputShape)];
        }

        InferenceSession CreateSession(int threads)
        {
            var options = Assets.Options(intraOpThreads: threads, recognizerModel: Model);
            return OrtSessionFactory.Create(options.Resolve(options.RecognizerModel), options, NullLogger.Instance).Session;
        }
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Lines)]
    public void OneCaller_TwoThreads()
    {
        RunHalf(_twoThreads!, 0);
        RunHalf(_twoThreads!, 1);
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public void TwoCallers_OneThreadEach() => Parallel.For(0, 2, half => RunHalf(_oneThread!, half));

    private void RunHalf(InferenceSession session, int half)
    {
        var count = _inputs.Length / 2;
        for (var b = half * count; b < (half + 1) * count; b++)
        {
            session.Run(_runOptions!, session.InputNames, _inputs[b], session.OutputNames, _outputs[b]);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var value in _inputs.Concat(_outputs).SelectMany(v => v))
        {
            value.Dispose();
        }

        _inputs = [];
        _outputs = [];
        _runOptions?.Dispose();
        _runOptions = null;
        _twoThreads?.Dispose();
        _twoThreads = null;
        _oneThread?.Dispose();
        _oneThread = null;
        GC.SuppressFinalize(this);
    }
}
