using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A lossless PDF scan of 8-bit grey or RGB samples (LZW, run-length, Flate) is handed on as a PNG of its samples as
/// they are (PdfPages' plain samples, PngBytes), not as PdfPig's own PNG of them: the page's pixels are those PdfPig's
/// PNG gives.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfLosslessScanTests(EngineFixture fixture)
{
    public static TheoryData<string> Scans => new() { "scan_lzw.pdf", "scan_rle.pdf", "flate-rgb", "flate-grey" };

    [Theory]
    [MemberData(nameof(Scans))]
    public void A_lossless_scan_decodes_to_the_pixels_of_pdfpigs_own_png(string scan)
    {
        var pdf = scan.StartsWith("flate", StringComparison.Ordinal) ? Flate(grey: scan.EndsWith("grey", StringComparison.Ordinal)) : Fixtures.Bytes("pdf", scan);
        byte[] expected;
        using (var document = PdfDocument.Open(pdf))
        {
            var image = document.GetPage(1).GetImages().Single();
            Assert.True(image.TryGetPng(out var png));
            using var decoded = Image.Load<Rgb24>(png);
            expected = new byte[decoded.Width * decoded.Height * 3];
            decoded.CopyPixelDataTo(expected);
        }

        using var loaded = new ImageLoader(fixture.Options).Load(pdf);
        var page = loaded.Page(0);

        Assert.Equal(expected, page.Data[..(page.Stride * page.Height)].ToArray());
        page.Release();
    }

    // A one-page PDF of a receipt crop's pixels deflated (PdfPig's writer stores a PNG's samples so; a grey PNG's as RGB).
    private static byte[] Flate(bool grey)
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
