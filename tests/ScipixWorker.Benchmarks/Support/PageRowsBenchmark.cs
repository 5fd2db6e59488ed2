using BenchmarkDotNet.Attributes;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// A benchmark of a search beside a page's lines (the faint colons, the lone glyphs): the receipt at each size after a
/// real detector run, its boxes in reading order, their crops and the rows the page's text joins them into
/// (<see cref="DetectedPage.InRows"/>).
/// </summary>
public abstract class PageRowsBenchmark
{
    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(1024, 2048)]
    public int LongSide { get; set; }

    private protected RgbBuffer Page { get; private set; } = null!;

    private protected Quad[] Lines { get; private set; } = [];

    private protected RgbBuffer[] Crops { get; private set; } = [];

    private protected IReadOnlyList<IReadOnlyList<int>> Rows { get; private set; } = [];

    /// <summary>The crops' text bands, worked out inside each search's benchmark (the engine works them out once for both).</summary>
    private protected List<(float Top, float Bottom, byte Dark)?> Bands() => [.. Crops.Select(LineInk.TextBand)];

    [GlobalSetup]
    public void Setup()
    {
        var detected = DetectedPage.Create(LongSide);
        Page = detected.Page;
        (Lines, Crops, Rows) = detected.InRows();
        Console.WriteLine($"// {Lines.Length} lines in {Rows.Count} rows, {Found()}");
    }

    /// <summary>What the search finds on the page, for the log.</summary>
    private protected abstract string Found();
}
