using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;
using ScipixWorker.Ocr.Precision;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// Each model as exported against its graph simplified (<c>Ocr:SimplifyGraphs</c>, Engine/Graph/GraphSimplifier): ONNX
/// Runtime alone, one call into a preallocated output, on a session with 1 intra-op thread (as each of the worker's two
/// executors runs). The recognizer reads the ten <c>line_*</c> crops one at a time at their own widths (at least the
/// default 224 px, as single-line jobs run); the detector the receipt fixture at the 960-px limit, as
/// <see cref="DetectorBenchmarks"/> feeds it; the classifier a batch of 6 (an input pattern: its time does not depend on the
/// values).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class GraphSimplificationBenchmarks : IDisposable
{
    private InferenceSession? _session;
    private RunOptions? _runOptions;
    private OrtValue[] _inputs = [];
    private OrtValue[] _outputs = [];

    [Params("recognizer", "detector", "classifier")]
    public string Model { get; set; } = "";

    [Params(false, true)]
    public bool Simplified { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options(intraOpThreads: 1);
        options.SimplifyGraphs = Simplified;
        var file = Model switch
        {
            "recognizer" => options.RecognizerModel,
            "detector" => options.DetectorModel,
            _ => options.ClassifierModel,
        };
        _session = OrtSessionFactory.Create(options.Resolve(file), options, NullLogger.Instance).Session;
        _runOptions = new RunOptions();
        _inputs = Model switch
        {
            "recognizer" => Assets.NarrowLines().Select(line =>
            {
                var width = TextRecognizer.BatchWidth([line], WidthBuckets.DefaultMinWidth);
                return OrtValue.CreateTensorValueFromMemory(TextRecognizer.BatchTensor([line], width), [1, 3, TextRecognizer.InputHeight, width]);
            }).ToArray(),
            "detector" => [Page()],
            _ => [Value(TimingInput.Pattern(6, 3, TextOrientationClassifier.InputHeight, TextOrientationClassifier.InputWidth))],
        };

        // One output per input, shaped by an ordinary run.
        _outputs = _inputs.Select(input =>
        {
            using var probe = _session.Run(_runOptions, _session.InputNames, [input], _session.OutputNames);
            var shape = probe[0].GetTensorTypeAndShape().Shape;
            return OrtValue.CreateTensorValueFromMemory(new float[shape.Aggregate(1L, (a, d) => a * d)], shape);
        }).ToArray();

        static OrtValue Value(TimingInput input) => OrtValue.CreateTensorValueFromMemory(input.Data, input.Shape);

        static OrtValue Page()
        {
            var page = Assets.Receipt(960);
            var (width, height) = TextDetector.InputSize(page.Width, page.Height, 960);
            var resized = CvResize.Bilinear(page, width, height);
            var (tensorWidth, tensorHeight) = TextDetector.TensorSize(width, height, 0);
            var tensor = new float[3 * tensorWidth * tensorHeight];
            TensorWriter.Fill(tensor, tensorWidth, tensorHeight, BorderColour.Median(resized), ChannelNormalization.ImageNetBgr);
            TensorWriter.Write(resized, tensor, tensorWidth, tensorHeight, ChannelNormalization.ImageNetBgr, 0, 0);
            return OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, tensorHeight, tensorWidth]);
        }
    }

    /// <summary>One call per input (the recognizer: ten lines); the time is per call.</summary>
    [Benchmark]
    public void Run()
    {
        for (var i = 0; i < _inputs.Length; i++)
        {
            _session!.Run(_runOptions!, _session.InputNames, [_inputs[i]], _session.OutputNames, [_outputs[i]]);
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        foreach (var value in _inputs.Concat(_outputs))
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
