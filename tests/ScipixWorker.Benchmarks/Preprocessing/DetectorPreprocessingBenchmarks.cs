using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The detector's input, as <see cref="TextDetector"/> builds it: cv2-exact bilinear resize of the page to
/// its input size (longest side at most 960, both sides multiples of 32), then the ImageNet BGR
/// normalization into a fresh planar float tensor. The two steps are measured apart.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class DetectorPreprocessingBenchmarks
{
    private RgbBuffer _page = null!;
    private RgbBuffer _resized = null!;
    private int _width;
    private int _height;

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024)]
    public int LongSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _page = Assets.Receipt(LongSide);
        var defaults = new OcrEngineOptions();
        (_width, _height) = TextDetector.InputSize(_page.Width, _page.Height, defaults.DetectorLimitSide, defaults.DetectorMinAreaSide);
        _resized = CvResize.Bilinear(_page, _width, _height);
        Console.WriteLine($"// receipt at {LongSide} px: page {_page.Width}x{_page.Height}, detector input {_width}x{_height}");
    }

    [Benchmark]
    public object Resize() => CvResize.Bilinear(_page, _width, _height);

    [Benchmark]
    public float[] Normalize()
    {
        var tensor = new float[3 * _width * _height];
        TensorWriter.Write(_resized, tensor, _width, _height, ChannelNormalization.ImageNetBgr);
        return tensor;
    }
}
