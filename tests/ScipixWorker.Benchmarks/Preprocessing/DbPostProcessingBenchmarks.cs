using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// DB post-processing (binarize, regions, minimum-area rectangles, box scores, unclip, scale back) on the
/// probability map the real detector produced for the receipt at each size (captured in the setup), as PaddleOCR
/// does and with the colon candidates beside the rows (<see cref="LoneMarks"/>, the engine's default).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class DbPostProcessingBenchmarks
{
    private DetectedPage _detected = null!;
    private DbPostProcessor _postProcessor = null!;

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024)]
    public int LongSide { get; set; }

    [Params(false, true)]
    public bool LoneMarks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _detected = DetectedPage.Create(LongSide);
        _postProcessor = DetectedPage.PostProcessor(Assets.Options(), LoneMarks);
    }

    [Benchmark]
    public int Process() =>
        _postProcessor.Process(_detected.Map, _detected.MapWidth, _detected.MapHeight, _detected.Page.Width, _detected.Page.Height).Count;
}
