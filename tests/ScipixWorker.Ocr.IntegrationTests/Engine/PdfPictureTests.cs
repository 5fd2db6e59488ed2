using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using ZXing;
using ZXing.Common;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The pictures on a born-digital PDF page (a pasted screenshot or photo of a document, a line of text set as an image)
/// are read by the models beside the page's own text (<see cref="OcrEngineOptions.PdfPictures"/>): their lines, in points,
/// join the page's reading order. What a picture should read is what the engine reads from the same image file alone.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfPictureTests(EngineFixture fixture)
{
    // receipt_012_top.jpg is 747 x 322 pixels: set at half a point a pixel.
    private static readonly PdfRectangle ScreenshotPlace = new(50, 450, 50 + 373.5, 450 + 161);

    private OcrDocument Read(byte[] file, OcrExtras extras = OcrExtras.None) =>
        fixture.Engine.Recognize(file, OcrMode.Full, extras, TestContext.Current.CancellationToken);

    [Fact]
    public void Picture_between_paragraphs_is_read_between_them_in_points()
    {
        var picture = Fixtures.Bytes("sroie", "receipt_012_top.jpg");
        var alone = Assert.Single(Read(picture).Pages);
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        page.AddText("The supplier's receipt, as scanned:", 11, new PdfPoint(50, 640), font);
        page.AddJpeg(picture, ScreenshotPlace);
        page.AddText("Please refund the amount above.", 11, new PdfPoint(50, 420), font);

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((PageSource.TextLayer, 595, 842, 1), (read.Source, read.Width, read.Height, read.Pictures));
        Assert.Equal($"The supplier's receipt, as scanned:\n{alone.Text}\nPlease refund the amount above.", read.Text);
        Assert.Contains("HOME MASTER", alone.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(alone.Lines.Count + 2, read.Lines.Count);
        Assert.Equal(1f, read.Lines[0].Confidence);
        Assert.Equal(1f, read.Lines[^1].Confidence);
        Assert.True(read.Timings.Detect > TimeSpan.Zero && read.Timings.Recognize > TimeSpan.Zero, $"{read.Timings}");

        // Each picture line is the line read alone, moved from its pixels to the page's points (half a point a pixel, from
        // the picture's top-left corner at (50, 842 - 611) on the page as shown), its words with it.
        var (left, top) = (50f, 842f - 611f);
        for (var i = 0; i < alone.Lines.Count; i++)
        {
            var (own, placed) = (alone.Lines[i], read.Lines[i + 1]);
            Assert.Equal((own.Text, own.Confidence), (placed.Text, placed.Confidence));
            Assert.Equal(left + (own.Box.TopLeft.X / 2), placed.Box.TopLeft.X, 0.01f);
            Assert.Equal(top + (own.Box.BottomRight.Y / 2), placed.Box.BottomRight.Y, 0.01f);
            Assert.Equal(own.Words.Count, placed.Words.Count);
            Assert.All(placed.Words, w => Assert.InRange(w.Box.MinX, placed.Box.MinX - 0.01f, placed.Box.MaxX + 0.01f));
        }
    }

    [Fact]
    public async Task Pipelined_reading_gives_the_same_page_as_reading_in_one_call()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        builder.AddPage(PageSize.A4).AddText("Cover page", 12, new PdfPoint(50, 700), font);
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Attachment", 12, new PdfPoint(50, 700), font);
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), ScreenshotPlace);
        page.AddPng(Fixtures.Bytes("sroie", "line_111_019.png"), new PdfRectangle(50, 300, 152.5, 326));
        var pdf = builder.Build();

        var whole = Read(pdf);
        var pipelined = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

        // The same lines in the same places; their readings may differ by a character where the batches pad them differently.
        Assert.Equal(whole.Pages[1].Lines.Select(l => l.Box), pipelined.Pages[1].Lines.Select(l => l.Box));
        Assert.True(Cer.Of(whole.Pages[1].Text, pipelined.Pages[1].Text) < 0.02, $"{whole.Pages[1].Text}\n---\n{pipelined.Pages[1].Text}");
        Assert.Equal("Cover page", pipelined.Pages[0].Text);
        Assert.Equal([0, 2], pipelined.Pages.Select(p => p.Pictures));
        Assert.Equal([0, 2], whole.Pages.Select(p => p.Pictures));
        // The line set as an image, under the screenshot, is read whole and last.
        var line = Assert.Single(Read(Fixtures.Bytes("sroie", "line_111_019.png")).Pages).Text;
        Assert.EndsWith("\n" + line, pipelined.Pages[1].Text, StringComparison.Ordinal);
        Assert.StartsWith("Attachment\n", pipelined.Pages[1].Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Picture_beside_a_column_of_text_follows_the_lines_that_start_above_its_foot()
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        for (var row = 0; row < 4; row++)
        {
            page.AddText($"Left column line {row + 1}", 10, new PdfPoint(40, 600 - (14 * row)), font); // 600..558, beside the picture
        }

        page.AddText("Under both", 10, new PdfPoint(40, 480), font);
        page.AddPng(Fixtures.Bytes("sroie", "line_111_019.png"), new PdfRectangle(300, 560, 402.5, 586)); // right of the column

        var read = Assert.Single(Read(builder.Build()).Pages);

        var lines = read.Text.Split('\n');
        Assert.Equal(6, lines.Length);
        Assert.Equal(["Left column line 1", "Left column line 2", "Left column line 3", "Left column line 4"], lines[..4]);
        Assert.Equal("Under both", lines[5]);
        Assert.InRange(read.Lines[4].Box.MinX, 299, 403);
    }

    [Fact]
    public void Page_of_photos_without_text_is_read_from_its_photos_top_first()
    {
        var photo = Fixtures.Bytes("sroie", "receipt_012_top.jpg");
        var line = Fixtures.Bytes("sroie", "line_111_019.png");
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddPng(line, new PdfRectangle(295, 0, 500, 52)); // at the foot
        page.AddJpeg(photo, new PdfRectangle(0, 600, 300, 729)); // at the top

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal(PageSource.TextLayer, read.Source);
        Assert.Equal($"{Read(photo).Pages[0].Text}\n{Read(line).Pages[0].Text}", read.Text);
    }

    [Fact]
    public void Page_whose_only_pictures_are_too_small_to_hold_text_is_refused()
    {
        using var icon = new Image<Rgb24>(12, 12, Color.Black);
        using var png = new MemoryStream();
        icon.SaveAsPng(png);
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddPng(png.ToArray(), new PdfRectangle(100, 100, 112, 112));

        var failure = Assert.Throws<OcrException>(() => Read(builder.Build()));

        Assert.Equal(OcrErrorCode.UnsupportedFormat, failure.Code);
        Assert.Contains("Page 1 of the PDF has neither text nor a scanned image", failure.Message, StringComparison.Ordinal);
        Assert.Contains("nor a picture the worker reads (at least 16 pixels a side", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Qr_code_in_a_picture_is_read_with_its_box_in_points()
    {
        const string Content = "SPC\n0200\n1\nCH4431999123000889012\nINVOICE 2026-0042";
        var qr = new BarcodeWriterPixelData
        {
            Format = BarcodeFormat.QR_CODE,
            Options = new EncodingOptions { Width = 300, Height = 300, Margin = 0 },
        }.Write(Content);
        using var code = Image.LoadPixelData<Bgra32>(qr.Pixels, qr.Width, qr.Height);
        using var png = new MemoryStream();
        code.CloneAs<Rgb24>().SaveAsPng(png);
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Scan to pay", 12, new PdfPoint(400, 300), builder.AddStandard14Font(Standard14Font.Helvetica));
        page.AddPng(png.ToArray(), new PdfRectangle(400, 150, 500, 250)); // 100 points square, 592-692 points from the top

        var pdf = builder.Build();

        var read = Assert.Single(Read(pdf, OcrExtras.Barcodes).Pages);
        var without = Assert.Single(Read(pdf).Pages);

        var found = Assert.Single(read.Barcodes);
        Assert.Equal(("QR_CODE", Content), (found.Format, found.Text));
        // Round the code, within a few modules (as BarcodeScannerTests allow in pixels).
        Assert.InRange(found.Box.MinX, 394, 409);
        Assert.InRange(found.Box.MaxX, 491, 506);
        Assert.InRange(found.Box.MinY, 586, 601);
        Assert.InRange(found.Box.MaxY, 683, 698);
        Assert.Empty(without.Barcodes);
        Assert.Equal((1, 1), (read.Pictures, without.Pictures)); // read, though it held no text
        Assert.Equal(["Scan to pay"], read.Lines.Select(l => l.Text)); // the code's modules read as no text
    }

    [Fact]
    public void A_jpeg_picture_with_a_soft_mask_is_read_as_a_viewer_shows_it()
    {
        // A line of print stored as a logo with a transparent ground often is: its colours black all over (what lies under
        // the transparent ground does not show), the ink where its soft mask is opaque. Read without the mask, the picture
        // is a black rectangle.
        var line = Fixtures.Bytes("sroie", "line_111_019.png");
        using var source = Image.Load<L8>(line);
        var opacity = new byte[source.Width * source.Height];
        source.CopyPixelDataTo(opacity);
        for (var i = 0; i < opacity.Length; i++)
        {
            opacity[i] = (byte)(opacity[i] < 128 ? 255 : 0); // the ink opaque, the paper transparent
        }

        using var black = new Image<Rgb24>(source.Width, source.Height, Color.Black);
        using var jpeg = new MemoryStream();
        black.SaveAsJpeg(jpeg);
        var pdf = HandMadePdf.TextAndSoftMaskedJpeg(jpeg.ToArray(), source.Width, source.Height, opacity);

        var read = Assert.Single(Read(pdf).Pages);

        var alone = Assert.Single(Read(line).Pages).Text;
        Assert.Equal(1, read.Pictures);
        Assert.Equal("A logo with a transparent ground:", read.Lines[0].Text);
        var picture = read.Text[(read.Text.IndexOf('\n', StringComparison.Ordinal) + 1)..];
        Assert.True(Cer.Of(alone, picture) <= 0.1, $"{alone}\n---\n{picture}");
    }

    [Fact]
    public async Task With_pictures_off_a_page_is_its_text_alone_and_a_page_of_pictures_is_refused()
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, PdfPictures = false });
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Letterhead", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), ScreenshotPlace);
        builder.AddPage(PageSize.A4).AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), ScreenshotPlace);
        var pdf = builder.Build();

        var failure = Assert.Throws<OcrException>(() => engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken));
        var first = Assert.Single((await engine.RecognizeAsync(pdf, OcrMode.Full, new PageRange(0, 1), TestContext.Current.CancellationToken)).Pages);

        Assert.Equal("Letterhead", first.Text);
        Assert.Contains("Page 2 of the PDF has neither text nor a scanned image", failure.Message, StringComparison.Ordinal);
        Assert.Contains("(Ocr:PdfPictures is off)", failure.Message, StringComparison.Ordinal);
    }
}
