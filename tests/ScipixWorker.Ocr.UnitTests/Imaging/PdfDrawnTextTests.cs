using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>Which shapes on a born-digital page are taken for drawn text (<see cref="PdfDrawnText"/>), and in what blocks.</summary>
public sealed class PdfDrawnTextTests
{
    // A "word" of glyph-sized shapes of different kinds (a round letter, a triangle, an oval, a small square), 10 points
    // high, starting at x on the baseline y; filled, or drawn with a pen only.
    private static void Word(PdfPageBuilder page, double x, double y, bool fill = true)
    {
        page.DrawCircle(new PdfPoint(x + 5, y + 5), 10, 1, fill);
        page.DrawTriangle(new PdfPoint(x + 12, y), new PdfPoint(x + 20, y), new PdfPoint(x + 16, y + 10), 1, fill);
        page.DrawEllipsis(new PdfPoint(x + 26, y + 5), 7, 10, 1, fill);
        page.DrawRectangle(new PdfPoint(x + 32, y), 6, 7, 1, fill);
    }

    private static IReadOnlyList<DrawnBlock> Blocks(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        return PdfDrawnText.Blocks(page.Paths, [.. page.Letters.Select(l => l.BoundingBox)], 0, 0, page.Width, page.Height);
    }

    [Fact]
    public void Glyph_sized_shapes_of_different_kinds_make_a_block_rendered_at_a_readable_scale()
    {
        var builder = new PdfDocumentBuilder();
        Word(builder.AddPage(PageSize.A4), 100, 500);

        var block = Assert.Single(Blocks(builder.Build()));

        // The shapes from (100, 500) to (138, 510), 10 points round them (the median glyph's size); 3.6 pixels a point.
        Assert.Equal(90, block.Left, 1.01);
        Assert.Equal(148, block.Right, 1.01);
        Assert.Equal(490, block.Bottom, 1.01);
        Assert.Equal(520, block.Top, 1.01);
        Assert.Equal(PdfDrawnText.GlyphPixels / 10, block.Scale, 0.4);
        Assert.Equal((int)Math.Ceiling((block.Right - block.Left) * block.Scale), block.PixelWidth);
        Assert.Equal(4, block.Shapes.Count);
    }

    [Fact]
    public void Chart_markers_rules_bands_and_a_lone_icon_are_not_text()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        for (var i = 0; i < 20; i++)
        {
            page.DrawCircle(new PdfPoint(60 + (15 * i), 300 + (i % 4 * 3)), 6, 1, fill: true); // a scatter plot's markers
            page.DrawRectangle(new PdfPoint(60 + (15 * i), 100), 3, 40, 1, fill: true); // bars, ten times as high as wide
        }

        page.DrawRectangle(new PdfPoint(40, 600), 500, 16, 1, fill: true); // a table's band
        page.DrawTriangle(new PdfPoint(40, 700), new PdfPoint(60, 700), new PdfPoint(50, 715), 1, fill: true); // an icon

        Assert.Empty(Blocks(builder.Build()));
    }

    [Fact]
    public void The_pages_own_text_between_drawn_words_keeps_them_apart_and_without_it_they_are_one_block()
    {
        var apart = new PdfDocumentBuilder();
        var page = apart.AddPage(PageSize.A4);
        Word(page, 100, 700);
        page.AddText("The page's own text between them", 10, new PdfPoint(100, 600), apart.AddStandard14Font(Standard14Font.Helvetica));
        Word(page, 100, 500);
        var together = new PdfDocumentBuilder();
        var drawn = together.AddPage(PageSize.A4);
        Word(drawn, 100, 700);
        Word(drawn, 100, 500);

        var blocks = Blocks(apart.Build());
        var one = Assert.Single(Blocks(together.Build()));

        Assert.Equal([(490.0, 520.0), (690.0, 720.0)], blocks.Select(b => (Math.Round(b.Bottom), Math.Round(b.Top))).Order());
        Assert.Equal((490, 720), (Math.Round(one.Bottom), Math.Round(one.Top)));
        Assert.Equal(8, one.Shapes.Count);
    }

    [Fact]
    public void Boxes_and_lines_drawn_with_a_pen_are_not_text_and_strokes_of_letters_are()
    {
        var form = new PdfDocumentBuilder();
        var boxes = form.AddPage(PageSize.A4);
        for (var i = 0; i < 12; i++)
        {
            boxes.DrawRectangle(new PdfPoint(100 + (30 * (i % 4)), 500 + (30 * (i / 4))), 20 + i, 15, 1); // a form's boxes, stroked
            boxes.DrawLine(new PdfPoint(100, 400 - (5 * i)), new PdfPoint(130 + i, 400 - (5 * i)), 1); // and its lines
        }

        var drawing = new PdfDocumentBuilder();
        Word(drawing.AddPage(PageSize.A4), 100, 500, fill: false); // the word's shapes drawn with a pen only: hollow letters
        var hollow = drawing.Build();
        using var parsed = PdfDocument.Open(hollow);

        Assert.Empty(Blocks(form.Build()));
        Assert.All(parsed.GetPage(1).Paths, p => Assert.Equal((true, false), (p.IsStroked, p.IsFilled)));
        // A block of the round letter, the triangle and the oval; the rectangle, a box when drawn with a pen, starts no glyph
        // but lies within the block's margin and is drawn with it.
        var block = Assert.Single(Blocks(hollow));
        Assert.Equal(4, block.Shapes.Count);
        Assert.Equal(138 + 10, block.Right, 1.01); // the white round the rectangle too (a glyph's size, 10)
    }

    [Fact]
    public void Rendering_fills_the_shapes_black_on_white_as_a_grey_png()
    {
        var builder = new PdfDocumentBuilder();
        Word(builder.AddPage(PageSize.A4), 100, 500);
        var block = Assert.Single(Blocks(builder.Build()));

        var png = PdfDrawnText.Render(block);

        using var image = SixLabors.ImageSharp.Image.Load<SixLabors.ImageSharp.PixelFormats.L8>(png);
        Assert.Equal((block.PixelWidth, block.PixelHeight), (image.Width, image.Height));
        // The circle's centre (105, 505) is ink; the page between the circle and the triangle at its foot is not.
        int X(double x) => (int)((x - block.Left) * block.Scale);
        int Y(double y) => (int)((block.Top - y) * block.Scale);
        Assert.Equal(0, image[X(105), Y(505)].PackedValue);
        Assert.Equal(255, image[X(110.9), Y(509)].PackedValue);
        Assert.Equal(255, image[0, 0].PackedValue);
    }

    [Fact]
    public void Drawn_text_is_a_picture_of_the_page_unless_turned_off()
    {
        var builder = new PdfDocumentBuilder();
        Word(builder.AddPage(PageSize.A4), 100, 500);
        var pdf = builder.Build();

        using var on = new ImageLoader(new OcrEngineOptions()).Load(pdf);
        using var off = new ImageLoader(new OcrEngineOptions { PdfDrawnText = false }).Load(pdf);

        var picture = Assert.Single(on.Pictures(0));
        Assert.Equal(PdfDrawnText.Render(Assert.Single(Blocks(pdf))), picture.Encode().Encoded.ToArray()); // its rendering
        Assert.Equal(new PictureFrame(90, 842 - 520, 148, 842 - 490), picture.Place);
        Assert.Empty(off.Pictures(0));
        Assert.Empty(on.TextLayer(0)!.Lines);
    }
}
