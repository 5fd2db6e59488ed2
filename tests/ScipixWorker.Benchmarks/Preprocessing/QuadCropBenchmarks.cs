using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// Perspective crops (cv2-exact bicubic warp) of every box the detector finds on the receipt at each
/// size: the per-page crop cost of the engine. Divide by the box count the setup prints for a per-line cost.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class QuadCropBenchmarks
{
    private RgbBuffer _page = null!;
    private DetectedBox[] _boxes = [];

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024)]
    public int LongSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var detected = DetectedPage.Create(LongSide);
        _page = detected.Page;
        _boxes = [.. detected.Boxes];
    }

    [Benchmark]
    public int CropAllBoxes()
    {
        var pixels = 0;
        foreach (var box in _boxes)
        {
            pixels += QuadCropper.Crop(_page, box.Box).Width;
        }

        return pixels;
    }
}
