using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>Which pictures of a born-digital PDF page are read (<see cref="PdfPages.Pictures"/>), and where they lie.</summary>
public sealed class PdfPicturesTests
{
    private static byte[] Png(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, Color.White);
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }

    private static IReadOnlyList<PagePicture> Pictures(byte[] pdf, long maxPixels = 60_000_000, bool pictures = true)
    {
        var loader = new ImageLoader(new OcrEngineOptions { MaxPixels = maxPixels, PdfPictures = pictures });
        using var document = loader.Load(pdf);
        return document.Pictures(0);
    }

    [Fact]
    public void Pictures_are_placed_in_points_from_the_top_left_largest_first_with_their_pixels()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Text", 12, new PdfPoint(50, 800), builder.AddStandard14Font(Standard14Font.Helvetica));
        page.AddPng(Png(40, 20), new PdfRectangle(50, 700, 90, 720));
        page.AddPng(Png(300, 100), new PdfRectangle(100, 100, 250, 150));

        var pictures = Pictures(builder.Build());

        Assert.Equal([(300, 100, new PictureFrame(100, 692, 250, 742)), (40, 20, new PictureFrame(50, 122, 90, 142))],
            pictures.Select(p => (p.Width, p.Height, p.Place)));
    }

    [Fact]
    public void Icons_under_16_pixels_a_side_and_pictures_past_the_pixel_budget_are_left_out()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddPng(Png(15, 200), new PdfRectangle(10, 10, 25, 210)); // a rule: too thin
        page.AddPng(Png(100, 100), new PdfRectangle(300, 300, 500, 500)); // 10,000 pixels, the largest on the page
        page.AddPng(Png(80, 80), new PdfRectangle(300, 100, 450, 250)); // 6,400: past the budget once the first is in
        page.AddPng(Png(50, 50), new PdfRectangle(50, 500, 100, 550)); // 2,500: still fits

        var pictures = Pictures(builder.Build(), maxPixels: 13_000);

        Assert.Equal([(100, 100), (50, 50)], pictures.Select(p => (p.Width, p.Height)));
    }

    [Fact]
    public void At_most_32_pictures_a_page_are_read()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        var png = Png(20, 20);
        for (var i = 0; i < 40; i++)
        {
            page.AddPng(png, new PdfRectangle(20 + (i % 8 * 60), 20 + (i / 8 * 60), 40 + (i % 8 * 60) + (i == 39 ? 30 : 0), 40 + (i / 8 * 60)));
        }

        var pictures = Pictures(builder.Build());

        Assert.Equal(PdfPages.MaxPictures, pictures.Count);
        Assert.Equal(50, pictures[0].Place.Right - pictures[0].Place.Left, 0.01f); // the one drawn widest comes first
    }

    [Fact]
    public void A_scanned_page_or_pictures_turned_off_give_none()
    {
        var scanned = new PdfDocumentBuilder();
        scanned.AddPage(PageSize.A4).AddPng(Png(300, 400), new PdfRectangle(0, 0, 595, 842));
        var digital = new PdfDocumentBuilder();
        digital.AddPage(PageSize.A4).AddPng(Png(300, 100), new PdfRectangle(100, 100, 250, 150));

        Assert.Empty(Pictures(scanned.Build()));
        Assert.Empty(Pictures(digital.Build(), pictures: false));
        Assert.Single(Pictures(digital.Build()));
    }
}
