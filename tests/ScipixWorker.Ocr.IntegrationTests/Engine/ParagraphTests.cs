using System.Xml.Linq;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A page's paragraphs (<see cref="OcrPage.Paragraphs"/>), read from real pages whose paragraphs are known: scans printed
/// from groff sources (ground truth one paragraph a line) and a born-digital PDF set from one.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ParagraphTests(EngineFixture fixture)
{
    [Fact]
    public void A_page_in_two_columns_of_indented_paragraphs_splits_into_its_heading_and_each_paragraph()
    {
        var page = Read(Fixtures.Bytes("layout", "two_columns_scan.jpg"));

        AssertParagraphs(Lines(Fixtures.Text("layout", "two_columns_scan.gt.txt")), page);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(90)]
    [InlineData(180)]
    public void Block_paragraphs_set_close_and_a_list_whose_items_hang_split_as_written_whichever_way_the_page_was_scanned(int degrees)
    {
        var scan = Fixtures.Bytes("layout", "paragraphs_scan.jpg");
        if (degrees != 0)
        {
            scan = ImageEdits.Png(scan, x => x.Rotate(degrees));
        }

        var page = Read(scan);

        Assert.Equal(degrees == 0 ? 0 : 360 - degrees, page.Rotation);
        AssertParagraphs(Lines(Fixtures.Text("layout", "paragraphs_scan.gt.txt")), page);
    }

    [Fact]
    public void A_born_digital_article_splits_into_the_paragraphs_its_source_sets()
    {
        var page = Read(Fixtures.Bytes("pdf", "digital_two_columns.pdf"));

        Assert.Equal(PageSource.TextLayer, page.Source);
        // The PDF's lines keep the hyphens groff broke words at ("sys- tems"): a character or two a paragraph.
        AssertParagraphs(SourceParagraphs(Fixtures.Text("pdf", "source", "digital_two_columns.ms")), page);
    }

    [Fact]
    public void HOCR_and_ALTO_nest_the_lines_in_the_same_paragraphs()
    {
        var document = fixture.Engine.Recognize(Fixtures.Bytes("layout", "paragraphs_scan.jpg"), OcrMode.Full, TestContext.Current.CancellationToken);
        var paragraphs = document.Pages[0].Paragraphs;

        var hocr = XDocument.Parse(System.Text.Encoding.UTF8.GetString(HocrWriter.Write(document)));
        var pars = hocr.Descendants().Where(e => (string?)e.Attribute("class") == "ocr_par").ToList();
        Assert.Equal(paragraphs.Select(p => p.LineCount), pars.Select(p => p.Descendants().Count(e => (string?)e.Attribute("class") == "ocr_line")));
        Assert.All(pars, p => Assert.Equal("ocr_carea", (string?)p.Parent!.Attribute("class")));

        XNamespace alto = "http://www.loc.gov/standards/alto/ns-v4#";
        var blocks = XDocument.Parse(System.Text.Encoding.UTF8.GetString(AltoWriter.Write(document))).Descendants(alto + "TextBlock").ToList();
        Assert.Equal(paragraphs.Select(p => p.LineCount), blocks.Select(b => b.Elements(alto + "TextLine").Count()));
    }

    [Fact]
    public void Markdown_gives_the_title_a_heading_the_list_its_items_and_running_text_its_hyphenated_words_whole()
    {
        var scan = MarkdownWriter.Text(fixture.Engine.Recognize(Fixtures.Bytes("layout", "paragraphs_scan.jpg"), OcrMode.Full, TestContext.Current.CancellationToken));
        var article = MarkdownWriter.Text(fixture.Engine.Recognize(Fixtures.Bytes("pdf", "digital_two_columns.pdf"), OcrMode.Full, TestContext.Current.CancellationToken));

        var blocks = scan.Split("\n\n");
        Assert.Equal(7, blocks.Length);
        Assert.Equal("## Keeping a Document Scanner Clean", blocks[0]);
        Assert.Equal(["1. ", "2. ", "3. "], blocks[3..6].Select(b => b[..3]));
        Assert.StartsWith("Cleaning takes a few minutes", blocks[2], StringComparison.Ordinal);
        Assert.DoesNotContain("\n", blocks[1], StringComparison.Ordinal); // a paragraph of prose is one line
        // groff broke "systems", "already" and "instead" across lines; the text layer keeps the hyphens, Markdown does not.
        Assert.StartsWith("## Two Column Article\n\n", article, StringComparison.Ordinal);
        Assert.Contains("Modern systems first find", article, StringComparison.Ordinal);
        Assert.Contains("carry their text already, so a good worker reads that text directly instead of", article, StringComparison.Ordinal);
        Assert.Equal(20, article.TrimEnd().Split("\n\n").Length); // the title and 19 paragraphs
    }

    private OcrPage Read(byte[] file) =>
        fixture.Engine.Recognize(file, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

    // Each paragraph read as its lines joined by spaces, against its ground truth: the same count, each close.
    private static void AssertParagraphs(IReadOnlyList<string> expected, OcrPage page)
    {
        var paragraphs = page.Paragraphs;
        var read = paragraphs.Select(p => string.Join(' ', page.Lines.Skip(p.FirstLine).Take(p.LineCount).Select(l => l.Text))).ToList();
        var shown = string.Join("\n¶ ", read);
        Assert.True(expected.Count == read.Count, $"{read.Count} paragraphs, {expected.Count} expected:\n¶ {shown}");
        Assert.Equal(page.Lines.Count, paragraphs.Sum(p => p.LineCount));
        Assert.Equal(Enumerable.Range(0, paragraphs.Count).Select(i => paragraphs.Take(i).Sum(p => p.LineCount)), paragraphs.Select(p => p.FirstLine));
        for (var i = 0; i < expected.Count; i++)
        {
            var cer = Cer.Of(expected[i], read[i]);
            Assert.True(cer < 0.05, $"paragraph {i + 1} read with CER {cer:P1}: \"{read[i]}\", expected \"{expected[i]}\"\n¶ {shown}");
        }
    }

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    // The paragraphs of a groff -ms source: its title and each .PP/.LP/.IP's text lines joined (an .IP's label first).
    private static List<string> SourceParagraphs(string source)
    {
        var paragraphs = new List<List<string>>();
        foreach (var line in source.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith(".TL", StringComparison.Ordinal) || line.StartsWith(".PP", StringComparison.Ordinal)
                || line.StartsWith(".LP", StringComparison.Ordinal) || line.StartsWith(".IP", StringComparison.Ordinal))
            {
                paragraphs.Add([.. line.Split(' ', 2).Skip(1)]);
            }
            else if (line.Length > 0 && !line.StartsWith('.') && paragraphs.Count > 0)
            {
                paragraphs[^1].Add(line);
            }
        }

        return [.. paragraphs.Select(p => string.Join(' ', p))];
    }
}
