using System.Text;
using System.Text.RegularExpressions;
using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading text whose font names no glyphs costs (<see cref="PdfUnmappedGlyphs"/>): a page of 29 lines of the
/// two-column article's text (cut every 85 characters) (tests/fixtures/pdf/source/digital_two_columns.ms) set in DejaVu Sans 10.5 pt, embedded as a
/// subset by PdfPig's builder, read with its ToUnicode map (from the text layer) and without it (the glyphs drawn from
/// their outlines, rendered and read by the models); and finding and drawing the outlines alone (the letters' outlines
/// placed, the block found and rendered to PNG). Readings of pictures are not kept. The engine's whole path, two threads.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public partial class PdfUnmappedFontBenchmarks : IDisposable
{
    private OcrEngine _engine = null!;
    private byte[] _mapped = [];
    private byte[] _unmapped = [];

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        options.PictureCacheBytes = 0;
        _engine = new OcrEngine(options);
        _engine.WarmUp();
        var folder = Path.GetDirectoryName(Assets.FixtureDirectory)!;
        var text = File.ReadAllLines(Path.Combine(folder, "pdf", "source", "digital_two_columns.ms")).Where(l => !l.StartsWith('.'));
        var builder = new PdfDocumentBuilder();
        var font = builder.AddTrueTypeFont(File.ReadAllBytes(Path.Combine(folder, "fonts", "DejaVuSans.ttf")));
        var page = builder.AddPage(PageSize.A4);
        var y = 780.0;
        foreach (var line in text.SelectMany(l => l.Chunk(85)).Select(c => new string(c)))
        {
            page.AddText(line, 10.5, new PdfPoint(50, y), font);
            y -= 15;
        }

        _mapped = builder.Build();
        _unmapped = Encoding.Latin1.GetBytes(ToUnicode().Replace(Encoding.Latin1.GetString(_mapped), m => new string(' ', m.Length)));
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument MappedFromTheTextLayer() => _engine.Recognize(_mapped);

    [Benchmark]
    public OcrDocument UnmappedDrawnAndRead() => _engine.Recognize(_unmapped);

    [Benchmark]
    public byte[] UnmappedDrawnOnly() => Assets.DrawUnnamedLetters(_unmapped);

    [GeneratedRegex(@"/ToUnicode \d+ 0 R")]
    private static partial Regex ToUnicode();
}
