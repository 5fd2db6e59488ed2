using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// A PDF's first page made ready as the engine's first stage makes it (its size for the memory estimate, then its
/// scan decoded and the text over it, or its text layer read): the file opened once (<see cref="ImageLoader.Open"/>,
/// what the engine does) against opened twice, once to size the estimate (<see cref="ImageLoader.Identify"/>) and once
/// to decode (what it did before). The fixtures' one-page receipt scan, two-column born-digital article and two-page scan.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfOpenBenchmarks
{
    private ImageLoader _loader = null!;
    private byte[] _pdf = [];

    /// <summary>The fixture (tests/fixtures/pdf).</summary>
    [Params("scan_receipt_000.pdf", "digital_two_columns.pdf", "scan_two_pages_second_turned.pdf")]
    public string File { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        (_loader, _pdf) = (new ImageLoader(new OcrEngineOptions()), Assets.Pdf(File));
    }

    [Benchmark(Baseline = true)]
    public object OpenedTwice()
    {
        var size = _loader.Identify(_pdf);
        using var document = _loader.Load(_pdf);
        return FirstPage(document) ?? size;
    }

    [Benchmark]
    public object OpenedOnce()
    {
        using var opened = _loader.Open(_pdf);
        var size = opened.PageSize(0);
        using var document = opened.Load();
        return FirstPage(document) ?? size;
    }

    private static object? FirstPage(ImageLoader.DecodedImage document)
    {
        if (document.TextLayer(0) is { } text)
        {
            return text;
        }

        document.Page(0).Release();
        return document.TextOverScan(0);
    }
}
