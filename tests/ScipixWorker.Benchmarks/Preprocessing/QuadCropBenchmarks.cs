using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// Perspective crops (cv2-exact bicubic warp) of every box the detector finds on the receipt at each
/// size: the per-page crop cost of the engine. Divide by the box count the setup prints for a per-line cost. The
/// baseline sums every pixel's taps in the scalar loop; the other its interior pixels' with SIMD, as the engine does.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class QuadCropBenchmarks
{
    private RgbBuffer _page = null!;
    private DetectedBox[] _boxes = [];

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024, 2048)]
    public int LongSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var detected = DetectedPage.Create(LongSide);
        _page = detected.Page;
        _boxes = [.. detected.Boxes];
    }

    [Benchmark(Baseline = true)]
    public int CropAllBoxesScalar() => CropAll(vectors: false);

    [Benchmark]
    public int CropAllBoxes() => CropAll(vectors: true);

    private int CropAll(bool vectors)
    {
        var pixels = 0;
        foreach (var box in _boxes)
        {
            pixels += QuadCropper.Crop(_page, box.Box, vectors).Width;
        }

        return pixels;
    }
}
