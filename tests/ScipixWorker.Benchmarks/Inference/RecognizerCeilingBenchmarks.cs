using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// The ceiling: ONNX Runtime alone on the recognizer. The same 48 x 320 batches of real crops as
/// <see cref="RecognizerBenchmarks"/>, normalized once in the setup, run into preallocated output
/// tensors: no resizing, no normalization, no output copy, no CTC decoding, no allocation per call.
/// Times are per line; lines/s = 1 s / median.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class RecognizerCeilingBenchmarks : IDisposable
{
    private const int Lines = RecognizerBenchmarks.Lines;

    private InferenceSession? _session;
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
        var options = Assets.Options(recognizerModel: Model);
        (_session, _) = OrtSessionFactory.Create(options.Resolve(options.RecognizerModel), options, NullLogger.Instance);
        _runOptions = new RunOptions();

        const int height = TextRecognizer.InputHeight;
        const int width = TextRecognizer.MinInputWidth;
        var lines = Assets.NarrowLines();
        _inputs = new OrtValue[Lines / BatchSize][];
        _outputs = new OrtValue[_inputs.Length][];
        long[] shape = [BatchSize, 3, height, width];
        for (var b = 0; b < _inputs.Length; b++)
        {
            var batch = Assets.Cycle(lines, BatchSize, b * BatchSize);
            var item = 3 * height * width;
            var tensor = new float[BatchSize * item];
            for (var i = 0; i < batch.Length; i++)
            {
                var resized = LineResizer.Resize(batch[i], height, width);
                TensorWriter.Write(resized, tensor.AsSpan(i * item, item), width, height, ChannelNormalization.Symmetric);
            }

            _inputs[b] = [OrtValue.CreateTensorValueFromMemory(tensor, shape)];
        }

        // The output shape ([batch, width / 8, classes]) from one ordinary run.
        using (var probe = _session.Run(_runOptions, _session.InputNames, _inputs[0], _session.OutputNames))
        {
            var outputShape = probe[0].GetTensorTypeAndShape().Shape;
            for (var b = 0; b < _outputs.Length; b++)
            {
                _outputs[b] = [OrtValue.CreateTensorValueFromMemory(new float[outputShape.Aggregate(1L, (a, d) => a * d)], outputShape)];
            }
        }
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public void Run()
    {
        for (var b = 0; b < _inputs.Length; b++)
        {
            _session!.Run(_runOptions!, _session.InputNames, _inputs[b], _session.OutputNames, _outputs[b]);
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
        _session?.Dispose();
        _session = null;
        GC.SuppressFinalize(this);
    }
}
