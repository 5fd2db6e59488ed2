using System.IO.Compression;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Scanned PDFs whose scan is JBIG2 (<c>/JBIG2Decode</c>), decoded by the system's jbig2dec (<see cref="Jbig2Codec"/>):
/// a page coded as one generic region, and one coded as Acrobat and jbig2enc's symbol mode do, its symbol dictionary in
/// the shared <c>/JBIG2Globals</c> stream. The fixtures are made by scripts/jbig2-pdf.py from thresholded SROIE and sample
/// images (tests/fixtures/README.md), checked there against jbig2dec and poppler; here each decodes to its source's
/// every pixel.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class Jbig2Tests(EngineFixture fixture)
{
    private OcrDocument Read(byte[] file) => fixture.Engine.Recognize(file, OcrMode.Full, TestContext.Current.CancellationToken);

    private OcrException Failure(byte[] pdf) =>
        Assert.Throws<OcrException>(() => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken));

    private static byte[] ReceiptGeneric => Fixtures.Bytes("jbig2", "receipt_000_generic.jbig2");

    [Fact]
    public void Jbig2dec_is_installed_where_the_tests_run()
    {
        Assert.True(Jbig2Codec.IsAvailable, Jbig2Codec.Missing);
    }

    [Fact]
    public void A_symbol_coded_page_with_its_globals_decodes_to_its_source_and_reads_as_it()
    {
        var source = Fixtures.Bytes("jbig2", "receipt_000_bitonal.png");
        var pdf = Fixtures.Bytes("pdf", "scan_jbig2.pdf");

        Assert.Equal(0, DecodedScans.DifferingPixels(source, pdf));
        Assert.Equal(Assert.Single(Read(source).Pages).Text, Assert.Single(Read(pdf).Pages).Text);
    }

    [Fact]
    public void A_generic_region_page_decodes_to_its_source_also_deflated_again_and_with_an_inverted_decode()
    {
        var source = Fixtures.Bytes("jbig2", "receipt_000_bitonal.png");

        var plain = HandMadePdf.ScanPage(ReceiptGeneric, "JBIG2Decode", 463, 1013, "DeviceGray", 1);
        var deflated = HandMadePdf.ScanPage(Deflate(ReceiptGeneric), "[/FlateDecode /JBIG2Decode]", 463, 1013, "DeviceGray", 1);

        Assert.Equal(0, DecodedScans.DifferingPixels(source, plain));
        Assert.Equal(0, DecodedScans.DifferingPixels(source, deflated));

        // The same stream drawn through /Decode [1 0]: every pixel the other way round.
        var turned = HandMadePdf.ScanPage(ReceiptGeneric, "JBIG2Decode", 463, 1013, "DeviceGray", 1, extra: " /Decode [1 0]");
        Assert.Equal(463 * 1013, DecodedScans.DifferingPixels(source, turned));
    }

    [Fact]
    public void A_jbig2_picture_on_a_born_digital_page_is_read_beside_its_text()
    {
        var pdf = HandMadePdf.TextAndPicture(
            Fixtures.Bytes("jbig2", "line_telephone_symbols.jbig2"), "JBIG2Decode", 235, 33, "DeviceGray", 1,
            Fixtures.Bytes("jbig2", "line_telephone_symbols.globals.jbig2"));

        DecodedScans.PictureReadBesideItsText(fixture.Engine, pdf, Fixtures.Bytes("jbig2", "line_telephone_bitonal.png"));
    }

    [Fact]
    public void A_page_whose_symbols_are_missing_is_a_corrupt_image_naming_the_page()
    {
        var withoutGlobals = HandMadePdf.ScanPage(Fixtures.Bytes("jbig2", "line_telephone_symbols.jbig2"), "JBIG2Decode", 235, 33, "DeviceGray", 1);

        var failure = Failure(withoutGlobals);

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.StartsWith("The JBIG2 image on page 1 of the PDF cannot be decoded", failure.Message, StringComparison.Ordinal);
        Assert.Contains("jbig2dec:", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_larger_than_the_stream_limit_is_refused_while_jbig2dec_decodes_it()
    {
        // Filed as 100 x 100 (within the limit), its page information says 463 x 1013: 59 KB of bits where a stream may
        // decode to 40 KB (4 bytes a pixel of 10,000 pixels). jbig2dec's allocations are counted and refused.
        var loader = new ImageLoader(new OcrEngineOptions { MaxPixels = 10_000 });
        var pdf = HandMadePdf.ScanPage(ReceiptGeneric, "JBIG2Decode", 100, 100, "DeviceGray", 1);

        var failure = Assert.Throws<OcrException>(() =>
        {
            using var decoded = loader.Load(pdf);
            decoded.Page(0).Release();
        });

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.StartsWith("The JBIG2 image on page 1 of the PDF needs more than 0 MiB", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_page_larger_than_the_file_says_is_a_corrupt_image_naming_both_sizes()
    {
        // Filed as 100 x 100, the stream's page is 463 x 1013: within what a page of 100 x 100 may hold while decoding (its
        // bits six times over and 1 MiB), so jbig2dec finishes, and the page it made is refused.
        var failure = Failure(HandMadePdf.ScanPage(ReceiptGeneric, "JBIG2Decode", 100, 100, "DeviceGray", 1));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.Contains("its page is 463 x 1013 pixels where the file says 100 x 100", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_stream_may_hold_what_its_own_page_needs_not_what_the_largest_page_may()
    {
        // scan_jbig2.pdf with three bytes of its page and its symbol dictionary changed (found by mutating it): jbig2dec
        // decodes regions of garbage until its memory is refused. Against the largest page's limit (229 MiB) that took 28 s
        // of a core; the limit is now the receipt's own: 6 x 58 x 1013 bytes, 64 times its 4,449 bytes of symbols and 1 MiB.
        var failure = Failure(Fixtures.Bytes("pdf", "scan_jbig2_damaged.pdf"));

        Assert.Equal(OcrErrorCode.ImageTooLarge, failure.Code);
        Assert.StartsWith("The JBIG2 image on page 1 of the PDF needs more than 1.6 MiB to decode: more than a page of 463 x 1013 pixels",
            failure.Message, StringComparison.Ordinal);
        Assert.Equal((6 * 58 * 1013) + (64 * 4449) + (1 << 20), Jbig2Codec.Budget(463, 1013, 4449, long.MaxValue));
    }

    [Fact]
    public void A_text_region_claiming_more_symbol_placements_than_the_page_has_pixels_is_refused_before_it_is_decoded()
    {
        // scan_jbig2.pdf with five bytes changed (found by mutating it), one of them the high byte of its text region's
        // placement count: 704,643,661 where it had 589. jbig2dec decoded each placement from garbage, warning about each,
        // in no memory at all: 100 s of a core.
        var failure = Failure(Fixtures.Bytes("pdf", "scan_jbig2_placements.pdf"));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.Equal(
            "The JBIG2 image on page 1 of the PDF cannot be decoded: it is damaged (a text region claims 704643661 symbol placements in 463 x 1013 pixels, on a page of 463 x 1013).",
            failure.Message);
    }

    [Fact]
    public void A_symbol_dictionary_that_runs_away_is_stopped_and_its_page_refused()
    {
        // scan_jbig2_two_pages.pdf with 49 bytes of its deflated symbol dictionary changed (found by mutating it): decoded
        // from garbage, the dictionary opens height class after height class, each 16 pixels taller and none with a
        // symbol, until the height overflows: 35 s of a core (and for ever where the garbage adds nothing). Stopped once a
        // class is taller than any symbol can be.
        var before = fixture.Engine.StoppedDecodes;

        var failure = Failure(Fixtures.Bytes("pdf", "scan_jbig2_runaway.pdf"));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.StartsWith("The JBIG2 image on page 1 of the PDF cannot be decoded: it is damaged (its symbol dictionary opened ", failure.Message, StringComparison.Ordinal);
        Assert.Contains("height classes, the last 4112 pixels tall: a runaway decode, stopped)", failure.Message, StringComparison.Ordinal);
        Assert.True(fixture.Engine.StoppedDecodes > before);
    }

    [Fact]
    public void A_pages_budget_is_its_bits_six_times_over_its_symbols_64_times_and_a_mebibyte_at_most_the_stream_limit()
    {
        Assert.Equal((6L * 311 * 3508) + (1 << 20), Jbig2Codec.Budget(2481, 3508, 0, long.MaxValue));

        // A book's dictionary shared by its pages (jbig2enc's): 5 MB of symbols on a page of 2 megapixels.
        Assert.Equal((6L * 200 * 1000) + (64L * 5_000_000) + (1 << 20), Jbig2Codec.Budget(1600, 1000, 5_000_000, long.MaxValue));
        Assert.Equal(40_000, Jbig2Codec.Budget(2481, 3508, 0, 40_000));
        Assert.Equal(1 << 20, Jbig2Codec.Budget(0, 0, 0, long.MaxValue));
        Assert.Equal(1 << 20, Jbig2Codec.Budget(-5, 100, 0, long.MaxValue));
    }

    [Fact]
    public void A_cut_stream_is_a_corrupt_image()
    {
        var failure = Failure(HandMadePdf.ScanPage(ReceiptGeneric[..20], "JBIG2Decode", 463, 1013, "DeviceGray", 1));

        Assert.Equal(OcrErrorCode.CorruptImage, failure.Code);
        Assert.Contains("JBIG2 image on page 1", failure.Message, StringComparison.Ordinal);
    }

    private static byte[] Deflate(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
