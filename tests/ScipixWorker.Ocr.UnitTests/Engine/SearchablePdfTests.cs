using System.Text;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class SearchablePdfTests
{
    [Fact]
    public void More_characters_than_one_font_holds_spread_over_fonts_and_read_back_as_written()
    {
        // 300 distinct Han characters and a character outside the Basic Multilingual Plane, on a blank PNG.
        var text = string.Concat(Enumerable.Range(0x4E00, 300).Select(c => (char)c)) + "\U0001D400";
        var lines = new[]
        {
            new RecognizedLine(text[..150], 0.9f, Quad.FromRectangle(10, 10, 580, 30)),
            new RecognizedLine(text[150..], 0.9f, Quad.FromRectangle(10, 50, 580, 30)),
        };
        var document = new OcrDocument([new OcrPage(1, 600, 100, lines, text, OcrTimings.Zero)]);

        var output = new MemoryStream();
        SearchablePdf.Write(BlankPng(600, 100), document, new OcrEngineOptions(), output, TestContext.Current.CancellationToken);
        using var pdf = PdfDocument.Open(output.ToArray());

        var page = Assert.Single(pdf.GetPages());
        Assert.Equal(text, string.Concat(page.Letters.Select(l => l.Value)));
        Assert.Equal(2, Encoding.Latin1.GetString(output.ToArray()).Split("/Subtype /Type3").Length - 1); // 301 characters: two fonts
        Assert.Equal(450, page.Width, 0.1); // ImageSharp writes 3,780 pixels a metre (96 DPI) into the PNG: 0.75 points a pixel
        Assert.Equal(75, page.Height, 0.1);
    }

    [Fact]
    public void A_word_is_placed_along_its_box_s_bottom_edge_at_its_height_in_the_page_s_points()
    {
        // Upright, at 2 points a pixel on a page 200 points high: bottom-left (10, 30) px -> (20, 140) pt.
        var upright = SearchablePdf.WordPlacement(Quad.FromRectangle(10, 20, 50, 10), 2, 200)!.Value;
        Assert.Equal((1, 0, 0, 1, 20, 140, 100, 20), Rounded(upright));

        // Read bottom to top (a page turned sideways): x runs up the page, y to the left.
        var up = new Quad(new(10, 100), new(10, 50), new(30, 50), new(30, 100));
        Assert.Equal((0, 1, -1, 0, 30, 100, 50, 20), Rounded(SearchablePdf.WordPlacement(up, 1, 200)!.Value));

        Assert.Null(SearchablePdf.WordPlacement(Quad.FromRectangle(5, 5, 0, 10), 1, 100));
    }

    [Theory]
    // Where EXIF says the stored image's first row and column show (its top-left corner), and its top-right corner.
    [InlineData(1, "top-left", "top-right")]
    [InlineData(2, "top-right", "top-left")]
    [InlineData(3, "bottom-right", "bottom-left")]
    [InlineData(4, "bottom-left", "bottom-right")]
    [InlineData(5, "top-left", "bottom-left")]
    [InlineData(6, "top-right", "bottom-right")]
    [InlineData(7, "bottom-right", "top-right")]
    [InlineData(8, "bottom-left", "top-left")]
    public void A_JPEG_with_an_EXIF_orientation_is_drawn_as_that_orientation_shows_it(int orientation, string storedTopLeft, string storedTopRight)
    {
        var m = SearchablePdf.ImageMatrix(orientation, 200, 100);
        (double, double) Draw(double s, double t) => ((m.A * s) + (m.C * t) + m.E, (m.B * s) + (m.D * t) + m.F);
        var corners = new Dictionary<string, (double, double)> { ["top-left"] = (0, 100), ["top-right"] = (200, 100), ["bottom-left"] = (0, 0), ["bottom-right"] = (200, 0) };

        // The image's unit square: (0, 1) is its stored top-left corner, (1, 1) its stored top-right one.
        Assert.Equal(corners[storedTopLeft], Draw(0, 1));
        Assert.Equal(corners[storedTopRight], Draw(1, 1));
    }

    [Fact]
    public void A_JPEG_s_frame_header_gives_its_components_and_size()
    {
        using var image = new Image<L8>(37, 21);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg);

        Assert.Equal((1, 37, 21), SearchablePdf.JpegFrame(jpeg.ToArray()));
        Assert.Equal((0, 0, 0), SearchablePdf.JpegFrame(BlankPng(4, 4)));

        // Arithmetic coding (SOF9) and 12-bit samples: not passed through (re-encoded instead).
        byte[] Frame(byte marker, byte precision) => [0xFF, 0xD8, 0xFF, marker, 0x00, 0x11, precision, 0x00, 0x15, 0x00, 0x25, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
        Assert.Equal((3, 37, 21), SearchablePdf.JpegFrame(Frame(0xC0, 8)));
        Assert.Equal((0, 0, 0), SearchablePdf.JpegFrame(Frame(0xC9, 8)));
        Assert.Equal((0, 0, 0), SearchablePdf.JpegFrame(Frame(0xC1, 12)));
    }

    private static (double, double, double, double, double, double, double, double) Rounded(
        (double A, double B, double C, double D, double E, double F, double Length, double Height) p) =>
        (Math.Round(p.A, 3) + 0.0, Math.Round(p.B, 3) + 0.0, Math.Round(p.C, 3) + 0.0, Math.Round(p.D, 3) + 0.0, Math.Round(p.E, 2), Math.Round(p.F, 2), Math.Round(p.Length, 2), Math.Round(p.Height, 2));

    private static byte[] BlankPng(int width, int height)
    {
        using var image = new Image<Rgb24>(width, height, new Rgb24(255, 255, 255));
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
