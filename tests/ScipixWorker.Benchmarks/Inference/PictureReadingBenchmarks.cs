using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What keeping the readings of pictures saves (<see cref="OcrEngineOptions.PictureCacheBytes"/>): a four-page invoice,
/// each page 20 lines of text under a scanned letterhead (receipt 012's header, 747 x 322 JPEG). Read with every picture
/// read each time (0), the first time the document's letterhead comes (a new one each invocation: its JPEG carries another
/// comment, so another SHA-256; the first page's read, the other three take its reading), and once the sender's
/// letterhead is known from earlier documents. The engine's whole path from the file's bytes, two threads.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PictureReadingBenchmarks : IDisposable
{
    private OcrEngine _keeping = null!;
    private OcrEngine _readEachTime = null!;
    private byte[] _letterhead = [];
    private byte[] _known = [];
    private byte[] _new = [];
    private int _invocation;

    [GlobalSetup]
    public void Setup()
    {
        _keeping = new OcrEngine(Assets.Options());
        var off = Assets.Options();
        off.PictureCacheBytes = 0;
        _readEachTime = new OcrEngine(off);
        _keeping.WarmUp();
        _readEachTime.WarmUp();
        _letterhead = Assets.Bytes("receipt_012_top.jpg");
        _known = Invoice(_letterhead);
        _keeping.Recognize(_known); // the sender's letterhead, read once before
    }

    // A letterhead no document had before: the same picture with a comment of its own after the JPEG's start marker.
    [IterationSetup(Target = nameof(LetterheadFirstSeen))]
    public void NewLetterhead()
    {
        var comment = System.Text.Encoding.ASCII.GetBytes($"invoice {++_invocation}");
        byte[] segment = [0xFF, 0xFE, 0, (byte)(comment.Length + 2), .. comment];
        _new = Invoice([.. _letterhead[..2], .. segment, .. _letterhead[2..]]);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _keeping?.Dispose();
        _readEachTime?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument EveryPictureRead() => _readEachTime.Recognize(_known);

    [Benchmark]
    public OcrDocument LetterheadFirstSeen() => _keeping.Recognize(_new);

    [Benchmark]
    public OcrDocument LetterheadKnown() => _keeping.Recognize(_known);

    private static byte[] Invoice(byte[] letterhead)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var number = 1; number <= 4; number++)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddJpeg(letterhead, new PdfRectangle(40, 680, 40 + 373.5, 680 + 161)); // half a point a pixel
            for (var line = 0; line < 20; line++)
            {
                page.AddText($"Page {number}, item {line + 1}: the goods delivered, their quantity and their price.", 9, new PdfPoint(40, 640 - (14 * line)), font);
            }
        }

        return builder.Build();
    }
}
