using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using UglyToad.PdfPig;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// <see cref="SearchablePdf"/> on real scans read by the real models, checked by reading the PDF back with PdfPig: its
/// letters are the result's words in order, each word where its box is, over the page's image.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SearchablePdfTests(EngineFixture fixture)
{
    [Fact]
    public void A_JPEG_scan_goes_in_as_it_is_with_every_word_over_its_box()
    {
        var jpeg = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var document = fixture.Engine.Recognize(jpeg, OcrMode.Full, TestContext.Current.CancellationToken);

        using var pdf = Read(jpeg, document);

        var page = Assert.Single(pdf.GetPages());
        var result = Assert.Single(document.Pages);
        var scale = 72.0 / 150; // the file's JFIF density is 150 DPI: points a pixel
        Assert.Equal(result.Width * scale, page.Width, 0.01);
        Assert.Equal(result.Height * scale, page.Height, 0.01);
        Assert.Equal(jpeg, Assert.Single(page.GetImages()).RawBytes.ToArray());
        Assert.Equal(Words(result), string.Concat(page.Letters.Select(l => l.Value)));

        // Each word starts at its box's bottom-left corner (PDF y runs up) and ends at its bottom-right one.
        var letters = page.Letters.ToList();
        var at = 0;
        foreach (var word in result.Lines.SelectMany(l => l.Words).Where(w => w.Text.Trim().Length > 0))
        {
            var count = word.Text.EnumerateRunes().Count(r => !System.Text.Rune.IsWhiteSpace(r));
            var (first, last) = (letters[at], letters[at + count - 1]);
            Assert.InRange(first.StartBaseLine.X, (word.Box.BottomLeft.X * scale) - 0.5, (word.Box.BottomLeft.X * scale) + 0.5);
            Assert.InRange(first.StartBaseLine.Y, page.Height - (word.Box.BottomLeft.Y * scale) - 0.5, page.Height - (word.Box.BottomLeft.Y * scale) + 0.5);
            Assert.InRange(last.EndBaseLine.X, (word.Box.BottomRight.X * scale) - 0.5, (word.Box.BottomRight.X * scale) + 0.5);
            at += count;
        }

        Assert.Equal(letters.Count, at);
    }

    [Fact]
    public void A_JPEG_turned_by_its_EXIF_orientation_goes_in_as_it_is_and_shows_as_it_was_read()
    {
        // The receipt stored turned a quarter anticlockwise, with orientation 6 ("turn 90 degrees clockwise to show"): read upright.
        using var image = Image.Load(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        image.Mutate(x => x.Rotate(RotateMode.Rotate270));
        image.Metadata.ExifProfile = new SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifProfile();
        image.Metadata.ExifProfile.SetValue(SixLabors.ImageSharp.Metadata.Profiles.Exif.ExifTag.Orientation, (ushort)6);
        using var encoded = new MemoryStream();
        image.SaveAsJpeg(encoded);
        var jpeg = encoded.ToArray();
        var document = fixture.Engine.Recognize(jpeg, OcrMode.Full, TestContext.Current.CancellationToken);
        Assert.Equal((0, 463, 1013), (document.Pages[0].Rotation, document.Pages[0].Width, document.Pages[0].Height));

        using var pdf = Read(jpeg, document);

        var page = Assert.Single(pdf.GetPages());
        var drawn = Assert.Single(page.GetImages());
        Assert.Equal(jpeg, drawn.RawBytes.ToArray());
        Assert.Equal((1013, 463), (drawn.WidthInSamples, drawn.HeightInSamples)); // stored sideways,
        // Drawn turned over the whole page, the stored top-left corner at the page's top right (EXIF 6).
        var box = drawn.BoundingBox;
        var corners = new[] { box.TopLeft, box.TopRight, box.BottomLeft, box.BottomRight };
        Assert.Equal(0, corners.Min(p => p.X), 0.1);
        Assert.Equal(page.Width, corners.Max(p => p.X), 0.1);
        Assert.Equal(0, corners.Min(p => p.Y), 0.1);
        Assert.Equal(page.Height, corners.Max(p => p.Y), 0.1);
        Assert.Equal(page.Width, box.TopLeft.X, 0.1);
        Assert.Equal(page.Height, box.TopLeft.Y, 0.1);
        Assert.Equal(Words(document.Pages[0]), string.Concat(page.Letters.Select(l => l.Value)));
    }

    [Fact]
    public void A_scanner_s_PDF_page_keeps_its_JPEG_as_the_file_stores_it()
    {
        var scanned = Fixtures.Bytes("pdf", "scan_receipt_000.pdf");
        var document = fixture.Engine.Recognize(scanned, OcrMode.Full, TestContext.Current.CancellationToken);
        using var source = PdfDocument.Open(scanned);

        using var pdf = Read(scanned, document);

        var page = Assert.Single(pdf.GetPages());
        Assert.Equal(Assert.Single(source.GetPage(1).GetImages()).RawBytes.ToArray(), Assert.Single(page.GetImages()).RawBytes.ToArray());
        Assert.Equal((source.GetPage(1).Width, source.GetPage(1).Height), (page.Width, page.Height));
        Assert.Equal(Words(document.Pages[0]), string.Concat(page.Letters.Select(l => l.Value)));
    }

    [Fact]
    public void A_bitonal_scanner_s_PDF_keeps_its_JBIG2_images_and_their_shared_symbols_as_the_file_stores_them()
    {
        // Two pages of the same symbol-coded JBIG2 scan, its symbol dictionary one /JBIG2Globals stream for both.
        var scanned = Fixtures.Bytes("pdf", "scan_jbig2_two_pages.pdf");
        var document = fixture.Engine.Recognize(scanned, OcrMode.Full, TestContext.Current.CancellationToken);
        using var source = PdfDocument.Open(scanned);
        var sourceImage = Assert.Single(source.GetPage(1).GetImages());

        var bytes = Write(scanned, document);
        using var pdf = PdfDocument.Open(bytes);

        Assert.Equal(2, pdf.NumberOfPages);
        var globals = new HashSet<string>();
        foreach (var page in pdf.GetPages())
        {
            var image = Assert.Single(page.GetImages());
            Assert.Equal(sourceImage.RawBytes.ToArray(), image.RawBytes.ToArray());
            Assert.Equal("/JBIG2Decode", image.ImageDictionary.Data[UglyToad.PdfPig.Tokens.NameToken.Filter].ToString());
            var parameters = (UglyToad.PdfPig.Tokens.DictionaryToken)image.ImageDictionary.Data[UglyToad.PdfPig.Tokens.NameToken.DecodeParms];
            globals.Add(parameters.Data["JBIG2Globals"].ToString()!);
            Assert.Equal(Words(document.Pages[page.Number - 1]), string.Concat(page.Letters.Select(l => l.Value)));
        }

        Assert.Single(globals);
        Assert.True(bytes.Length < 3 * scanned.Length, $"{bytes.Length} bytes from {scanned.Length}");

        // The pages as written decode and read as the source's.
        var again = fixture.Engine.Recognize(bytes, OcrMode.Full, TestContext.Current.CancellationToken);
        Assert.Equal(document.Pages.Select(p => p.Text), again.Pages.Select(p => p.Text));
    }

    [Fact]
    public void A_JPEG_2000_scan_goes_in_as_the_file_stores_it()
    {
        var codestream = Fixtures.Bytes("jpeg2000", "receipt_000.j2k");
        var scanned = HandMadePdf.ScanPage(codestream, "JPXDecode", 463, 1013, "DeviceRGB", 8, dpi: 100);
        var document = fixture.Engine.Recognize(scanned, OcrMode.Full, TestContext.Current.CancellationToken);

        using var pdf = Read(scanned, document);

        var page = Assert.Single(pdf.GetPages());
        var image = Assert.Single(page.GetImages());
        Assert.Equal(codestream, image.RawBytes.ToArray());
        Assert.Equal("/JPXDecode", image.ImageDictionary.Data[UglyToad.PdfPig.Tokens.NameToken.Filter].ToString());
        Assert.Equal(Words(document.Pages[0]), string.Concat(page.Letters.Select(l => l.Value)));
    }

    [Fact]
    public void A_page_read_upside_down_is_shown_upright_and_its_words_read_in_order()
    {
        var png = ImageEdits.Png(Fixtures.Bytes("sroie", "receipt_000.jpg"), x => x.Rotate(180));
        var document = fixture.Engine.Recognize(png, OcrMode.Full, TestContext.Current.CancellationToken);
        Assert.Equal(180, document.Pages[0].Rotation);

        using var pdf = Read(png, document);

        var page = Assert.Single(pdf.GetPages());
        Assert.Equal(180, page.Rotation.Value);
        Assert.Equal("DCTDecode", Assert.Single(page.GetImages()).ImageDictionary.Data[UglyToad.PdfPig.Tokens.NameToken.Filter].ToString()!.TrimStart('/'));
        Assert.Equal(Words(document.Pages[0]), string.Concat(page.Letters.Select(l => l.Value)));
    }

    [Fact]
    public void A_scanned_PDF_keeps_its_page_sizes_and_a_page_range_its_pages()
    {
        var scanned = Fixtures.Bytes("pdf", "scan_two_pages_second_turned.pdf");
        var document = fixture.Engine.Recognize(scanned, OcrMode.Full, TestContext.Current.CancellationToken);
        using var source = PdfDocument.Open(scanned);

        using var pdf = Read(scanned, document);

        Assert.Equal(2, pdf.NumberOfPages);
        for (var n = 1; n <= 2; n++)
        {
            var (page, original) = (pdf.GetPage(n), source.GetPage(n));
            Assert.InRange(page.Width * page.Height, original.Width * original.Height * 0.98, original.Width * original.Height * 1.02);
            Assert.Equal(Words(document.Pages[n - 1]), string.Concat(page.Letters.Select(l => l.Value)));
        }

        // A job of a page range gets those pages only, at their own sizes and turns.
        using var second = Read(scanned, new OcrDocument([document.Pages[1]]));
        var only = Assert.Single(second.GetPages());
        Assert.Equal((pdf.GetPage(2).Width, pdf.GetPage(2).Height, pdf.GetPage(2).Rotation.Value), (only.Width, only.Height, only.Rotation.Value));
        Assert.Equal(Words(document.Pages[1]), string.Concat(only.Letters.Select(l => l.Value)));
    }

    [Fact]
    public void Born_digital_pages_go_in_as_the_file_has_them_beside_the_scans_made_searchable()
    {
        var mixed = Fixtures.Bytes("pdf", "mixed_scan_then_text.pdf");
        var document = fixture.Engine.Recognize(mixed, OcrMode.Full, TestContext.Current.CancellationToken);
        Assert.Equal([PageSource.Image, PageSource.TextLayer], document.Pages.Select(p => p.Source));
        using var source = PdfDocument.Open(mixed);

        using var pdf = Read(mixed, document);

        Assert.Equal(2, pdf.NumberOfPages);
        var (scan, digital) = (pdf.GetPage(1), pdf.GetPage(2));
        Assert.Single(scan.GetImages());
        Assert.Equal(Words(document.Pages[0]), string.Concat(scan.Letters.Select(l => l.Value)));
        var original = source.GetPage(2);
        Assert.Equal((original.Width, original.Height), (digital.Width, digital.Height));
        Assert.Equal(string.Concat(original.Letters.Select(l => l.Value)), string.Concat(digital.Letters.Select(l => l.Value)));

        // A file of born-digital pages only: its pages, as they are.
        var report = Fixtures.Bytes("pdf", "digital_report.pdf");
        using var copied = Read(report, fixture.Engine.Recognize(report, OcrMode.Full, TestContext.Current.CancellationToken));
        using var reportSource = PdfDocument.Open(report);
        Assert.Equal(reportSource.NumberOfPages, copied.NumberOfPages);
        Assert.Equal(string.Concat(reportSource.GetPage(1).Letters.Select(l => l.Value)), string.Concat(copied.GetPage(1).Letters.Select(l => l.Value)));
    }

    [Fact]
    public void Words_read_from_a_born_digital_page_s_pictures_are_written_over_them_as_invisible_text()
    {
        // samples/born-digital-with-picture.pdf: typed text, and the top of receipt 012 pasted 50-423.5 x 560-721 points.
        var claim = Fixtures.Bytes("pdf", "digital_with_picture.pdf");
        var document = fixture.Engine.Recognize(claim, OcrMode.Full, TestContext.Current.CancellationToken);
        using var source = PdfDocument.Open(claim);

        using var pdf = Read(claim, document);

        var page = pdf.GetPage(1);
        var original = source.GetPage(1);
        var typed = page.Letters.Where(l => l.RenderingMode != UglyToad.PdfPig.Core.TextRenderingMode.Neither).ToList();
        var added = page.Letters.Where(l => l.RenderingMode == UglyToad.PdfPig.Core.TextRenderingMode.Neither).ToList();
        Assert.Equal(string.Concat(original.Letters.Select(l => l.Value)), string.Concat(typed.Select(l => l.Value)));
        Assert.Single(page.GetImages());
        var pictureWords = document.Pages[0].Lines.Where(l => l.Confidence < 1f).SelectMany(l => l.Words).Select(w => w.Text).ToList();
        Assert.Contains("MASTER", pictureWords);
        Assert.Equal(string.Concat(pictureWords).Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(added.Select(l => l.Value)));
        Assert.All(added, l =>
        {
            Assert.InRange(l.StartBaseLine.X, 49, 424);
            Assert.InRange(l.StartBaseLine.Y, 559, 722);
        });

        // Each word starts at its box's bottom-left corner, in the page's points (y up).
        var at = 0;
        foreach (var word in document.Pages[0].Lines.Where(l => l.Confidence < 1f).SelectMany(l => l.Words))
        {
            Assert.InRange(added[at].StartBaseLine.X, word.Box.BottomLeft.X - 0.5, word.Box.BottomLeft.X + 0.5);
            Assert.InRange(added[at].StartBaseLine.Y, 842 - word.Box.BottomLeft.Y - 0.5, 842 - word.Box.BottomLeft.Y + 0.5);
            at += word.Text.Length;
        }
    }

    [Fact]
    public void Outlined_text_becomes_searchable_where_it_lies_on_an_upright_and_on_a_turned_page()
    {
        // Page 1: an invoice whose fonts are outlines; page 2: the same page shown turned a quarter (/Rotate 90), its text
        // running down the page as shown.
        var outlined = Fixtures.Bytes("pdf", "outlined_invoice.pdf");
        var document = fixture.Engine.Recognize(outlined, OcrMode.Full, TestContext.Current.CancellationToken);

        using var pdf = Read(outlined, document);

        for (var p = 0; p < 2; p++)
        {
            var page = pdf.GetPage(p + 1);
            var read = document.Pages[p];
            var added = page.Letters.Where(l => l.RenderingMode == UglyToad.PdfPig.Core.TextRenderingMode.Neither).ToList();
            Assert.Equal(Words(read), string.Concat(added.Select(l => l.Value)));
            Assert.Equal(p == 0 ? 0 : 90, page.Rotation.Value);

            // Each word starts at its box's bottom-left corner as the text reads, in the page's points as shown (y up), and
            // runs along its box: across the upright page, down the turned one.
            var at = 0;
            foreach (var word in read.Lines.SelectMany(l => l.Words))
            {
                var first = added[at];
                Assert.InRange(first.StartBaseLine.X, word.Box.BottomLeft.X - 0.5, word.Box.BottomLeft.X + 0.5);
                Assert.InRange(first.StartBaseLine.Y, page.Height - word.Box.BottomLeft.Y - 0.5, page.Height - word.Box.BottomLeft.Y + 0.5);
                if (word.Text.Length > 1)
                {
                    var (dx, dy) = (added[at + 1].StartBaseLine.X - first.StartBaseLine.X, added[at + 1].StartBaseLine.Y - first.StartBaseLine.Y);
                    // (within 6 degrees: a box follows the slight tilt its line was read with)
                    Assert.True(p == 0 ? dx > 0 && Math.Abs(dy) < 0.1 * dx : dy < 0 && Math.Abs(dx) < 0.1 * -dy, $"{word.Text}: {dx}, {dy}");
                }

                at += word.Text.Length;
            }
        }
    }

    private static PdfDocument Read(byte[] source, OcrDocument document) => PdfDocument.Open(Write(source, document));

    private static byte[] Write(byte[] source, OcrDocument document)
    {
        var output = new MemoryStream();
        SearchablePdf.Write(source, document, new OcrEngineOptions(), output, TestContext.Current.CancellationToken);
        return output.ToArray();
    }

    // The page's words without the spaces between them, in reading order: what the PDF's letters spell.
    private static string Words(OcrPage page) =>
        string.Concat(page.Lines.SelectMany(l => l.Words.Count > 0 ? l.Words.Select(w => w.Text) : [l.Text]).SelectMany(t => t).Where(c => !char.IsWhiteSpace(c)));
}
