using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading the pictures on a born-digital PDF page costs (<see cref="OcrEngineOptions.PdfPictures"/>): an A4 page of
/// 40 lines of text with receipt 000 (463 x 1013) pasted on it, read with pictures on and off, against the same page
/// without the picture and the receipt read alone as a JPEG. The engine's whole path, models included (two threads).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfPictureBenchmarks : IDisposable
{
    private OcrEngine _engine = null!;
    private OcrEngine _picturesOff = null!;
    private byte[] _textOnly = [];
    private byte[] _withPicture = [];
    private byte[] _receipt = [];

    [GlobalSetup]
    public void Setup()
    {
        // Readings not kept (Ocr:PictureCacheBytes 0): every invocation reads the picture, as a page seen the first time
        // (PictureReadingBenchmarks measures keeping them).
        var options = Assets.Options();
        options.PictureCacheBytes = 0;
        _engine = new OcrEngine(options);
        _picturesOff = new OcrEngine(new OcrEngineOptions { ModelDirectory = Assets.ModelDirectory, PdfPictures = false });
        _engine.WarmUp();
        _picturesOff.WarmUp();
        _receipt = Assets.Bytes(Assets.ReceiptFile);
        _textOnly = Page(picture: null);
        _withPicture = Page(_receipt);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        _picturesOff?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument ReceiptAlone() => _engine.Recognize(_receipt);

    [Benchmark]
    public OcrDocument TextPage() => _engine.Recognize(_textOnly);

    [Benchmark]
    public OcrDocument TextPageWithTheReceipt() => _engine.Recognize(_withPicture);

    [Benchmark]
    public OcrDocument TextPageWithTheReceiptPicturesOff() => _picturesOff.Recognize(_withPicture);

    private static byte[] Page(byte[]? picture)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        for (var line = 0; line < 40; line++)
        {
            page.AddText($"Line {line + 1} of the expense report, with the amounts and the dates of each item claimed.", 9, new PdfPoint(40, 800 - (12 * line)), font);
        }

        if (picture is not null)
        {
            page.AddJpeg(picture, new PdfRectangle(360, 40, 591.5, 546.5));
        }

        return builder.Build();
    }
}
