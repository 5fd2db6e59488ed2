using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading text in a Type 3 bitmap font costs (<see cref="PdfType3Glyphs"/>): a letter-size page of the two-column
/// article's 22 paragraphs (tests/fixtures/pdf/source/digital_two_columns.ms, a paragraph a line) set by
/// scripts/type3-bitmap-pdf.py in a Type 3 font of Times-Roman bitmaps at 300 dpi (CCITT G4 image masks) named as TeX's
/// PK fonts are (read as dingbats: tests/fixtures/pdf/type3_bitmap_article.pdf). Read as the file names it (dingbats, as
/// before: Ocr:PdfDrawnText off), drawn and read, and drawn alone (the glyphs traced and placed, the block found and
/// rendered to PNG). Readings of pictures are not kept. The engine's whole path, two threads.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfType3FontBenchmarks : IDisposable
{
    private OcrEngine _engine = null!;
    private OcrEngine _asNamed = null!;
    private byte[] _pdf = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        options.PictureCacheBytes = 0;
        _engine = new OcrEngine(options);
        _engine.WarmUp();
        var named = Assets.Options();
        named.PdfDrawnText = false;
        _asNamed = new OcrEngine(named);
        _pdf = Assets.Pdf("type3_bitmap_article.pdf");
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        _asNamed?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument ReadAsNamed() => _asNamed.Recognize(_pdf);

    [Benchmark]
    public OcrDocument DrawnAndRead() => _engine.Recognize(_pdf);

    [Benchmark]
    public byte[] DrawnOnly() => Assets.DrawUnnamedLetters(_pdf);
}
