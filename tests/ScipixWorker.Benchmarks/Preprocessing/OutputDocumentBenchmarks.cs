using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The documents a job can ask for beside its result (<c>options.outputs</c>), made from the receipt's result read once
/// beforehand: hOCR, ALTO, Markdown, and the searchable PDF with the JPEG as it is and with the same page as a PNG (decoded
/// again and encoded as JPEG); and the page's paragraphs found from its lines (which the result, hOCR, ALTO and Markdown
/// each find once).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class OutputDocumentBenchmarks
{
    private readonly OcrEngineOptions _options = Assets.Options();
    private byte[] _jpeg = [];
    private byte[] _png = [];
    private OcrDocument _document = null!;

    [GlobalSetup]
    public void Setup()
    {
        _jpeg = Assets.Bytes(Assets.ReceiptFile);
        using (var image = Image.Load(_jpeg))
        using (var png = new MemoryStream())
        {
            image.SaveAsPng(png);
            _png = png.ToArray();
        }

        using var engine = new OcrEngine(_options);
        _document = engine.Recognize(_jpeg);
    }

    [Benchmark]
    public int Hocr() => HocrWriter.Write(_document, Assets.ReceiptFile).Length;

    [Benchmark]
    public int Alto() => AltoWriter.Write(_document, Assets.ReceiptFile).Length;

    [Benchmark]
    public int Markdown() => MarkdownWriter.Write(_document).Length;

    [Benchmark]
    public int Paragraphs() => _document.Pages[0].Paragraphs.Count;

    [Benchmark]
    public long PdfFromJpeg() => Pdf(_jpeg);

    [Benchmark]
    public long PdfFromPng() => Pdf(_png);

    private long Pdf(byte[] source)
    {
        using var output = new MemoryStream();
        SearchablePdf.Write(source, _document, _options, output);
        return output.Length;
    }
}
