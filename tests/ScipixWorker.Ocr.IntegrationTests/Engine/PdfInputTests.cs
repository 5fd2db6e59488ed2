using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Graphics.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Scanned PDFs are read page by page from their scans (fixtures made by ImageMagick and qpdf, as
/// tests/fixtures/README.md says); what a PDF cannot give fails with a typed error naming the page. Pages without a
/// scan: <see cref="PdfTextLayerTests"/>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfInputTests(EngineFixture fixture)
{
    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

    [Theory]
    [InlineData("/MediaBox 6 0 R /Resources << /Font << /F1 5 0 R >> >>", "7 0 R", "6 0 R")] // the media box
    [InlineData("/MediaBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >>", "7 0 R", "[6 0 R]")] // a font, through an array of one
    [InlineData("/MediaBox [0 0 612 792] /Resources 6 0 R", "7 0 R", "% a comment\n 6 0 R")] // the resources
    public void Objects_that_are_only_references_to_one_another_in_a_loop_are_refused_as_damaged(string pageEntries, string six, string seven)
    {
        // PdfPig follows such a chain by recursion where a page resolves the value: through the build before, each of
        // these 700-byte files ended the process in a stack overflow (docs/benchmarks.md).
        var pdf = HandMadePdf.Objects(
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ($"<< /Type /Page /Parent 2 0 R {pageEntries} /Contents 4 0 R >>", null),
            ("<< >>", "BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null),
            (six, null),
            (seven, null));

        var error = Assert.Throws<OcrException>(() => Read(pdf));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("6 0 R, 7 0 R refer to one another in a loop", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(40, true)]
    [InlineData(PdfContentCount.MaxFormDepth + 6, false)]
    public void Forms_nested_within_forms_are_read_to_a_depth_far_from_the_stacks_end(int depth, bool read)
    {
        // PdfPig draws a form inside the form that draws it by recursion: 30,000 forms each drawing the next overflowed
        // its stack, which ended the process (docs/benchmarks.md). Each form here draws the next; the last writes "Deep".
        var objects = new List<(string, string?)>
        {
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> /XObject << /X 6 0 R >> >> /Contents 4 0 R >>", null),
            ("<< >>", "BT /F1 12 Tf 72 720 Td (Top) Tj ET /X Do"),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null),
        };
        for (var i = 0; i < depth; i++)
        {
            var last = i == depth - 1;
            var xobject = last ? string.Empty : $"/XObject << /X {7 + i} 0 R >> ";
            objects.Add(($"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << {xobject}/Font << /F1 5 0 R >> >> >>",
                last ? "BT /F1 12 Tf 72 700 Td (Deep) Tj ET" : "/X Do"));
        }

        var pdf = HandMadePdf.Objects([.. objects]);

        if (read)
        {
            Assert.Equal("Top\nDeep", Assert.Single(Read(pdf).Pages).Text);
        }
        else
        {
            var error = Assert.Throws<OcrException>(() => Read(pdf));
            Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);
            Assert.Contains($"nested more than {PdfContentCount.MaxFormDepth} deep", error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_font_whose_tounicode_map_has_a_range_of_trillions_of_codes_is_refused_before_the_page_is_parsed()
    {
        // Found by the mutation loop (one byte of type3_bitmap_article.pdf's deflated ToUnicode map changed: a hex string
        // run together with its neighbours). PdfPig enumerates every code of a range into a dictionary: this one filled
        // 20 GB until the process was killed.
        var error = Assert.Throws<OcrException>(() => Read(Fixtures.Bytes("pdf", "type3_bitmap_article_damaged_map.pdf")));

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("has a range, <676167612666> <70>, of more than 65536 codes", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/Size 2000000000", "/Size 2000000000")]
    [InlineData("/Size 7 /Index [0 7 5000000 9000000]", "/Index [0 7 5000000 9000000]")]
    [InlineData("/Size 7", null)]
    [InlineData("/Size 8388607 /Index [0 7]", null)]
    public void A_cross_reference_stream_naming_more_objects_than_a_pdf_holds_is_refused_before_the_file_is_opened(string entries, string? refused)
    {
        // PdfPig lists every object number a cross-reference stream names before reading its entries: /Size 2000000000
        // filled 5 GB in 10 s.
        var pdf = HandMadePdf.WithCrossReferenceStream(entries,
            "<< /Type /Catalog /Pages 2 0 R >>",
            "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
            "<< /Length 37 >>\nstream\nBT /F1 12 Tf 72 720 Td (Hello) Tj ET\nendstream",
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");

        if (refused is null)
        {
            Assert.Equal("Hello", Assert.Single(Read(pdf).Pages).Text);
            return;
        }

        var error = Assert.Throws<OcrException>(() => Read(pdf));
        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains($"a cross-reference stream's {refused} names more objects than a PDF may hold (8,388,607)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/W [0 2000000000 500]", "its /W metrics give one range 2,000,000,001 CIDs")]
    [InlineData("/W2 [0 2000000000 -1000 500 880]", "its /W2 metrics give one range 2,000,000,001 CIDs")]
    [InlineData("/W [0 [500 600] 2 65537 500 0 65535 600 0 65535 700 0 65535 800]", "its /W metrics give more than 262,144 CIDs")]
    [InlineData("/W [1 [500 600] 3 95 500 96 65535 1000] /W2 [1 [-1000 250 880] 2 95 -1000 500 880]", null)]
    public void A_cid_fonts_metrics_ranges_past_its_cids_are_refused_and_sound_ones_read(string metrics, string? refused)
    {
        // PdfPig adds every CID of a metrics range to a dictionary: /W [0 2000000000 500] filled 5 GB in 12 s.
        var pdf = HandMadePdf.Objects(
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 7 0 R >> >> /Contents 4 0 R >>", null),
            ("<< >>", "BT /F2 12 Tf 72 720 Td (Hello) Tj /F1 24 Tf <00410042> Tj ET"),
            ("<< /Type /Font /Subtype /Type0 /BaseFont /Metrics /Encoding /Identity-H /DescendantFonts [6 0 R] >>", null),
            ($"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Metrics /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 {metrics} >>", null),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null));

        if (refused is null)
        {
            Assert.StartsWith("Hello", Assert.Single(Read(pdf).Pages).Text, StringComparison.Ordinal);
            return;
        }

        var error = Assert.Throws<OcrException>(() => Read(pdf));
        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains($"the font Metrics: {refused}", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<676167612666> <70> <0041>", false)] // the damaged map's range, in a composite font's encoding CMap
    [InlineData("<0041> <0044> <0041>", true)]
    public void A_composite_fonts_encoding_cmap_with_a_range_of_trillions_of_codes_is_refused_and_a_sound_one_read(string range, bool read)
    {
        // PdfPig reads an embedded encoding CMap's ranges as it reads a ToUnicode map's: the damaged range took 3.6 GB in
        // 15 s before it was stopped.
        var cmap = "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Damaged def\n" +
            $"1 begincodespacerange <0000> <FFFF> endcodespacerange\n1 beginbfrange {range} endbfrange\n" +
            "1 begincidrange <0000> <FFFF> 0 endcidrange endcmap CMapName currentdict /CMap defineresource pop end end";
        var pdf = HandMadePdf.Objects(
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R /F2 8 0 R >> >> /Contents 4 0 R >>", null),
            ("<< >>", "BT /F2 12 Tf 72 720 Td (Hello) Tj /F1 24 Tf <00410042> Tj ET"),
            ("<< /Type /Font /Subtype /Type0 /BaseFont /Damaged /Encoding 7 0 R /DescendantFonts [6 0 R] >>", null),
            ("<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Damaged /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 500 >>", null),
            ("<< /Type /CMap /CMapName /Damaged >>", cmap),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null));

        if (read)
        {
            Assert.StartsWith("Hello", Assert.Single(Read(pdf).Pages).Text, StringComparison.Ordinal);
            return;
        }

        var error = Assert.Throws<OcrException>(() => Read(pdf));
        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains("the encoding CMap (object 7 0) of the font Damaged has a range, <676167612666> <70>, of more than 65536 codes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Objects_that_are_references_in_a_chain_without_a_loop_are_read()
    {
        var pdf = HandMadePdf.Objects(
            ("<< /Type /Catalog /Pages 2 0 R >>", null),
            ("<< /Type /Pages /Kids [3 0 R] /Count 1 >>", null),
            ("<< /Type /Page /Parent 2 0 R /MediaBox 6 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>", null),
            ("<< >>", "BT /F1 12 Tf 72 720 Td (Hello) Tj ET"),
            ("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>", null),
            ("7 0 R", null),
            ("[0 0 612 792]", null));

        Assert.Equal("Hello", Assert.Single(Read(pdf).Pages).Text);
    }

    private OcrException Failure(byte[] pdf) =>
        Assert.Throws<OcrException>(() => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken));

    private static string Receipt000Truth => Fixtures.Text("sroie", "receipt_000.gt.txt");

    [Fact]
    public void Scanned_pdf_reads_like_the_scan_itself()
    {
        var jpegDocument = Read(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        var fromJpeg = Assert.Single(jpegDocument.Pages);

        var document = Read(Fixtures.Bytes("pdf", "scan_receipt_000.pdf"));

        var page = Assert.Single(document.Pages);
        Assert.Equal(("pdf", "jpeg"), (document.Format, jpegDocument.Format));
        Assert.Equal((463, 1013), (page.Width, page.Height));
        var cer = Cer.Of(Receipt000Truth, page.Text, caseInsensitive: true);
        var jpegCer = Cer.Of(Receipt000Truth, fromJpeg.Text, caseInsensitive: true);
        // The fixture's JPEG was re-encoded at quality 95 by ImageMagick: nearly the same pixels, nearly the same text.
        Assert.True(cer <= jpegCer + 0.02, $"PDF page CER {cer:P2} against {jpegCer:P2} for the JPEG\n{page.Text}");
        Assert.Contains("TD01167104", page.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Pages_are_read_in_order_and_a_page_shown_turned_is_read_as_shown()
    {
        // Page 1: receipt 12's top, upright. Page 2: receipt 0 stored a quarter turn to the left, with /Rotate 90.
        var document = Read(Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf"));

        Assert.Equal(2, document.Pages.Count);
        Assert.Equal([1, 2], document.Pages.Select(p => p.PageNumber));
        Assert.Equal((747, 322), (document.Pages[0].Width, document.Pages[0].Height));
        Assert.Equal((463, 1013), (document.Pages[1].Width, document.Pages[1].Height)); // upright, as shown
        Assert.Contains("HOME MASTER", document.Pages[0].Text, StringComparison.OrdinalIgnoreCase);
        var cer = Cer.Of(Receipt000Truth, document.Pages[1].Text, caseInsensitive: true);
        Assert.True(cer <= 0.15, $"turned page CER {cer:P2}\n{document.Pages[1].Text}");
        Assert.StartsWith("tan woon yann", document.Pages[1].Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Scan_turned_by_its_placement_on_the_page_is_read_as_shown()
    {
        // Receipt 0 stored a quarter turn to the left (1013 x 463), drawn turned back a quarter to the right by the
        // page's matrix: the image's x axis runs down the page, its y axis to the right.
        using var receipt = Image.Load<Rgba32>(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        receipt.Mutate(x => x.Rotate(RotateMode.Rotate270));
        using var jpeg = new MemoryStream();
        receipt.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 95 });
        var turned = HandMadePdf.OneJpegPage(jpeg.ToArray(), 1013, 463, 463, 1013, [0, -1013, 463, 0, 0, 1013]);
        var asStored = HandMadePdf.OneJpegPage(jpeg.ToArray(), 1013, 463, 1013, 463, [1013, 0, 0, 463, 0, 0]);

        var page = Assert.Single(Read(turned).Pages);
        var control = Assert.Single(Read(asStored).Pages);

        Assert.Equal((463, 1013), (page.Width, page.Height));
        Assert.Equal((1013, 463), (control.Width, control.Height));
        var cer = Cer.Of(Receipt000Truth, page.Text, caseInsensitive: true);
        Assert.True(cer <= 0.15, $"turned scan CER {cer:P2}\n{page.Text}");
        // The page's placement turned the scan upright; shown as stored, the engine has to turn it itself.
        Assert.Equal((0, 90), (page.Rotation, control.Rotation));
    }

    [Fact]
    public async Task A_range_of_pages_is_read_alone_and_tells_how_many_the_file_has()
    {
        var pdf = Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf");

        var second = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, new PageRange(1, 5), TestContext.Current.CancellationToken);
        var past = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, new PageRange(2, 1), TestContext.Current.CancellationToken);

        var page = Assert.Single(second.Pages);
        Assert.Equal((2, 2), (page.PageNumber, second.SourcePages));
        Assert.StartsWith("tan woon yann", page.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(past.Pages);
        Assert.Equal(2, past.SourcePages);
    }

    [Fact]
    public void Fax_compressed_bilevel_scan_is_read()
    {
        var page = Assert.Single(Read(Fixtures.Bytes("pdf", "scan_receipt_000_g4.pdf")).Pages);

        Assert.Equal((463, 1013), (page.Width, page.Height));
        var cer = Cer.Of(Receipt000Truth, page.Text, caseInsensitive: true);
        Assert.True(cer <= 0.25, $"CCITT G4 page CER {cer:P2}\n{page.Text}");
        Assert.Contains("CASH BILL", page.Text, StringComparison.OrdinalIgnoreCase);
    }

    // receipt_012_top.jpg is 747 x 322 pixels; the file says 100 x 43, so every limit and the memory lease were reckoned
    // for 4,300 pixels: it is refused before it is decoded, as the scan of a page and as a picture on one.
    [Theory]
    [InlineData(100, 43)] // the scan: the whole page
    [InlineData(595, 842)] // a picture on an A4 page without text
    public void Jpeg_larger_than_the_pdf_says_is_refused_before_it_is_decoded(double pageWidth, double pageHeight)
    {
        var pdf = HandMadePdf.OneJpegPage(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), 100, 43, pageWidth, pageHeight, [100, 0, 0, 43, 0, 0]);

        var failure = Assert.Throws<OcrException>(() => Read(pdf));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.Contains("An image on page 1 of the PDF holds 747 x 322 pixels where the file says 100 x 43", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Searchable_pdf_is_read_from_its_scan_not_from_its_text_layer()
    {
        // What scanners and OCR tools write: the scan over the page, and their own OCR text over it (invisible in a real one).
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(747, 322);
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(0, 0, 747, 322));
        page.SetTextRenderingMode(TextRenderingMode.Neither);
        page.AddText("SOMEONE ELSES TEXT LAYER", 10, new PdfPoint(20, 20), builder.AddStandard14Font(Standard14Font.Helvetica));

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Contains("HOME MASTER", read.Text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("ELSES", read.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(1, 3, 1.0, false)] // three strips, a point a pixel
    [InlineData(2, 2, 0.5, true)] // four tiles, two pixels a point, and a logo apart from them
    [InlineData(12, 12, 1.0, false)] // 144 tiles, each under 1 % of the page
    public void Scan_stored_in_pieces_is_put_back_together(int columns, int rows, double pointsPerPixel, bool logo)
    {
        var whole = Fixtures.Bytes("sroie", "receipt_000.jpg");
        using var receipt = Image.Load<Rgba32>(whole);
        var builder = new PdfDocumentBuilder();
        var margin = logo ? 100 : 0; // room for the logo, beside the scan
        var page = builder.AddPage((receipt.Width * pointsPerPixel) + margin, receipt.Height * pointsPerPixel);
        if (logo)
        {
            page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle((receipt.Width * pointsPerPixel) + 10, 10, (receipt.Width * pointsPerPixel) + 90, 45));
        }

        for (var row = 0; row < rows; row++)
        {
            for (var column = 0; column < columns; column++)
            {
                var (x0, x1) = (receipt.Width * column / columns, receipt.Width * (column + 1) / columns);
                var (y0, y1) = (receipt.Height * row / rows, receipt.Height * (row + 1) / rows);
                using var piece = receipt.Clone(c => c.Crop(new Rectangle(x0, y0, x1 - x0, y1 - y0)));
                using var jpeg = new MemoryStream();
                piece.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 95 });
                page.AddJpeg(jpeg.ToArray(), new PdfRectangle(
                    x0 * pointsPerPixel, (receipt.Height - y1) * pointsPerPixel, x1 * pointsPerPixel, (receipt.Height - y0) * pointsPerPixel));
            }
        }

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((PageSource.Image, 463, 1013), (read.Source, read.Width, read.Height));
        var cer = Cer.Of(Receipt000Truth, read.Text, caseInsensitive: true);
        var wholeCer = Cer.Of(Receipt000Truth, Assert.Single(Read(whole).Pages).Text, caseInsensitive: true);
        Assert.True(cer <= wholeCer + 0.02, $"{columns}x{rows} pieces: CER {cer:P2} against {wholeCer:P2} for the whole scan\n{read.Text}");
        Assert.DoesNotContain("HOME MASTER", read.Text, StringComparison.OrdinalIgnoreCase); // the logo is not part of the scan
    }

    [Fact]
    public void Visible_text_over_a_full_page_picture_is_read_with_it()
    {
        // A document generated over a letterhead picture that fills the page: the picture's text is recognized, the
        // document's own text is read from the file, in the picture's pixels (747 x 322 shown over 595 x 842 points).
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(0, 0, 595, 842));
        page.AddText("Invoice 20817", 12, new PdfPoint(50, 20), builder.AddStandard14Font(Standard14Font.Helvetica));

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((PageSource.Image, 747, 322), (read.Source, read.Width, read.Height));
        Assert.Contains("HOME MASTER", read.Text, StringComparison.OrdinalIgnoreCase);
        var typed = Assert.Single(read.Lines, l => l.Text == "Invoice 20817");
        Assert.Equal(1f, typed.Confidence);
        Assert.InRange(typed.Box.MinX, 62, 64); // 50 pt * 747 / 595
        Assert.InRange(typed.Box.MaxY, 313, 315); // the baseline 20 pt up: (842 - 20) * 322 / 842
        Assert.Contains("Invoice 20817", read.Text.Split('\n')[^1], StringComparison.Ordinal); // on the lowest row, with the picture's last line
    }

    [Fact]
    public void Heading_typed_above_a_pasted_scan_is_read_with_it()
    {
        // The scan (747 x 322 px) covers the lower 70 % of the page, a point a pixel; the heading is drawn above it.
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(747, 460);
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(0, 0, 747, 322));
        page.AddText("Invoice 20817", 14, new PdfPoint(40, 400), builder.AddStandard14Font(Standard14Font.Helvetica));

        var read = Assert.Single(Read(builder.Build()).Pages);

        // The composed page: the scan's width, grown upwards to the heading and 6 points above it.
        Assert.Equal(PageSource.Image, read.Source);
        Assert.Equal(747, read.Width);
        Assert.InRange(read.Height, 322 + 78 + 6, 322 + 78 + 6 + 20);
        Assert.Equal("Invoice 20817", read.Text.Split('\n')[0]);
        var heading = Assert.Single(read.Lines, l => l.Text == "Invoice 20817");
        Assert.InRange(heading.Box.MinX, 39, 41);
        Assert.Contains("HOME MASTER", read.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Text_typed_over_a_scan_in_strips_is_read_with_it()
    {
        using var receipt = Image.Load<Rgba32>(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(receipt.Width, receipt.Height);
        for (var strip = 0; strip < 3; strip++)
        {
            var (top, bottom) = (receipt.Height * strip / 3, receipt.Height * (strip + 1) / 3);
            using var piece = receipt.Clone(c => c.Crop(new Rectangle(0, top, receipt.Width, bottom - top)));
            using var jpeg = new MemoryStream();
            piece.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 95 });
            page.AddJpeg(jpeg.ToArray(), new PdfRectangle(0, receipt.Height - bottom, receipt.Width, receipt.Height - top));
        }

        page.AddText("PAID 2026-12-04", 12, new PdfPoint(300, 20), builder.AddStandard14Font(Standard14Font.Helvetica));

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((PageSource.Image, 463, 1013), (read.Source, read.Width, read.Height)); // the text lies over the strips
        var typed = Assert.Single(read.Lines, l => l.Text == "PAID 2026-12-04");
        Assert.Equal(1f, typed.Confidence);
        var scanned = string.Join('\n', read.Lines.Where(l => l != typed).Select(l => l.Text));
        var whole = string.Join('\n', Assert.Single(Read(Fixtures.Bytes("sroie", "receipt_000.jpg")).Pages).Lines.Select(l => l.Text));
        Assert.True(Cer.Of(whole, scanned) <= 0.02, scanned); // the strips read as the whole scan does
    }

    [Fact]
    public void Text_off_the_page_does_not_grow_a_scans_page()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(747, 322);
        page.AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(0, 0, 747, 322));
        page.AddText("SLUG OUTSIDE THE TRIM", 10, new PdfPoint(900, 500), builder.AddStandard14Font(Standard14Font.Helvetica));

        var read = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((747, 322), (read.Width, read.Height));
        Assert.DoesNotContain("SLUG", read.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Scan_placed_by_a_pdf_writer_is_found_whatever_the_page_size()
    {
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddJpeg(Fixtures.Bytes("sroie", "receipt_012_top.jpg"), new PdfRectangle(0, 0, 595, 842));

        var page = Assert.Single(Read(builder.Build()).Pages);

        Assert.Equal((747, 322), (page.Width, page.Height)); // the scan's own pixels, not the page's points
        Assert.Contains("HOME MASTER", page.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("scan_lzw.pdf")]
    [InlineData("scan_rle.pdf")]
    public void Lzw_and_run_length_scans_are_read(string file)
    {
        var line = Assert.Single(Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("pdf", file), OcrMode.SingleLine, TestContext.Current.CancellationToken).Pages).Lines);

        Assert.True(Cer.IgnoringSpaces("TEL : 03-3271 9872", line.Text) <= 0.1, line.Text);
    }

    [Fact]
    public void Lzw_size_is_counted_as_the_decoder_decodes()
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(Fixtures.Bytes("pdf", "scan_lzw.pdf"));
        var image = Assert.Single(document.GetPage(1).GetImages());

        var decoded = new UglyToad.PdfPig.Filters.LzwFilter().Decode(image.RawMemory.ToArray(), image.ImageDictionary, UglyToad.PdfPig.Filters.DefaultFilterProvider.Instance, 0);
        var counted = DecodedSize.Lzw(image.RawMemory, image.ImageDictionary, 0, long.MaxValue);

        Assert.Equal(235 * 33 * 3, decoded.Length);
        Assert.Equal(decoded.Length, counted);
    }

    [Fact]
    public void Deflate_bomb_in_a_scan_fails_as_too_large_without_inflating()
    {
        // 1 GiB of zeros in about a megabyte, claiming to be a 100 x 100 scan.
        var bomb = HandMadePdf.OneImagePage(HandMadePdf.DeflatedZeros(1L << 30), "FlateDecode", 100, 100, 100, 100, [100, 0, 0, 100, 0, 0]);
        var allocated = GC.GetAllocatedBytesForCurrentThread();

        var failure = Failure(bomb);

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - allocated < 64L << 20, "the bomb was inflated");
    }

    [Fact]
    public void Deflate_bomb_in_a_page_content_stream_fails_as_too_large()
    {
        using var jpeg = new MemoryStream();
        using (var line = Image.Load<Rgba32>(Fixtures.Bytes("sroie", "line_003_002.png")))
        {
            line.SaveAsJpeg(jpeg);
        }

        var allowed = fixture.Options.Copy();
        allowed.MaxPixels = 1_000_000; // streams may decode to 4 MB
        var bomb = HandMadePdf.OneImagePage(jpeg.ToArray(), "DCTDecode", 10, 10, 100, 100, [100, 0, 0, 100, 0, 0], contentPadding: 64 << 20);

        var failure = Assert.Throws<OcrException>(() => new ImageLoader(allowed).Identify(bomb));

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.Contains("decodes to more than 3.8 MiB", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Password_protected_pdf_is_refused()
    {
        var failure = Failure(Fixtures.Bytes("pdf", "encrypted.pdf"));

        Assert.Equal(OcrErrorCode.UnsupportedFormat, failure.Code);
        Assert.Contains("encrypted", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_or_headless_pdf_is_corrupt()
    {
        var pdf = Fixtures.Bytes("pdf", "scan_receipt_000.pdf");

        Assert.Equal(OcrErrorCode.CorruptImage, Failure(pdf[..(pdf.Length / 3)]).Code);
        Assert.Equal(OcrErrorCode.CorruptImage, Failure("%PDF-1.7 this is not a document"u8.ToArray()).Code);
    }

    [Fact]
    public void Page_count_and_scan_size_limits_apply_before_decoding()
    {
        var twoPages = Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf");
        var onePageAllowed = fixture.Options.Copy();
        onePageAllowed.MaxPages = 1;
        var smallPagesOnly = fixture.Options.Copy();
        smallPagesOnly.MaxPixels = (747 * 322) + 1; // page 1 passes, page 2 (463 x 1013) does not

        var tooMany = Assert.Throws<OcrException>(() => new ImageLoader(onePageAllowed).Load(twoPages));
        using var decoded = new ImageLoader(smallPagesOnly).Load(twoPages);
        decoded.Page(0).Release();
        var tooLarge = Assert.Throws<OcrException>(() => decoded.Page(1));

        Assert.Equal(OcrErrorCode.ImageTooLarge, tooMany.Code);
        Assert.Equal(OcrErrorCode.ImageTooLarge, tooLarge.Code);
        Assert.Contains("463x1013", tooLarge.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Image_with_a_pdf_header_in_its_metadata_is_read_as_the_image()
    {
        using var rendered = Image.Load<Rgba32>(TextImages.Encode(TextImages.Line("Invoice 20817")));
        rendered.Metadata.GetPngMetadata().TextData.Add(new PngTextData("Comment", "%PDF-1.7 pasted by a scanner", string.Empty, string.Empty));
        using var png = new MemoryStream();
        rendered.SaveAsPng(png);
        var bytes = png.ToArray();
        Assert.True(PdfPages.HasHeader(bytes)); // the metadata chunk sits before the pixels, in the first kilobyte

        var line = Assert.Single(Assert.Single(fixture.Engine.Recognize(bytes, OcrMode.SingleLine, TestContext.Current.CancellationToken).Pages).Lines);

        Assert.Equal("Invoice 20817", line.Text);
    }

    [Fact]
    public void Identify_reports_the_first_scan_as_shown()
    {
        var loader = new ImageLoader(fixture.Options);

        var (format, width, height) = loader.Identify(Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf"));

        Assert.Equal(("PDF", 747, 322), (format.Name, width, height));
    }

    [Fact]
    public void Opened_once_a_pdf_gives_each_pages_size_then_decodes_from_the_same_document()
    {
        var loader = new ImageLoader(fixture.Options);
        var twoPages = Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf");

        using var opened = loader.Open(twoPages);
        var sizes = (opened.PageSize(0), opened.PageSize(1), opened.PageSize(7));
        using var decoded = opened.Load();
        opened.Dispose(); // the document went on with the decoded image
        var second = decoded.Page(1);
        var secondSize = (second.Width, second.Height);
        second.Release();

        Assert.Equal(((747, 322), (463, 1013), (463, 1013)), sizes); // the second as its page shows it; past the end, the last
        Assert.Equal((463, 1013), secondSize);
        Assert.Equal(2, decoded.PageCount);
        Assert.Throws<InvalidOperationException>(() => opened.Load());
    }

    [Fact]
    public void A_page_over_the_limits_fails_when_its_size_is_asked_not_when_the_pdf_is_opened()
    {
        var smallPagesOnly = fixture.Options.Copy();
        smallPagesOnly.MaxPixels = (747 * 322) + 1; // page 1 passes, page 2 (463 x 1013) does not

        using var opened = new ImageLoader(smallPagesOnly).Open(Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf"));

        Assert.Equal((747, 322), opened.PageSize(0));
        Assert.Equal(OcrErrorCode.ImageTooLarge, Assert.Throws<OcrException>(() => opened.PageSize(1)).Code);
    }

    [Fact]
    public void Opening_an_image_reads_its_header_and_decodes_nothing_until_loaded()
    {
        var loader = new ImageLoader(fixture.Options);
        var png = TextImages.Encode(TextImages.Line("Invoice 20817"));
        var truncated = png[..(png.Length * 2 / 3)]; // the header intact, the pixels cut short

        using var opened = loader.Open(truncated);
        var (width, height) = opened.PageSize(0);

        Assert.Equal("PNG", opened.Format.Name);
        Assert.True(width > 0 && height > 0);
        Assert.Equal(OcrErrorCode.CorruptImage, Assert.Throws<OcrException>(() => opened.Load()).Code);
    }
}
