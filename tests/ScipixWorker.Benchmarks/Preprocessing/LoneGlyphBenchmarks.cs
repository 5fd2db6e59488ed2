using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The work on a page for characters standing alone (<see cref="LoneGlyphs"/>), on the receipt at each size after a real
/// detector run: a crop fitted to its ink for every box about a character in size, and the search of each row's gaps for
/// glyphs the detector missed. What is read of it (a box's second crop where its own read below the drop score, a glyph
/// found) is the recognizer's cost (docs/benchmarks.md, "Lone glyphs").
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class LoneGlyphBenchmarks
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
        Console.WriteLine($"// {_lines.Length} lines in {_rows.Count} rows, {_lines.Count(LoneGlyphs.IsGlyph)} glyph boxes, {Refits()} fitted, {Search()} missed");
    }

    /// <summary>A fitted crop for each box about a character in size, on its own height.</summary>
    [Benchmark]
    public int Refits() => _lines.Where(LoneGlyphs.IsGlyph).Count(q => LoneGlyphs.Refit(_page, q, QuadCropper.CropSize(q).Height) is not null);

    /// <summary>The search of every row's gaps for glyphs the detector missed.</summary>
    [Benchmark]
    public int Search() => LoneGlyphs.Missed(_page, _lines, _crops, _rows, _lines).Count;
}
