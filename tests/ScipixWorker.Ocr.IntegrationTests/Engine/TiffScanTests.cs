using System.Buffers.Binary;
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
/// fill bits before each end-of-line code; and two-dimensional, which ImageSharp does not decode); and re-coded by libtiff in
/// tiles, deflated, in PackBits and as CMYK (tiles and CMYK ImageSharp does not decode either). The engine decodes them itself (<see cref="TiffStrips"/>) to the pixels ImageSharp
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
    [InlineData("receipt_000_top_tiles_lzw.tif", "receipt_000_top_rgb_msb.tif")] // RGB, LZW with the predictor, 128 x 64 tiles
    [InlineData("receipt_000_top_tiles_deflate_grey.tif", "receipt_000_top_grey_one_strip.tif")] // grey, deflate with the predictor
    [InlineData("receipt_000_top_tiles_packbits_palette.tif", "receipt_000_top_palette.tif")] // palette, PackBits, 256 x 48 tiles
    [InlineData("receipt_000_top_tiles_g4.tif", "receipt_000_top_g4.tif")] // a Group 4 fax in tiles
    [InlineData("receipt_000_top_deflate.tif", "receipt_000_top_rgb_msb.tif")] // RGB, deflate with the predictor, in strips
    [InlineData("receipt_000_top_packbits_grey.tif", "receipt_000_top_grey_one_strip.tif")] // grey, PackBits, one strip
    public void A_scan_in_tiles_deflated_or_packed_is_decoded_to_the_pixels_of_the_scan_it_was_recoded_from(string file, string from)
    {
        // Tiled TIFFs, as large-format scanners, archives and imaging libraries write them: ImageSharp 2.1 refuses them
        // ("Tiled images are not supported"), so the file was answered corrupt-image. libtiff's tiffcp re-coded the
        // fixture `from` (the edge tiles padded past the page); its pixels as ImageSharp decodes them are the reference.
        var tiff = Fixtures.Bytes("tiff", file);
        using var reference = Image.Load<Rgb24>(Fixtures.Bytes("tiff", from));
        var expected = new byte[reference.Width * reference.Height * 3];
        reference.CopyPixelDataTo(expected);

        var strips = TiffStrips.TryDecode(tiff);
        using var loaded = new ImageLoader(fixture.Options).Load(tiff);
        var page = loaded.Page(0);

        Assert.NotNull(strips);
        Assert.Equal(expected, TakeRelease(strips));
        Assert.Equal((reference.Width, reference.Height), (page.Width, page.Height));
        Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    [Theory]
    [InlineData("receipt_000_top_tiles_jpeg.tif", false)] // YCbCr, quality 90, 128 x 64 tiles, the tables shared (JPEGTables)
    [InlineData("receipt_000_top_tiles_jpeg_rgb.tif", false)] // RGB components (no colour transform), quality 75, 256 x 128 tiles
    [InlineData("receipt_000_top_tiles_jpeg_rgb.tif", true)] // the same, its components numbered 1-3 instead of named R, G, B
    public void A_jpeg_scan_in_tiles_is_decoded_to_the_pixels_it_was_coded_from_within_the_jpeg_loss(string file, bool numbered)
    {
        // ImageSharp 2.1 reads JPEG TIFFs in strips, not in tiles. Each tile is made a JPEG file of its own with the shared
        // tables and decoded. libjpeg names RGB components 'R', 'G', 'B', which tells a decoder they are not YCbCr; other
        // writers number them, and only the TIFF's Photometric (RGB) says so: the engine marks such tiles (Adobe, no
        // transform), or they would be read as YCbCr, every colour wrong.
        var tiff = Fixtures.Bytes("tiff", file);
        if (numbered)
        {
            NumberComponents(tiff);
        }

        using var source = Image.Load<Rgb24>(Fixtures.Bytes("tiff", "receipt_000_top_rgb_msb.tif"));
        var expected = new byte[source.Width * source.Height * 3];
        source.CopyPixelDataTo(expected);

        using var loaded = new ImageLoader(fixture.Options).Load(tiff);
        var page = loaded.Page(0);
        var pixels = page.Data[..(page.Stride * page.Height)].ToArray();
        page.Release();

        Assert.Equal((source.Width, source.Height), (page.Width, page.Height));
        var meanError = pixels.Zip(expected).Average(p => Math.Abs(p.First - p.Second));
        Assert.InRange(meanError, 0, 2.0); // 0.69 and 1.44 levels: JPEG's loss; read as YCbCr, the RGB file is off by tens
        Assert.Contains("TAMAN DAYA", fixture.Engine.Recognize(tiff, OcrMode.Full, TestContext.Current.CancellationToken).Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_jpeg_scan_in_strips_is_decoded_strip_by_strip_to_the_pixels_imagesharp_gives()
    {
        // Strips of up to 16 MiB are read as tiles the page's width (about half ImageSharp's time, docs/benchmarks.md).
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_strips_jpeg.tif");
        using var reference = Image.Load<Rgb24>(tiff);
        var expected = new byte[reference.Width * reference.Height * 3];
        reference.CopyPixelDataTo(expected);

        Assert.Equal(expected, TakeRelease(TiffStrips.TryDecode(tiff)));
    }

    [Fact]
    public void A_jpeg_strip_that_is_not_jpeg_data_is_refused_before_imagesharp_decodes_it_as_a_file_of_its_own()
    {
        // Without JPEGTables, ImageSharp 2.1 decodes each JPEG strip as a file of whatever format it finds there: a strip
        // at offset 0 is the TIFF itself, decoded again inside itself until the stack overflows and the process ends (a
        // 262-byte file a failed tiffcp left did that). Turned (Orientation 6), the page is left to ImageSharp.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_strips_jpeg.tif");
        BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan((int)Entry(tiff, 347)), 65_000); // JPEGTables: a private tag
        BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan((int)Entry(tiff, 273) + 8))), 0);
        tiff[(int)Entry(tiff, 274) + 8] = 6;

        AssertCorrupt(tiff, "strip 0 is not JPEG data");
    }

    [Fact]
    public void A_tiff_that_imagesharp_would_decode_inside_itself_is_refused_at_the_second_level()
    {
        // Found by the mutation loop (the JPEG strips fixture turned, without JPEGTables, a strip offset 0, its directory's
        // entry count grown over the bytes after it): the directory reads well to the engine, and to ImageSharp as a page
        // whose strip is the file itself. Before NestedTiffGuard the process ended in a stack overflow.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_strips_jpeg_nested.tif");

        AssertCorrupt(tiff, "holds a TIFF");
    }

    [Fact]
    public void A_jpeg_tile_whose_frame_claims_more_than_the_tile_is_refused_before_it_is_decoded()
    {
        // The first tile's frame header (SOF0) made 65,535 rows high: decoded, it would take 65,535 x 128 pixels.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_tiles_jpeg.tif");
        var frame = tiff.AsSpan().IndexOf([(byte)0xFF, (byte)0xC0]);
        (tiff[frame + 5], tiff[frame + 6]) = (0xFF, 0xFF);

        AssertCorrupt(tiff, "tile 0");
    }

    // Each JPEG frame header's (SOF0) and scan header's (SOS) component names 'R', 'G', 'B' made 1, 2, 3.
    private static void NumberComponents(byte[] tiff)
    {
        var renamed = 0;
        for (var i = 0; i + 20 < tiff.Length; i++)
        {
            if (tiff[i] == 0xFF && tiff[i + 1] == 0xC0 && tiff[i + 9] == 3)
            {
                (tiff[i + 10], tiff[i + 13], tiff[i + 16]) = (1, 2, 3);
                renamed++;
            }
            else if (tiff[i] == 0xFF && tiff[i + 1] == 0xDA && tiff[i + 4] == 3)
            {
                (tiff[i + 5], tiff[i + 7], tiff[i + 9]) = (1, 2, 3);
                renamed++;
            }
        }

        Assert.Equal(8, renamed); // four tiles, a frame and a scan header each
    }

    [Fact]
    public void A_cmyk_scan_is_shown_as_libtiff_shows_it()
    {
        // Print-ready pages come as CMYK (Photometric 5, InkSet 1): ImageSharp 2.1 refuses them ("The specified TIFF
        // photometric interpretation is not supported"). The reference: libtiff's tiff2rgba of the same file.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_cmyk.tif");

        Assert.Equal(PixelsOf(Fixtures.Bytes("tiff", "receipt_000_top_cmyk_libtiff.png")), LoadedPixels(tiff));
        Assert.Contains("TAMAN DAYA", fixture.Engine.Recognize(tiff, OcrMode.Full, TestContext.Current.CancellationToken).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("receipt_000_top_tiles_lzw.tif", "receipt_000_top_rgb_msb.tif")] // in tiles, and in strips
    [InlineData("receipt_000_top_g3_2d_lsb_strips.tif", "receipt_000_top_g4.tif")] // a two-dimensional Group 3 fax, and Group 4
    public void A_recoded_scan_reads_as_the_scan_it_was_recoded_from(string file, string from)
    {
        var recoded = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("tiff", file), OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var source = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("tiff", from), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Equal(source.Text, recoded.Text);
        Assert.Contains("TAMAN DAYA", recoded.Text, StringComparison.Ordinal);
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
    public void A_min_is_black_fax_shows_its_paper_white_as_libtiff_shows_it()
    {
        // The same picture as receipt_000_top_g4.tif, written with PhotometricInterpretation 1: ImageMagick codes its
        // paper as the fax code's black runs so that libtiff (which shows both files alike) reads it back white.
        // ImageSharp 2.1 shows this file inverted, white text on black: the engine's reader follows libtiff.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_g4_min_is_black.tif");

        Assert.Equal(PixelsOf(Fixtures.Bytes("tiff", "receipt_000_top_g4.tif")), LoadedPixels(tiff));
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

    [Theory]
    [InlineData(false)] // the engine's reader inflates it
    [InlineData(true)] // turned (Orientation 6): left to ImageSharp, whose inflater's InvalidDataException went through
    public void A_damaged_deflate_strip_is_answered_corrupt_image(bool turned)
    {
        // The first strip's deflate data: a final block of the reserved type 3 after zlib's two header bytes.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_deflate.tif");
        tiff[(int)FirstValue(tiff, 273) + 2] = 0xFF;
        if (turned)
        {
            tiff[(int)Entry(tiff, 274) + 8] = 6;
        }

        var error = Assert.Throws<OcrException>(() =>
        {
            using var loaded = new ImageLoader(fixture.Options).Load(tiff);
            loaded.Page(0).Release();
        });

        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
    }

    [Fact]
    public void A_fax_whose_samples_a_pixel_are_not_a_number_is_refused_before_imagesharp_reads_it()
    {
        // Found by the mutation loop: SamplesPerPixel's type changed from SHORT to RATIONAL. The engine's reader leaves
        // such a page alone; ImageSharp read the tag's eight bytes elsewhere in the file as the count and took 1.4 s and
        // 300 MB to refuse a 1.9-KB file.
        var tiff = Fixtures.Bytes("tiff", "receipt_000_top_g4_lsb_strips.tif");
        tiff[(int)Entry(tiff, 277) + 2] = 5;
        var before = GC.GetAllocatedBytesForCurrentThread();

        AssertCorrupt(tiff, "SamplesPerPixel");
        Assert.InRange(GC.GetAllocatedBytesForCurrentThread() - before, 0, 1 << 20);
    }

    // A little-endian classic TIFF's first directory entry for `tag`: its position.
    private static long Entry(byte[] tiff, ushort tag)
    {
        var directory = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        var entries = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(directory));
        for (var i = 0; i < entries; i++)
        {
            var entry = directory + 2 + (i * 12);
            if (BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(entry)) == tag)
            {
                return entry;
            }
        }

        throw new InvalidOperationException($"the file has no tag {tag}");
    }

    // The first of a LONG tag's several values (StripOffsets), which lie where the entry points.
    private static uint FirstValue(byte[] tiff, ushort tag) =>
        BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan((int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan((int)Entry(tiff, tag) + 8))));

    // The loader refuses the file as damaged, saying `says`.
    private void AssertCorrupt(byte[] tiff, string says)
    {
        var error = Assert.Throws<OcrException>(() => new ImageLoader(fixture.Options).Load(tiff).Page(0).Release());
        Assert.Equal(OcrErrorCode.CorruptImage, error.Code);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
    }

    // The pixels ImageSharp decodes from an encoded image, as RGB bytes.
    private static byte[] PixelsOf(byte[] encoded)
    {
        using var image = Image.Load<Rgb24>(encoded);
        var pixels = new byte[image.Width * image.Height * 3];
        image.CopyPixelDataTo(pixels);
        return pixels;
    }

    // The first page of the file as the loader decodes it, as RGB bytes.
    private byte[] LoadedPixels(byte[] file)
    {
        using var loaded = new ImageLoader(fixture.Options).Load(file);
        return TakeRelease(loaded.Page(0));
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
