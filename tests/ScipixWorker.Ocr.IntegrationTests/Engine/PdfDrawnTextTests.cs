using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Text drawn as shapes on a born-digital page (fonts converted to outlines: Ghostscript's <c>-dNoOutputFonts</c> here)
/// is rendered and read by the models (<see cref="OcrEngineOptions.PdfDrawnText"/>). The reference is the same page with
/// its fonts, read from its text layer (tests/fixtures/pdf/outlined_invoice_source.pdf).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfDrawnTextTests(EngineFixture fixture)
{
    private static readonly byte[] Outlined = Fixtures.Bytes("pdf", "outlined_invoice.pdf"); // page 2: the same, shown sideways
    private static readonly byte[] Source = Fixtures.Bytes("pdf", "outlined_invoice_source.pdf");

    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

    private static string Words(string text) => string.Join(' ', text.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    [Fact]
    public void A_page_of_outlined_text_reads_as_the_same_page_with_its_fonts()
    {
        var source = Assert.Single(Read(Source).Pages);

        var read = Read(Outlined);

        Assert.Equal(2, read.Pages.Count);
        foreach (var page in read.Pages)
        {
            Assert.Equal((PageSource.TextLayer, 1, 1), (page.Source, page.Pictures, page.Lines.Count > 8 ? 1 : 0));
            Assert.True(Cer.Of(Words(source.Text), Words(page.Text)) < 0.01, $"{source.Text}\n---\n{page.Text}");
            Assert.All(page.Lines, l => Assert.True(l.Confidence is > 0.5f and < 1f, $"{l.Text}: {l.Confidence}")); // the models', not the file's
            Assert.Contains("Invoice 2026-0042", page.Text.Split('\n'));
            // The table is read row by row, as a scan of the page would be.
            Assert.Contains(page.Text.Split('\n'), l => l.StartsWith("Black toner cartridge TN-2420", StringComparison.Ordinal) && l.EndsWith("138.00", StringComparison.Ordinal));
        }

        Assert.Equal([(595, 842), (842, 595)], read.Pages.Select(p => (p.Width, p.Height))); // A4, the second shown sideways
        // Page 1's lines lie where the source's letters do, in points from the top-left corner.
        var line = read.Pages[0].Lines.Single(l => l.Text == "Invoice 2026-0042");
        var letters = SourceWord("Invoice");
        Assert.InRange(line.Box.MinX, letters.Left - 4, letters.Left + 2);
        Assert.InRange(line.Box.MinY, 842 - letters.Top - 4, 842 - letters.Top + 2);
        Assert.True(read.Pages[0].Timings.Detect > TimeSpan.Zero && read.Pages[0].Timings.Recognize > TimeSpan.Zero);
    }

    [Fact]
    public void Outlined_text_between_the_pages_own_lines_takes_its_place_among_them()
    {
        using var outlined = PdfDocument.Open(Outlined);
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.CopyFrom(outlined.GetPage(1));
        // Under the table's last row, above the total (the gap between them, where the source has its letters).
        var between = (SourceWord("Ring").Bottom + SourceWord("Total").Top) / 2;
        page.AddText("Approved for payment, 1 December 2026", 8, new PdfPoint(300, between - 3), font);
        page.AddText("Page 1 of 1", 8, new PdfPoint(290, 40), font);

        var pdf = builder.Build();
        var read = Assert.Single(Read(pdf).Pages);

        var lines = read.Text.Split('\n');
        var approved = Array.IndexOf(lines, "Approved for payment, 1 December 2026");
        Assert.InRange(approved, 1, lines.Length - 3);
        Assert.Contains(lines[..approved], l => l.StartsWith("Ring binders, blue", StringComparison.Ordinal));
        Assert.Contains(lines[approved..], l => l.StartsWith("Total due: 345.30 GBP", StringComparison.Ordinal));
        Assert.Equal("Page 1 of 1", lines[^1]);
        Assert.Equal(2, read.Pictures); // above the page's own line, and below it
        Assert.Equal(1f, read.Lines.Single(l => l.Text == "Page 1 of 1").Confidence);
    }

    [Fact]
    public async Task Pipelined_reading_gives_the_same_text_and_turned_off_the_page_is_empty_as_before()
    {
        using var off = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, PdfDrawnText = false });

        var whole = Read(Outlined);
        var pipelined = await fixture.Engine.RecognizeAsync(Outlined, OcrMode.Full, TestContext.Current.CancellationToken);
        var without = off.Recognize(Outlined, OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal(2, pipelined.Pages.Count);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(Cer.Of(whole.Pages[i].Text, pipelined.Pages[i].Text) < 0.02, $"{whole.Pages[i].Text}\n---\n{pipelined.Pages[i].Text}");
        }

        Assert.All(without.Pages, p => Assert.Equal((0, 0, string.Empty), (p.Lines.Count, p.Pictures, p.Text)));
    }

    [Fact]
    public async Task A_qr_code_drawn_with_vectors_on_an_outlined_page_is_read_once_when_barcodes_are_asked_for()
    {
        const string Payment = "BCD\n002\n1\nSCT\n\nNorthwind Office Supplies Ltd\nGB29NWBK60161331926819\nGBP345.30\n\n\nINVOICE 2026-0042";
        using var outlined = PdfDocument.Open(Outlined);
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.CopyFrom(outlined.GetPage(1));
        var qr = new ZXing.QrCode.QRCodeWriter().encode(Payment, ZXing.BarcodeFormat.QR_CODE, 0, 0);
        for (var y = 0; y < qr.Height; y++)
        {
            for (var x = 0; x < qr.Width; x++)
            {
                if (qr[x, y])
                {
                    page.DrawRectangle(new PdfPoint(420 + (x * 1.5), 100 + ((qr.Height - 1 - y) * 1.5)), 1.5, 1.5, 0, fill: true); // a module a rectangle
                }
            }
        }

        var pdf = builder.Build();

        var read = Assert.Single(fixture.Engine.Recognize(pdf, OcrMode.Full, OcrExtras.Barcodes, TestContext.Current.CancellationToken).Pages);
        var pipelined = Assert.Single((await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, PageRange.All, OcrExtras.Barcodes, TestContext.Current.CancellationToken)).Pages);
        var without = Assert.Single(Read(pdf).Pages);

        foreach (var withCodes in new[] { read, pipelined })
        {
            var code = Assert.Single(withCodes.Barcodes);
            Assert.Equal(("QR_CODE", Payment), (code.Format, code.Text));
            Assert.InRange(code.Box.MinX, 405, 430); // the code (in a quiet zone of 4 modules) lies from 426 points across, its foot 736 points from the top
            Assert.InRange(code.Box.MaxY, 725, 760);
            Assert.True(withCodes.Timings.Detect > TimeSpan.Zero);
        }

        Assert.Empty(without.Barcodes);
        Assert.Contains("Invoice 2026-0042", read.Text.Split('\n'));
        Assert.Equal(read.Text, without.Text);
    }

    [Fact]
    public void Text_stroked_as_outlines_is_read_too()
    {
        // A drawing's title block: three lines of Helvetica whose glyph outlines are stroked with a thin pen (hollow
        // letters), each line one path of many subpaths (tests/fixtures/pdf/source/stroked_text.ps).
        var read = Assert.Single(Read(Fixtures.Bytes("pdf", "stroked_text.pdf")).Pages);

        var lines = read.Text.Split('\n');
        Assert.Equal(3, lines.Length);
        Assert.Equal("Drawing No. 4711-B Rev 3", lines[0]);
        Assert.Equal("GEARBOX HOUSING", lines[2]);
        Assert.True(Cer.Of("Scale 1:50 Sheet 2 of 7", lines[1]) <= 0.1, lines[1]);
        Assert.Equal(1, read.Pictures);
    }

    // Where the source's first such word lies: its left edge, its top and its foot, in points from the bottom-left corner.
    private static (double Left, double Top, double Bottom) SourceWord(string word)
    {
        using var document = PdfDocument.Open(Source);
        var found = document.GetPage(1).GetWords().First(w => w.Text == word);
        return (found.BoundingBox.Left, found.BoundingBox.Top, found.BoundingBox.Bottom);
    }
}
