using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Pages of mixed raster content, as compact-PDF scanners and archives write scans: a background image with the text
/// wiped from it (here plain paper, a JPEG) and the text as a stencil mask over it (<c>/ImageMask true</c>), in JBIG2
/// or CCITT G4. Read from the background alone such a page has no text; composed as a viewer shows it, it reads as its
/// text does. The masks: SROIE receipt 000 made black and white (tests/fixtures/README.md).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MixedRasterContentTests(EngineFixture fixture)
{
    private const int Width = 463, Height = 1013;

    private OcrPage Read(byte[] file) => Assert.Single(fixture.Engine.Recognize(file, OcrMode.Full, TestContext.Current.CancellationToken).Pages);

    // A sheet of paper's background: a light warm grey, as an MRC background with the text wiped out is.
    private static byte[] Paper(int width = Width, int height = Height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(236, 230, 218));
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 75 });
        return jpeg.ToArray();
    }

    [Fact]
    public void A_jbig2_text_mask_over_a_background_reads_as_the_text_it_holds()
    {
        var paper = Paper();
        var alone = Read(HandMadePdf.ScanPage(paper, "DCTDecode", Width, Height, "DeviceRGB", 8, dpi: 150));
        var text = Read(Fixtures.Bytes("jbig2", "receipt_000_bitonal.png"));

        var page = Read(HandMadePdf.MixedRasterContent(paper, Fixtures.Bytes("jbig2", "receipt_000_generic.jbig2"), "JBIG2Decode", Width, Height));

        Assert.Empty(alone.Lines);
        Assert.Equal((Width, Height), (page.Width, page.Height));
        var truth = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var (composed, bitonal) = (Cer.Of(truth, page.Text, caseInsensitive: true), Cer.Of(truth, text.Text, caseInsensitive: true));
        Assert.True(composed <= bitonal + 0.05, $"composed {composed:P1}, the mask's bits alone {bitonal:P1}:\n{page.Text}");
    }

    [Fact]
    public void A_ccitt_text_mask_over_a_background_reads_as_the_fax_scan_of_it()
    {
        // The G4 data of the fax fixture, drawn as a stencil over paper instead of as the page's grey image.
        var fax = Fixtures.Bytes("pdf", "scan_receipt_000_g4.pdf");
        byte[] g4;
        using (var document = PdfDocument.Open(fax))
        {
            g4 = Assert.Single(document.GetPage(1).GetImages()).RawBytes.ToArray();
        }

        var faxPage = Read(fax);
        var page = Read(HandMadePdf.MixedRasterContent(
            Paper(), g4, "CCITTFaxDecode", Width, Height, $" /DecodeParms << /K -1 /Columns {Width} /Rows {Height} /BlackIs1 false >>"));

        var truth = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var (composed, scanned) = (Cer.Of(truth, page.Text, caseInsensitive: true), Cer.Of(truth, faxPage.Text, caseInsensitive: true));
        Assert.True(composed <= scanned + 0.08, $"composed {composed:P1}, the fax scan {scanned:P1}:\n{page.Text}");
    }

    [Fact]
    public void A_background_of_a_third_of_the_texts_resolution_is_composed_at_the_texts()
    {
        var page = Read(HandMadePdf.MixedRasterContent(
            Paper(Width / 3, Height / 3), Fixtures.Bytes("jbig2", "receipt_000_generic.jbig2"), "JBIG2Decode", Width, Height,
            backgroundSize: (Width / 3, Height / 3)));

        Assert.Equal((Width, Height), (page.Width, page.Height));
        Assert.Contains("TAN WOON YANN", page.Text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_mask_drawn_out_of_proportion_sets_no_finer_page_than_its_pixels_have_both_ways()
    {
        // A damaged matrix squeezes the mask to a tenth of the page's width: ten times its pixels per point across, the
        // same down. Composed at its finer axis, the page was 4,627 x 10,123 (a hundred times the file's pixels).
        var page = Read(HandMadePdf.MixedRasterContent(
            Paper(), Fixtures.Bytes("jbig2", "receipt_000_generic.jbig2"), "JBIG2Decode", Width, Height, maskWidthShare: 0.1));

        Assert.Equal((Width, Height), (page.Width, page.Height));
    }
}
