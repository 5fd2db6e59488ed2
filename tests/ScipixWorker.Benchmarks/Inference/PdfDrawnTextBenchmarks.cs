using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading text drawn as shapes costs (<see cref="OcrEngineOptions.PdfDrawnText"/>): the invoice of
/// tests/fixtures/pdf/outlined_invoice.pdf (page 1, its fonts converted to outlines), read whole; the same page with its
/// fonts, read from its text layer; finding and rendering its block alone (PdfPig's parse, the rasterizer, the PNG); and
/// that PNG read as an image, which is what the models' part costs. Readings of pictures are not kept, so every
/// invocation reads the drawing. The engine's whole path, two threads.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfDrawnTextBenchmarks : IDisposable
{
    private OcrEngine _engine = null!;
    private byte[] _outlined = [];
    private byte[] _source = [];
    private byte[] _rendered = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        options.PictureCacheBytes = 0;
        _engine = new OcrEngine(options);
        _engine.WarmUp();
        using (var file = PdfDocument.Open(Assets.Pdf("outlined_invoice.pdf")))
        {
            var builder = new PdfDocumentBuilder();
            var page = file.GetPage(1);
            builder.AddPage(page.Width, page.Height).CopyFrom(page);
            _outlined = builder.Build();
        }

        _source = Assets.Pdf("outlined_invoice_source.pdf");
        _rendered = Render();
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument FontsFromTheTextLayer() => _engine.Recognize(_source);

    [Benchmark]
    public OcrDocument OutlinedRenderedAndRead() => _engine.Recognize(_outlined);

    [Benchmark]
    public byte[] OutlinedRenderedOnly() => Render();

    [Benchmark]
    public OcrDocument RenderingReadAsAnImage() => _engine.Recognize(_rendered);

    private byte[] Render()
    {
        using var document = PdfDocument.Open(_outlined);
        var page = document.GetPage(1);
        var block = PdfDrawnText.Blocks(page.Paths, [.. page.Letters.Select(l => l.BoundingBox)], 0, 0, page.Width, page.Height).Single();
        return PdfDrawnText.Render(block);
    }
}
