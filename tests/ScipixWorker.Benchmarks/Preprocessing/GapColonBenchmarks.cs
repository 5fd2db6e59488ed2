using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The search for faint colons in the gaps after a page's lines (<see cref="GapColons"/>): a strip warped and looked
/// through per line, on the receipt at each size after a real detector run. What it finds is read by the recognizer
/// as well, a few narrow crops a page; that cost is the recognizer's (docs/benchmarks.md, "Faint colons").
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class GapColonBenchmarks
{
    private RgbBuffer _page = null!;
    private Quad[] _lines = [];
    private RgbBuffer[] _crops = [];
    private IReadOnlyList<IReadOnlyList<int>> _rows = [];

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(1024, 2048)]
    public int LongSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var detected = DetectedPage.Create(LongSide);
        _page = detected.Page;
        (_lines, _crops, _rows) = detected.InRows();
        Console.WriteLine($"// {_lines.Length} lines in {_rows.Count} rows, {Search()} colons found");
    }

    [Benchmark]
    public int Search() => GapColons.Find(_page, _lines, _crops, _rows).Count;
}
