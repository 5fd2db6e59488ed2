using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// TIFF scans as libtiff writes them (ImageMagick 6.9.11 on libtiff 4.5; fixtures/tiff, the top of SROIE receipt 000):
/// LZW in strips of one row, of 64 rows and of the whole page, the horizontal predictor, big-endian, grey of both
/// polarities and an 8-bit palette; thresholded to black and white as CCITT Group 4 faxes (either polarity; in strips of
/// 16 rows with the bits of each byte from the lowest, as fax software writes them) and as a Group 3 fax (one-dimensional,
/// fill bits before each end-of-line code; and two-dimensional, which ImageSharp does not decode). The engine decodes them itself (<see cref="TiffStrips"/>) to the pixels ImageSharp
/// gives, and reads them as it reads the same pixels stored as a PNG.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TiffScanTests(EngineFixture fixture)
{
    public static TheoryData<string> Scans => new()
    {
        "receipt_000_top_rgb_msb.tif", "receipt_000_top_rows_of_one.tif", "receipt_000_top_grey_one_strip.tif",
        "receipt_000_top_min_is_white.tif", "receipt_000_top_palette.tif",
        "receipt_000_top_g4.tif", "receipt_000_top_g4_lsb_strips.tif", "receipt_000_top_g3.tif",
    };

    [Theory]
    [MemberData(nameof(Scans))]
    public void A_libtiff_scan_is_decoded_by_the_engine_to_the_pixels_imagesharp_gives(string file)
    {
        var tiff = Fixtures.Bytes("tiff", file);
        using var reference = Image.Load<Rgb24>(tiff);
        var expected = new byte[reference.Width * reference.Height * 3];
        reference.CopyPixelDataTo(expected);

        var strips = TiffStrips.TryDecode(tiff);
        using var loaded = new ImageLoader(fixture.Options).Load(tiff);
        var page = loaded.Page(0);

        Assert.NotNull(strips); // the engine's own reader takes it
        Assert.Equal(expected, strips.Data[..(strips.Stride * strips.Height)].ToArray());
        Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        Assert.Equal(page.Stride * page.Height, loaded.DecodePeakBytes); // the page's pixels, nothing beside them
        strips.Release();
        page.Release();
    }

    [Theory]
    [InlineData("receipt_000_top_g3_2d.tif")] // one strip, each end-of-line code where it falls
    [InlineData("receipt_000_top_g3_2d_lsb_strips.tif")] // strips of 16 rows, fill bits before each end-of-line code, FillOrder 2
    public void A_two_dimensional_group_3_fax_is_decoded_to_the_pixels_of_the_group_4_fax_it_was_recoded_from(string file)
    {
        // As fax servers store what fax machines send (T.4's two-dimensional coding, a tag bit after each end-of-line code
        // saying how the next row is coded). ImageSharp 2.1 refuses it ("TIFF CCITT 2D compression is not yet supported"),
        // so the file was answered corrupt-image before the engine read it itself. libtiff's tiffcp re-coded the Group 4
        // fixture, row for row; its pixels as ImageSharp decodes them are the reference.
        var tiff = Fixtures.Bytes("tiff", file);
        using var reference = Image.Load<Rgb24>(Fixtures.Bytes("tiff", "receipt_000_top_g4.tif"));
        var expected = new byte[reference.Width * reference.Height * 3];
        reference.CopyPixelDataTo(expected);

        using var loaded = new ImageLoader(fixture.Options).Load(tiff);
        var page = loaded.Page(0);

        Assert.Equal((reference.Width, reference.Height), (page.Width, page.Height));
        Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Fact]
    public void A_two_dimensional_group_3_fax_reads_as_its_group_4_twin()
    {
        var g3 = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("tiff", "receipt_000_top_g3_2d_lsb_strips.tif"), OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var g4 = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("tiff", "receipt_000_top_g4.tif"), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Equal(g4.Text, g3.Text);
        Assert.Contains("TAMAN DAYA", g3.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_min_is_black_fax_shows_its_paper_white_as_libtiff_shows_it()
    {
        // The same picture as receipt_000_top_g4.tif, written with PhotometricInterpretation 1: ImageMagick codes its
        // paper as the fax code's black runs so that libtiff (which shows both files alike) reads it back white.
        // ImageSharp 2.1 shows this file inverted, white text on black: the engine's reader follows libtiff.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_g4_min_is_black.tif");
        using var minIsWhite = Image.Load<Rgb24>(Fixtures.Bytes("tiff", "receipt_000_top_g4.tif"));
        var expected = new byte[minIsWhite.Width * minIsWhite.Height * 3];
        minIsWhite.CopyPixelDataTo(expected);

        using var loaded = new ImageLoader(fixture.Options).Load(tiff);
        var page = loaded.Page(0);

        Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Fact]
    public void The_pages_of_a_multi_page_lzw_scan_are_decoded_in_place_without_copying_the_file()
    {
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_three_pages.tif");
        using var reference = Image.Load<Rgb24>(tiff);
        using var loaded = new ImageLoader(fixture.Options).Load(tiff);

        Assert.Equal(3, loaded.PageCount);
        for (var i = 0; i < 3; i++)
        {
            var expected = new byte[reference.Width * reference.Height * 3];
            reference.Frames[i].CopyPixelDataTo(expected);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var page = loaded.Page(i);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

            Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
            // The LZW tables (33 KB) besides the page's buffer (a 512 KiB array from a pool, counted when the pool had none
            // to give): the file (123 KB) is not copied to present the page as a file of its own.
            var pooled = page.ManagedArray?.Length ?? 0;
            var beyondThePage = allocated >= pooled ? allocated - pooled : allocated;
            Assert.True(beyondThePage < 64 * 1024, $"page {i + 1}: {allocated} bytes allocated, the page's array {pooled}");
            Assert.Equal(expected, TakeRelease(TiffStrips.TryDecode(tiff, directory: TiffPages.TryRead(tiff, 10)!.DirectoryOf(i))));
            page.Release();
        }
    }

    private static byte[] TakeRelease(RgbBuffer? page)
    {
        Assert.NotNull(page);
        var pixels = page.Data[..(page.Stride * page.Height)].ToArray();
        page.Release();
        return pixels;
    }

    [Fact]
    public void An_lzw_scan_reads_as_its_pixels_do_stored_as_a_png()
    {
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_rgb_msb.tif");
        using var image = Image.Load<Rgb24>(tiff);
        using var png = new MemoryStream();
        image.SaveAsPng(png);

        var fromTiff = fixture.Engine.Recognize(tiff, OcrMode.Full, TestContext.Current.CancellationToken);
        var fromPng = fixture.Engine.Recognize(png.ToArray(), OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Contains("JALAN SAGU 18", fromTiff.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(fromPng.Pages[0].Lines.Select(l => l.Text), fromTiff.Pages[0].Lines.Select(l => l.Text));
    }
}
