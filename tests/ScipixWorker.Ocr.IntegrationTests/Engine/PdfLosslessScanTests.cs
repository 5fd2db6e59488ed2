using System.IO.Compression;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A lossless PDF scan (Flate, LZW, run-length, CCITT fax or no filter) of grey, RGB or palette samples is written
/// straight into the page from its decoded samples (<see cref="ScanSamples"/>), turned as the page shows it: the page's
/// pixels are those of PdfPig's own PNG of the image, turned as ImageSharp turns it (what the worker decoded before).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfLosslessScanTests(EngineFixture fixture)
{
    public static TheoryData<string, int> Scans()
    {
        var data = new TheoryData<string, int>();
        foreach (var scan in new[] { "scan_lzw.pdf", "scan_rle.pdf", "scan_receipt_000_g4.pdf", "builder-flate-rgb", "builder-flate-grey" })
        {
            data.Add(scan, 0);
        }

        foreach (var scan in new[] { "grey8", "rgb8", "grey1", "grey1-inverted", "grey2", "grey4-inverted", "indexed-rgb8", "indexed-grey4", "indexed-rgb1", "raw-rgb8", "mask", "mask-inverted", "ccitt", "ccitt-mask" })
        {
            foreach (var turn in new[] { 0, 90, 180, 270 })
            {
                data.Add(scan, turn);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Scans))]
    public void A_lossless_scan_decodes_from_its_samples_to_the_pixels_of_pdfpigs_own_png(string scan, int turn)
    {
        var pdf = scan switch
        {
            _ when scan.EndsWith(".pdf", StringComparison.Ordinal) => Fixtures.Bytes("pdf", scan),
            "builder-flate-rgb" or "builder-flate-grey" => BuilderFlate(grey: scan.EndsWith("grey", StringComparison.Ordinal)),
            "ccitt" or "ccitt-mask" => Ccitt(turn, mask: scan == "ccitt-mask"),
            _ => Made(scan, turn),
        };
        var expected = PdfPigPixels(pdf, turn, out var width, out var height);

        using var loaded = new ImageLoader(fixture.Options).Load(pdf);
        var page = loaded.Page(0);
        try
        {
            Assert.Equal((width, height), (page.Width, page.Height));
            Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        }
        finally
        {
            page.Release();
        }

        Assert.NotNull(ScanOf(pdf).Samples); // written from its samples, not through a PNG
    }

    [Theory]
    [InlineData("DeviceCMYK", 4, "")]
    [InlineData("DeviceRGB", 3, " /Decode [1 0 1 0 1 0]")]
    [InlineData("DeviceGray", 1, " /Decode [0.2 0.8]")]
    [InlineData("[/CalRGB << /WhitePoint [0.9505 1 1.089] >>]", 3, "")]
    public void Other_lossless_scans_still_take_pdfpigs_png(string colour, int components, string extra)
    {
        var (width, height) = (40, 30);
        var samples = new byte[width * height * components];
        new Random(7).NextBytes(samples);
        var pdf = HandMadePdf.ScanPage(Deflated(samples), "FlateDecode", width, height, colour, 8, extra: extra);

        var scan = ScanOf(pdf);

        Assert.Null(scan.Samples);
        Assert.False(scan.Encoded.IsEmpty);
    }

    [Fact]
    public void A_scan_whose_samples_fall_short_is_not_written_from_them()
    {
        var (width, height) = (40, 30);
        var pdf = HandMadePdf.ScanPage(Deflated(new byte[(width * height) - 1]), "FlateDecode", width, height, "DeviceGray", 8);

        Assert.Null(ScanOf(pdf).Samples);
    }

    private static PageScan ScanOf(byte[] pdf)
    {
        using var pages = PdfPages.Open(pdf, 1L << 30, new PageContent(long.MaxValue, long.MaxValue));
        return pages.Scan(0, (_, _) => { });
    }

    // PdfPig's PNG of the page's one image, decoded and turned by ImageSharp: the pixels the worker read before.
    private static byte[] PdfPigPixels(byte[] pdf, int turn, out int width, out int height)
    {
        using var document = PdfDocument.Open(pdf);
        var image = document.GetPage(1).GetImages().Single();
        Assert.True(image.TryGetPng(out var png));
        using var decoded = Image.Load<Rgb24>(png);
        if (turn != 0)
        {
            decoded.Mutate(x => x.Rotate(turn));
        }

        (width, height) = (decoded.Width, decoded.Height);
        var pixels = new byte[decoded.Width * decoded.Height * 3];
        decoded.CopyPixelDataTo(pixels);
        return pixels;
    }

    // A receipt crop's pixels as a hand-made scan of the kind named, deflated (or not, "raw-"), drawn turned.
    private static byte[] Made(string kind, int turn)
    {
        using var image = Image.Load<Rgb24>(Fixtures.Bytes("sroie", "line_111_019.png"));
        var (width, height) = (image.Width, image.Height);
        var rgb = new byte[width * height * 3];
        image.CopyPixelDataTo(rgb);

        // A little colour, so that RGB and palette samples differ from grey ones.
        for (var i = 0; i < rgb.Length; i += 3)
        {
            rgb[i + 2] = (byte)(rgb[i + 2] / 2);
        }

        var grey = new byte[width * height];
        for (var i = 0; i < grey.Length; i++)
        {
            grey[i] = rgb[i * 3];
        }

        var (samples, colour, bits, extra) = kind switch
        {
            "grey8" => (grey, "DeviceGray", 8, string.Empty),
            "rgb8" or "raw-rgb8" => (rgb, "DeviceRGB", 8, string.Empty),
            "grey1" => (Packed(grey, width, 1, g => g >> 7), "DeviceGray", 1, string.Empty),
            "grey1-inverted" => (Packed(grey, width, 1, g => 1 - (g >> 7)), "DeviceGray", 1, " /Decode [1 0]"),
            "grey2" => (Packed(grey, width, 2, g => g >> 6), "DeviceGray", 2, string.Empty),
            "grey4-inverted" => (Packed(grey, width, 4, g => 15 - (g >> 4)), "DeviceGray", 4, " /Decode [1 0]"),
            "indexed-rgb8" => (Packed(grey, width, 8, g => g), $"[/Indexed /DeviceRGB 255 <{Table(256, 3)}>]", 8, string.Empty),
            "indexed-grey4" => (Packed(grey, width, 4, g => g >> 4), $"[/Indexed /DeviceGray 11 <{Table(12, 1)}>]", 4, string.Empty),
            "mask" => (Packed(grey, width, 1, g => g >> 7), string.Empty, 1, " /ImageMask true"),
            "mask-inverted" => (Packed(grey, width, 1, g => 1 - (g >> 7)), string.Empty, 1, " /ImageMask true /Decode [1 0]"),
            "indexed-rgb1" => (Packed(grey, width, 1, g => g >> 7), "[/Indexed /DeviceRGB 1 <203040F0E0D0>]", 1, string.Empty),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        return kind.StartsWith("raw-", StringComparison.Ordinal)
            ? HandMadePdf.ScanPage(samples, string.Empty, width, height, colour, bits, clockwiseTurn: turn)
            : HandMadePdf.ScanPage(Deflated(samples), "FlateDecode", width, height, colour, bits, extra: extra, clockwiseTurn: turn);
    }

    // The fixture fax's CCITT G4 stream (as its /DecodeParms describe it) drawn turned, as a grey image or a stencil mask
    // (as some fax software writes a page).
    private static byte[] Ccitt(int turn, bool mask)
    {
        using var document = PdfDocument.Open(Fixtures.Bytes("pdf", "scan_receipt_000_g4.pdf"));
        var image = document.GetPage(1).GetImages().MaxBy(i => i.WidthInSamples)!;
        var (width, height) = (image.WidthInSamples, image.HeightInSamples);
        return HandMadePdf.ScanPage(image.RawMemory.ToArray(), "CCITTFaxDecode", width, height, mask ? string.Empty : "DeviceGray", 1,
            extra: $" /DecodeParms << /K -1 /BlackIs1 false /Columns {width} /Rows {height} >>{(mask ? " /ImageMask true" : string.Empty)}", clockwiseTurn: turn);
    }

    // Samples of `bits` each, rows starting on a byte, each from a grey level.
    private static byte[] Packed(byte[] grey, int width, int bits, Func<int, int> value)
    {
        var height = grey.Length / width;
        var rowBytes = ((width * bits) + 7) / 8;
        var packed = new byte[rowBytes * height];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var bit = x * bits;
                packed[(y * rowBytes) + (bit / 8)] |= (byte)(value(grey[(y * width) + x]) << (8 - bits - (bit % 8)));
            }
        }

        return packed;
    }

    // A colour table of `entries` entries of `components` bytes, each entry's bytes differing, as hex.
    private static string Table(int entries, int components) =>
        Convert.ToHexString(Enumerable.Range(0, entries * components).Select(i => (byte)((i / components * 255 / Math.Max(1, entries - 1)) ^ (i % components * 40))).ToArray());

    private static byte[] Deflated(byte[] samples)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Fastest))
        {
            zlib.Write(samples);
        }

        return output.ToArray();
    }

    // A one-page PDF of a receipt crop's pixels deflated (PdfPig's writer stores a PNG's samples so; a grey PNG's as RGB).
    private static byte[] BuilderFlate(bool grey)
    {
        using var image = Image.Load<Rgb24>(Fixtures.Bytes("sroie", "line_111_019.png"));
        using var png = new MemoryStream();
        if (grey)
        {
            using var greyImage = image.CloneAs<L8>();
            greyImage.SaveAsPng(png);
        }
        else
        {
            image.SaveAsPng(png);
        }

        var builder = new PdfDocumentBuilder();
        builder.AddPage(image.Width, image.Height).AddPng(new MemoryStream(png.ToArray()), new PdfRectangle(0, 0, image.Width, image.Height));
        return builder.Build();
    }
}
