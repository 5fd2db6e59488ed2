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
/// out) on the normalized receipt at a detector limit of 320, 640 and 960 px (the worker's default), without a margin
/// and with the default 16-px margin (<see cref="OcrEngineOptions.DetectorMargin"/>);
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

    /// <summary>The margin round the resized page (0: PaddleOCR's input).</summary>
    [Params(0, 16)]
    public int Margin { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        var page = Assets.Receipt(LimitSide);
        var (width, height) = TextDetector.InputSize(page.Width, page.Height, LimitSide);
        var resized = CvResize.Bilinear(page, width, height);
        var (tensorWidth, tensorHeight) = TextDetector.TensorSize(width, height, Margin);
        _tensor = new float[3 * tensorWidth * tensorHeight];
        TensorWriter.Fill(_tensor, tensorWidth, tensorHeight, BorderColour.Median(resized), ChannelNormalization.ImageNetBgr);
        TensorWriter.Write(resized, _tensor, tensorWidth, tensorHeight, ChannelNormalization.ImageNetBgr, Margin, Margin);
        _shape = [1, 3, tensorHeight, tensorWidth];
        (_session, _) = OrtSessionFactory.Create(options.Resolve(options.DetectorModel), options, NullLogger.Instance);
        Console.WriteLine($"// detector input {tensorWidth}x{tensorHeight}");
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
