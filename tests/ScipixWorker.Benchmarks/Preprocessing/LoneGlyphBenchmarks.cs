using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The work on a page for characters standing alone (<see cref="LoneGlyphs"/>), on the receipt at each size after a real
/// detector run: a crop fitted to its ink for every box about a character in size, and the search of each row's gaps for
/// glyphs the detector missed. What is read of it (a box's second crop where its own read below the drop score, a glyph
/// found) is the recognizer's cost (docs/benchmarks.md, "Lone glyphs").
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class LoneGlyphBenchmarks : PageRowsBenchmark
{
    /// <summary>A fitted crop for each box about a character in size, on its own height.</summary>
    [Benchmark]
    public int Refits() => Lines.Where(LoneGlyphs.IsGlyph).Count(q => LoneGlyphs.Refit(Page, q, QuadCropper.CropSize(q).Height) is not null);

    /// <summary>The search of every row's gaps for glyphs the detector missed.</summary>
    [Benchmark]
    public int Search() => LoneGlyphs.Missed(Page, Lines, Bands(), Rows, Lines).Count;

    private protected override string Found() =>
        $"{Lines.Count(LoneGlyphs.IsGlyph)} glyph boxes, {Refits()} fitted, {Search()} missed";
}
