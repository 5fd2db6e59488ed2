using BenchmarkDotNet.Attributes;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// A page's paragraphs and its Markdown at scale: a page of <see cref="Lines"/> lines of one flush column at one pitch, one
/// paragraph (the worst case: every row measured against the paragraph so far), as a born-digital page of a long
/// table or a dense listing gives.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class ParagraphBenchmarks
{
    private OcrPage _page = null!;

    [Params(100, 1_000, 10_000)]
    public int Lines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var lines = Enumerable.Range(0, Lines)
            .Select(i => new RecognizedLine("a row of words as a listing has them", 1f, Quad.FromRectangle(50, i * 12, 500, 10)))
            .ToList();
        _page = new OcrPage(1, 612, Lines * 12, lines, string.Empty, OcrTimings.Zero);
    }

    [Benchmark]
    public int Paragraphs() => _page.Paragraphs.Count;

    [Benchmark]
    public int Markdown() => MarkdownWriter.Text(new OcrDocument([_page])).Length;
}
