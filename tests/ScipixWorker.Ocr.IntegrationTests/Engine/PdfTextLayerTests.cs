using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A born-digital PDF page (no scan) is read from the text it carries: lines in reading order, boxes in points on the
/// page as shown. Fixtures: groff documents made into PDFs by Ghostscript's ps2pdf, as tests/fixtures/README.md says;
/// their sources are in tests/fixtures/pdf/source.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfTextLayerTests(EngineFixture fixture)
{
    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

    [Fact]
    public void Born_digital_page_is_read_from_its_text_in_reading_order()
    {
        var document = Read(Fixtures.Bytes("pdf", "digital_report.pdf"));

        var page = document.Pages[0];
        Assert.Equal(("pdf", PageSource.TextLayer), (document.Format, page.Source));
        Assert.Equal((595, 842), (page.Width, page.Height)); // A4 in points
        Assert.Equal(
            "Quarterly Report\n" +
            "Invoice No. 2026-0042 dated 3 December 2026. The total amount due is EUR 1,234.56 payable\n" +
            "within 30 days.\n" +
            "Second paragraph: the quick brown fox jumps over the lazy dog.",
            page.Text);
        Assert.Equal(page.Text.Split('\n'), page.Lines.Select(l => l.Text));
        Assert.All(page.Lines, l => Assert.Equal(1f, l.Confidence));
        Assert.Equal(0, page.Timings.Recognize.Ticks); // no model ran
        // Boxes on the page, top to bottom, upright (12 pt title, 10 pt body: boxes 5-12 points high).
        var tops = page.Lines.Select(l => l.Box.MinY).ToList();
        Assert.Equal(tops.Order(), tops);
        Assert.All(page.Lines, l =>
        {
            Assert.InRange(l.Box.MinX, 0, 595);
            Assert.InRange(l.Box.MaxX, l.Box.MinX, 595);
            Assert.InRange(l.Box.MaxY - l.Box.MinY, 5, 12);
            Assert.True(l.Box.TopLeft.X < l.Box.TopRight.X && l.Box.TopLeft.Y < l.Box.BottomLeft.Y, $"{l.Text}: {l.Box}");
        });
        Assert.InRange(page.Lines[0].Box.MinY, 100, 130); // the title, near the top (groff's 1 inch margin)
    }

    [Fact]
    public void Page_shown_turned_has_its_text_boxes_turned_with_it()
    {
        var page = Read(Fixtures.Bytes("pdf", "digital_report.pdf")).Pages[1]; // /Rotate 90: portrait text shown sideways

        Assert.Equal((842, 595), (page.Width, page.Height));
        var line = Assert.Single(page.Lines, l => l.Text.StartsWith("Page two", StringComparison.Ordinal));
        Assert.Equal("Page two begins here with a short line.", line.Text);
        // Read from the top of the page down; the tops of its letters face right.
        Assert.True(line.Box.MaxY - line.Box.MinY > 5 * (line.Box.MaxX - line.Box.MinX), line.Box.ToString());
        Assert.True(line.Box.TopRight.Y > line.Box.TopLeft.Y, line.Box.ToString());
        Assert.True(line.Box.TopLeft.X > line.Box.BottomLeft.X, line.Box.ToString());
    }

    [Fact]
    public void Two_columns_are_read_one_after_the_other_with_ligatures_spelled_out()
    {
        var source = Fixtures.Text("pdf", "source", "digital_two_columns.ms");
        var expected = string.Join(' ', source.Split('\n').Where(l => l.Length > 0 && l[0] != '.'));

        var page = Assert.Single(Read(Fixtures.Bytes("pdf", "digital_two_columns.pdf")).Pages);

        // groff hyphenates at line ends ("sys-\ntems"); joined back, the lines are the source's words in order.
        var read = string.Join(' ', page.Text.Split('\n')).Replace("- ", string.Empty, StringComparison.Ordinal);
        Assert.True(Cer.Of(expected, read) == 0, $"{expected}\n{read}");
        Assert.StartsWith("Two Column Article\n", page.Text, StringComparison.Ordinal);
        Assert.DoesNotContain('\uFB01', page.Text); // groff sets "fi" as a ligature
        var last = page.Lines[^1];
        Assert.True(last.Box.MinX > 595 / 2, "the last paragraph is in the right-hand column");
    }

    [Fact]
    public void Scanned_and_born_digital_pages_mix_in_one_document()
    {
        var document = Read(Fixtures.Bytes("pdf", "mixed_scan_then_text.pdf"));

        Assert.Equal([PageSource.Image, PageSource.TextLayer], document.Pages.Select(p => p.Source));
        Assert.Equal((463, 1013), (document.Pages[0].Width, document.Pages[0].Height));
        Assert.True(Cer.Of(Fixtures.Text("sroie", "receipt_000.gt.txt"), document.Pages[0].Text, caseInsensitive: true) <= 0.25, document.Pages[0].Text);
        Assert.StartsWith("Quarterly Report\n", document.Pages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_reads_give_text_layer_pages_without_queuing_crops()
    {
        var pdf = Fixtures.Bytes("pdf", "mixed_scan_then_text.pdf");
        var whole = Read(pdf);

        var textOnly = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, new PageRange(1, 1), TestContext.Current.CancellationToken);
        var both = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

        var page = Assert.Single(textOnly.Pages);
        Assert.Equal((2, PageSource.TextLayer, 2), (page.PageNumber, page.Source, textOnly.SourcePages));
        Assert.Equal(whole.Pages[1].Text, page.Text);
        Assert.Equal([PageSource.Image, PageSource.TextLayer], both.Pages.Select(p => p.Source));
        Assert.Equal(whole.Pages[1].Text, both.Pages[1].Text);
        Assert.Contains("TD01167104", both.Pages[0].Text, StringComparison.Ordinal); // the scan, read by the models
    }

    [Fact]
    public void Picture_shown_small_is_read_in_its_own_pixels_after_the_text_above_it()
    {
        var receipt = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Letterhead", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        page.AddJpeg(receipt, new PdfRectangle(50, 50, 150, 270)); // a whole receipt scan, shown logo-sized

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal(("Letterhead\n" + Assert.Single(Read(receipt).Pages).Text, PageSource.TextLayer), (read.Text, read.Source));
    }

    [Fact]
    public void Text_drawn_twice_for_bold_is_read_once()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.AddText("TOTAL DUE", 12, new PdfPoint(50, 700), font);
        page.AddText("TOTAL DUE", 12, new PdfPoint(50, 700), font); // overprinted, as some writers fake bold

        Assert.Equal("TOTAL DUE", Assert.Single(Read(builder.Build()).Pages).Text);
    }

    [Fact]
    public void Blank_page_is_an_empty_page()
    {
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddText("Cover", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        builder.AddPage(PageSize.A4);

        var document = Read(builder.Build());

        Assert.Equal(["Cover", string.Empty], document.Pages.Select(p => p.Text));
        Assert.Empty(document.Pages[1].Lines);
        Assert.Equal(PageSource.TextLayer, document.Pages[1].Source);
    }

    [Fact]
    public void Text_whose_font_maps_to_no_characters_is_refused()
    {
        var failure = Assert.Throws<OcrException>(() => Read(HandMadePdf.OneTextPageWithoutUnicode("Invoice 20817")));

        Assert.Equal(OcrErrorCode.UnsupportedFormat, failure.Code);
        Assert.Contains("Page 1 of the PDF has a text layer whose fonts map 13 of its 13 glyphs to no Unicode text", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Page_drawing_more_characters_than_allowed_is_refused_before_it_is_parsed()
    {
        // A million characters in a 3 KB file: (aaa...) Tj a thousand times, deflated.
        var line = "(" + new string('a', 1000) + ") Tj 0 -1 Td\n";
        var content = System.Text.Encoding.ASCII.GetBytes("BT /F1 1 Tf 10 800 Td\n" + string.Concat(Enumerable.Repeat(line, 1000)) + "ET\n");
        var bomb = HandMadePdf.TextPage(content, deflate: true);
        Assert.True(bomb.Length < 4096, $"{bomb.Length} bytes");
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var failure = Assert.Throws<OcrException>(() => Read(bomb));

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.Contains("Page 1 of the PDF draws more than 100000 characters", failure.Message, StringComparison.Ordinal);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64L << 20, "the page was parsed");
    }

    [Fact]
    public void Page_with_more_drawing_operations_than_allowed_is_refused_before_it_is_parsed()
    {
        // A million line segments in 44 KB: PdfPig took 7 s and 840 MB to parse it.
        var content = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("10 10 m 20 20 l S\n", 1_000_000)));
        var bomb = HandMadePdf.TextPage(content, deflate: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var failure = Assert.Throws<OcrException>(() => Read(bomb));

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.Contains("Page 1 of the PDF has more than 300000 drawing operations", failure.Message, StringComparison.Ordinal);
        // The 18 MB stream is inflated to be counted (PdfPig's decoder grows its buffer by doubling); parsing it took 840 MB.
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 128L << 20, "the page was parsed");
    }

    [Fact]
    public void Form_drawn_many_times_counts_each_time()
    {
        // One form of 1,000 characters, drawn 300 times: 300,000 characters from a page of 3 KB.
        var form = "BT /F1 1 Tf 10 800 Td (" + new string('a', 1000) + ") Tj ET";
        var page = System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("q /Fm1 Do Q\n", 300)));
        var limited = fixture.Options.Copy();

        var refused = Assert.Throws<OcrException>(() =>
        {
            using var document = new ImageLoader(limited).Load(HandMadePdf.TextPage(page, form: form));
            document.TextLayer(0);
        });
        limited.MaxPdfPageCharacters = 300_000;
        using var allowed = new ImageLoader(limited).Load(HandMadePdf.TextPage(page[..(12 * 3)], form: form)); // three times
        var read = allowed.TextLayer(0)!;

        Assert.Equal(OcrErrorCode.ImageTooLarge, refused.Code);
        Assert.Equal(1000, read.Text.Length); // drawn three times in one place: read once
    }

    [Fact]
    public void Identify_reports_a_text_page_in_points()
    {
        var (format, width, height) = new ImageLoader(fixture.Options).Identify(Fixtures.Bytes("pdf", "digital_report.pdf"));

        Assert.Equal(("PDF", 595, 842), (format.Name, width, height));
    }
}
