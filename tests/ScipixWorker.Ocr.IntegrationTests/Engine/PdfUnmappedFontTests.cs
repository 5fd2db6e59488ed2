using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Text whose fonts name their glyphs no text (a subset font without its ToUnicode map) is drawn from the glyph outlines
/// the file embeds and read by the models (<see cref="PdfUnmappedGlyphs"/>), where it used to be refused. The reference is
/// the same document with its maps, read from its text layer (<see cref="UnmappedFontPdf"/>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfUnmappedFontTests(EngineFixture fixture)
{
    private static readonly byte[] Unmapped = UnmappedFontPdf.Build();
    private static readonly byte[] Mapped = UnmappedFontPdf.Build(maps: true);

    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

    [Fact]
    public void A_page_whose_font_names_no_text_reads_as_the_same_page_with_its_maps()
    {
        var reference = Read(Mapped);
        Assert.Equal([UnmappedFontPdf.Heading, .. UnmappedFontPdf.Quotation], reference.Pages[0].Text.Split('\n')); // its own text

        var read = Read(Unmapped);

        Assert.Equal(2, read.Pages.Count);
        var page = read.Pages[0];
        Assert.Equal((PageSource.TextLayer, 1, 595, 842), (page.Source, page.Pictures, page.Width, page.Height));
        Assert.True(Cer.Of(reference.Pages[0].Text, page.Text) < 0.01, page.Text);
        Assert.All(page.Lines, l => Assert.True(l.Confidence is > 0.5f and < 1f, $"{l.Text}: {l.Confidence}")); // the models', not the file's
        // Its lines lie where the reference's do, in points from the top-left corner.
        var drawn = page.Lines.Single(l => l.Text.StartsWith("Quotation 4471", StringComparison.Ordinal)).Box;
        var own = reference.Pages[0].Lines.Single(l => l.Text.StartsWith("Quotation 4471", StringComparison.Ordinal)).Box;
        Assert.InRange(drawn.MinX, own.MinX - 4, own.MinX + 2);
        Assert.InRange(drawn.MinY, own.MinY - 4, own.MinY + 2);
        Assert.InRange(drawn.MaxY, own.MaxY - 2, own.MaxY + 4);
    }

    [Fact]
    public void A_heading_in_a_font_that_names_no_text_takes_its_place_over_the_pages_own_lines()
    {
        // Before, a page with more than a tenth of its glyphs unnamed was refused whole.
        var page = Read(Unmapped).Pages[1];

        var lines = page.Text.Split('\n');
        Assert.Equal(UnmappedFontPdf.Menu, lines[^UnmappedFontPdf.Menu.Length..]);
        Assert.True(Cer.Of($"{UnmappedFontPdf.Heading}\n{UnmappedFontPdf.MenuTitle}", string.Join('\n', lines[..^UnmappedFontPdf.Menu.Length])) < 0.02, page.Text);
        Assert.All(page.Lines.Where(l => UnmappedFontPdf.Menu.Contains(l.Text)), l => Assert.Equal(1f, l.Confidence)); // the file's
        Assert.Equal(UnmappedFontPdf.Menu.Length, page.Lines.Count(l => l.Confidence == 1f));
    }

    [Fact]
    public void A_heading_larger_than_outlined_text_is_looked_for_is_read_too()
    {
        // Shapes over 72 points are not looked at as drawn text (a background, a frame); letters are glyphs at any size:
        // capitals of 110-point type are 80 points high.
        var page = Assert.Single(Read(UnmappedFontPdf.Page(("MENU", 110, 140), ("Canapes for eighty guests, three kinds each: 320.00", 11, 190))).Pages);

        Assert.Equal(["MENU", "Canapes for eighty guests, three kinds each: 320.00"], page.Text.Split('\n'));
    }

    [Theory]
    [InlineData("Quotation 4471 for the summer garden party|Total due 876.60 within thirty days")] // spaces and digits: control characters
    [InlineData("Quotation|Harbour|Catering")] // every glyph number 32 or more: "4XRWDWLRQ" looked like text
    public void Text_coded_by_glyph_numbers_without_a_map_is_read_from_its_outlines(string text)
    {
        var lines = text.Split('|');

        var page = Assert.Single(Read(HandMadePdf.GlyphNumberedText(lines)).Pages);

        Assert.Equal(lines, page.Text.Split('\n'));
        Assert.All(page.Lines, l => Assert.True(l.Confidence < 1f, l.Text)); // the models', not the file's
    }

    [Fact]
    public void A_page_of_more_unnamed_letters_than_drawn_text_looks_at_is_refused_as_before()
    {
        // 150 rows of 120 letters in 4-point print: 18,000 letters, their outlines more than 20,000 subpaths.
        const string Row = "Dense print of a parts list in four-point type, drawn in a font that names no text at all ";
        var pdf = UnmappedFontPdf.Page([.. Enumerable.Range(0, 150).Select(i => ($"{i:000} {Row}{Row[..28]}", 4.0, 40.0 + (5 * i)))]);

        var refused = Assert.Throws<OcrException>(() => Read(pdf));

        Assert.Equal(OcrErrorCode.UnsupportedFormat, refused.Code);
        Assert.Contains("to no Unicode text", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pipelined_reading_gives_the_same_text_and_turned_off_the_page_is_refused_as_before()
    {
        using var off = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, PdfDrawnText = false });

        var whole = Read(Unmapped);
        var pipelined = await fixture.Engine.RecognizeAsync(Unmapped, OcrMode.Full, TestContext.Current.CancellationToken);
        var refused = Assert.Throws<OcrException>(() => off.Recognize(Unmapped, OcrMode.Full, TestContext.Current.CancellationToken));

        Assert.Equal(whole.Pages.Select(p => p.Text), pipelined.Pages.Select(p => p.Text));
        Assert.Equal(OcrErrorCode.UnsupportedFormat, refused.Code);
        Assert.Contains("Page 1 of the PDF has a text layer whose fonts map", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_visible_letter_of_a_font_that_names_no_text_is_drawn_inside_its_box_and_named_fonts_are_not()
    {
        using var unmapped = PdfDocument.Open(Unmapped);
        using var mapped = PdfDocument.Open(Mapped);
        var letters = unmapped.GetPage(1).Letters;
        var menu = unmapped.GetPage(2).Letters;

        var drawn = PdfUnmappedGlyphs.Find(letters);

        // Codes 1, 2, 3, ... read as control characters, white space and punctuation: all are drawn, spaces draw nothing.
        Assert.Contains(letters, l => l.Value is [>= ' ']);
        Assert.Equal(letters.Count, drawn.Letters.Count);
        var spaces = string.Concat([UnmappedFontPdf.Heading, .. UnmappedFontPdf.Quotation]).Count(c => c == ' ');
        Assert.Equal(letters.Count - spaces, drawn.Paths.Count);
        Assert.All(drawn.Paths, p => Assert.True(p.IsFilled && !p.IsStroked));
        Assert.All(drawn.Paths, p => Assert.Contains(letters, l => Within(p.GetBoundingRectangle()!.Value, l.BoundingBox)));
        Assert.Equal(menu.Count(l => l.FontName?.Contains("DejaVu", StringComparison.Ordinal) == true), PdfUnmappedGlyphs.Find(menu).Letters.Count);
        Assert.Empty(PdfUnmappedGlyphs.Find(mapped.GetPage(1).Letters).Letters);
        Assert.Empty(PdfUnmappedGlyphs.Find(mapped.GetPage(2).Letters).Letters);
    }

    [Fact]
    public void A_letter_placed_turned_is_drawn_turned()
    {
        using var unmapped = PdfDocument.Open(Unmapped);
        var h = unmapped.GetPage(1).Letters[0]; // the heading's H
        var box = h.BoundingBox;
        // The same glyph turned a quarter to the left about its box's bottom-left corner: its foot runs up the page.
        var o = box.BottomLeft;
        PdfPoint Turn(PdfPoint p) => new(o.X - (p.Y - o.Y), o.Y + (p.X - o.X));
        var turned = new PdfRectangle(Turn(box.TopLeft), Turn(box.TopRight), Turn(box.BottomLeft), Turn(box.BottomRight));
#pragma warning disable CS0618 // the constructor with the font itself: the outline comes from it
        var letter = new Letter(h.Value, turned, turned, Turn(h.StartBaseLine), Turn(h.EndBaseLine), h.Width, h.FontSize, h.GetFont()!,
            h.RenderingMode, h.StrokeColor, h.FillColor, h.PointSize, h.TextSequence);
#pragma warning restore CS0618

        Assert.True(PdfUnmappedGlyphs.TryOutline(h, h.GetFont()!, out var upright));
        Assert.True(PdfUnmappedGlyphs.TryOutline(letter, h.GetFont()!, out var path));

        var (a, b) = (upright!.GetBoundingRectangle()!.Value, path!.GetBoundingRectangle()!.Value);
        Assert.Equal(a.Width, b.Height, 0.01); // an H on its side: as tall as the upright one is wide
        Assert.Equal(a.Height, b.Width, 0.01);
        Assert.Equal(o.X - (a.Top - o.Y), b.Left, 0.01);
        Assert.Equal(o.Y + (a.Left - o.X), b.Bottom, 0.01);
    }

    private static bool Within(PdfRectangle inner, PdfRectangle outer) =>
        inner.Left >= outer.Left - 0.5 && inner.Right <= outer.Right + 0.5 && inner.Bottom >= outer.Bottom - 0.5 && inner.Top <= outer.Top + 0.5;
}
