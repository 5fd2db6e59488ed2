using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// JPEG 2000, decoded by the system's OpenJPEG (<see cref="Jpeg2000Codec"/>): scanned PDFs whose scan is JPEG 2000
/// (<c>/JPXDecode</c>), and JP2 files and codestreams sent as they are. Fixtures: a JP2 file written by ImageMagick, a
/// codestream and a lossless grey JP2 written by OpenJPEG's own encoder (tests/fixtures/README.md).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class Jpeg2000Tests(EngineFixture fixture)
{
    private OcrDocument Read(byte[] file) => fixture.Engine.Recognize(file, OcrMode.Full, TestContext.Current.CancellationToken);

    private OcrException Failure(byte[] pdf) =>
        Assert.Throws<OcrException>(() => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken));

    private static byte[] ReceiptCodestream => Fixtures.Bytes("jpeg2000", "receipt_000.j2k");

    [Fact]
    public void OpenJpeg_is_installed_where_the_tests_run()
    {
        Assert.True(Jpeg2000Codec.IsAvailable, Jpeg2000Codec.Missing);
    }

    [Fact]
    public void A_jp2_scan_written_by_imagemagick_reads_as_the_image_it_was_made_from()
    {
        var fromPng = Assert.Single(Read(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "samples", "line-telephone.png"))).Pages);

        var page = Assert.Single(Read(Fixtures.Bytes("pdf", "scan_jpeg2000.pdf")).Pages);

        Assert.NotEmpty(fromPng.Text.Trim());
        Assert.Equal(fromPng.Text, page.Text);
        Assert.Equal((fromPng.Width, fromPng.Height), (page.Width, page.Height));
    }

    [Fact]
    public void A_colour_codestream_of_a_receipt_reads_as_well_as_its_jpeg()
    {
        var truth = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var fromJpeg = Assert.Single(Read(Fixtures.Bytes("sroie", "receipt_000.jpg")).Pages);

        var page = Assert.Single(Read(HandMadePdf.ScanPage(ReceiptCodestream, "JPXDecode", 463, 1013, "DeviceRGB", 8, dpi: 100)).Pages);

        Assert.Equal((463, 1013), (page.Width, page.Height));
        var jpegCer = Cer.Of(truth, fromJpeg.Text, caseInsensitive: true);
        var jpxCer = Cer.Of(truth, page.Text, caseInsensitive: true);
        Assert.True(jpxCer <= jpegCer + 0.02, $"JPEG 2000 {jpxCer:P1} against the JPEG's {jpegCer:P1}:\n{page.Text}");
    }

    [Fact]
    public void A_lossless_grey_jp2_decodes_to_its_source_pixels()
    {
        var pdf = HandMadePdf.ScanPage(Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2"), "JPXDecode", 205, 52, "DeviceGray", 8);

        Assert.Equal(0, DecodedScans.DifferingPixels(Fixtures.Bytes("jpeg2000", "line_111_019_grey.png"), pdf));
    }

    [Fact]
    public void A_lossless_grey_jp2_file_decodes_to_its_source_pixels_and_a_colour_codestream_to_its_samples()
    {
        // A file's samples go straight into the page's buffer: grey spread over R, G and B, colour as it is.
        Assert.Equal(0, DecodedScans.DifferingPixels(Fixtures.Bytes("jpeg2000", "line_111_019_grey.png"), Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2")));

        var codestream = Fixtures.Bytes("jpeg2000", "receipt_000.j2k");
        var samples = Jpeg2000Codec.Decode(codestream, cmyk: false, "the codestream", long.MaxValue, (_, _) => true)!;
        using var decoded = new ImageLoader(new OcrEngineOptions()).Load(codestream);
        var page = decoded.Page(0);
        Assert.Equal((463, 1013, 3), (page.Width, page.Height, samples.Channels));
        Assert.Equal(samples.Samples, page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Fact]
    public void A_jpeg_2000_picture_on_a_born_digital_page_is_read_beside_its_text()
    {
        var pdf = HandMadePdf.TextAndPicture(Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2"), "JPXDecode", 205, 52, "DeviceGray", 8);

        DecodedScans.PictureReadBesideItsText(fixture.Engine, pdf, Fixtures.Bytes("jpeg2000", "line_111_019_grey.png"));
    }

    [Fact]
    public void A_codestream_larger_than_the_pdf_says_is_refused_before_it_is_decoded()
    {
        var failure = Failure(HandMadePdf.ScanPage(ReceiptCodestream, "JPXDecode", 100, 100, "DeviceRGB", 8, dpi: 30));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.Contains("holds 463 x 1013 pixels where the file says 100 x 100", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_or_foreign_jpeg_2000_stream_is_a_corrupt_image_naming_the_page()
    {
        var cut = Failure(HandMadePdf.ScanPage(ReceiptCodestream[..(ReceiptCodestream.Length / 2)], "JPXDecode", 463, 1013, "DeviceRGB", 8, dpi: 100));
        var foreign = Failure(HandMadePdf.ScanPage(Fixtures.Bytes("sroie", "receipt_000.jpg"), "JPXDecode", 463, 1013, "DeviceRGB", 8, dpi: 100));

        Assert.Equal(OcrErrorCode.CorruptImage, cut.Code);
        Assert.Contains("The JPEG 2000 image on page 1 of the PDF cannot be decoded", cut.Message, StringComparison.Ordinal);
        Assert.Equal(OcrErrorCode.CorruptImage, foreign.Code);
        Assert.Contains("is neither a JP2 file nor a JPEG 2000 codestream", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jp2_file_and_a_codestream_are_read_as_images()
    {
        var grey = Fixtures.Bytes("jpeg2000", "line_111_019_grey.png");
        var fromPng = Assert.Single(Read(grey).Pages);

        var jp2 = Read(Fixtures.Bytes("jpeg2000", "line_111_019_grey.jp2"));
        var codestream = Read(ReceiptCodestream);

        Assert.Equal("jpeg2000", jp2.Format);
        Assert.Equal(fromPng.Text, Assert.Single(jp2.Pages).Text);
        Assert.Equal("jpeg2000", codestream.Format);
        var receipt = Assert.Single(codestream.Pages);
        Assert.Equal((463, 1013), (receipt.Width, receipt.Height));
        Assert.True(Cer.Of(Fixtures.Text("sroie", "receipt_000.gt.txt"), receipt.Text, caseInsensitive: true) < 0.1, receipt.Text);
    }

    [Fact]
    public void A_jpeg_2000_file_over_the_limits_is_refused_from_its_header()
    {
        var loader = new ImageLoader(new OcrEngineOptions { MaxPixels = 100_000 });

        var failure = Assert.Throws<OcrException>(() => loader.Identify(ReceiptCodestream));
        var (format, width, height) = new ImageLoader(new OcrEngineOptions()).Identify(ReceiptCodestream);

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.Equal(("JPEG2000", 463, 1013), (format.Name, width, height));
    }
}
