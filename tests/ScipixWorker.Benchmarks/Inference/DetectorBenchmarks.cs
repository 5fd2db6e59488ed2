using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// One detector model call (<see cref="OrtRun"/>, as <see cref="TextDetector"/> makes it, output copied
/// out) on the normalized receipt at a detector limit of 320, 640 and 960 px (the worker's default);
/// the session has the worker's settings (intra-op threads = cores, no spinning).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class DetectorBenchmarks : IDisposable
{
    private InferenceSession? _session;
    private float[] _tensor = [];
    private long[] _shape = [];

    /// <summary>The detector's limit side: the longest side of its input.</summary>
    [Params(320, 640, 960)]
    public int LimitSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        var page = Assets.Receipt(LimitSide);
        var (width, height) = TextDetector.InputSize(page.Width, page.Height, LimitSide);
        var resized = CvResize.Bilinear(page, width, height);
        _tensor = new float[3 * width * height];
        TensorWriter.Write(resized, _tensor, width, height, ChannelNormalization.ImageNetBgr);
        _shape = [1, 3, height, width];
        (_session, _) = OrtSessionFactory.Create(options.Resolve(options.DetectorModel), options, NullLogger.Instance);
        Console.WriteLine($"// detector input {width}x{height}");
    }

    [Benchmark]
    public float[] Run() => OrtRun.Run(_session!, _tensor, _shape, out _, CancellationToken.None);

    [GlobalCleanup]
    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
        GC.SuppressFinalize(this);
    }
}
