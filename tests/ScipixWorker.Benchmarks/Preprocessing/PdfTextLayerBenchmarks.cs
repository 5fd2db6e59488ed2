using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// A born-digital page read from its text layer as the engine reads it (<see cref="ImageLoader"/>, then
/// <see cref="PdfPages.TextLayer"/>: letters, words, Docstrum lines and blocks, reading order), against PdfPig's
/// parse and word extraction alone (no layout): the fixtures' two-column article (618 letters) and one-paragraph
/// report page.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfTextLayerBenchmarks
{
    private ImageLoader _loader = null!;
    private byte[] _pdf = [];

    /// <summary>The fixture (tests/fixtures/pdf).</summary>
    [Params("digital_two_columns.pdf", "digital_report.pdf")]
    public string File { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        (_loader, _pdf) = (new ImageLoader(new OcrEngineOptions()), Assets.Pdf(File));
    }

    [Benchmark(Baseline = true)]
    public object TextLayer()
    {
        using var document = _loader.Load(_pdf);
        return document.TextLayer(0)!;
    }

    [Benchmark]
    public object WordsOnly()
    {
        using var document = PdfDocument.Open(_pdf);
        return NearestNeighbourWordExtractor.Instance.GetWords(document.GetPage(1).Letters).ToList();
    }
}
