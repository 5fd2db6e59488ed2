using System.Text;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Text in Type 3 fonts whose glyph names are not its text, as TeX's bitmap fonts reach PDF through dvips and ps2pdf
/// (names a33 ... a126, which Ghostscript's ToUnicode map reads as Zapf Dingbats: "Invoice" became "■♥✈♦✐❝❡"): the glyph
/// procedures are drawn (<see cref="PdfType3Glyphs"/>) and read by the models. The fixture, `pdf/type3_bitmap_font.pdf`, was
/// made by `scripts/type3-bitmap-pdf.py` from `pdf/source/type3_bitmap_page*.txt`: page 1 in bitmap glyphs (CCITT G4
/// image masks at 300 dpi; its heading in a bold font of its own), page 2 in glyphs drawn as paths and shown a quarter
/// turn (/Rotate 90).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PdfType3FontTests(EngineFixture fixture)
{
    private static readonly byte[] Pdf = Fixtures.Bytes("pdf", "type3_bitmap_font.pdf");

    private static string Source(int page) => Fixtures.Text("pdf", "source", $"type3_bitmap_page{page}.txt").TrimEnd('\n');

    private OcrDocument Read(byte[] pdf) => fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

    private static bool IsDingbat(char c) => c is (>= '\u2190' and <= '\u21FF') or (>= '\u2460' and <= '\u24FF') or (>= '\u25A0' and <= '\u27BF');

    [Fact]
    public void A_page_in_a_tex_bitmap_font_reads_as_its_text_not_as_dingbats()
    {
        using (var file = PdfDocument.Open(Pdf))
        {
            // What the file's own map says (and the worker returned before): dingbats.
            Assert.True(file.GetPage(1).Letters.Count(l => l.Value is [var c] && IsDingbat(c)) > 100);
        }

        var page = Read(Pdf).Pages[0];

        Assert.Equal(PageSource.TextLayer, page.Source);
        Assert.Equal(Source(1).Split('\n'), page.Text.Split('\n')); // "1,248 pages." too: a glyph's white beyond its period
        Assert.DoesNotContain(page.Text, IsDingbat);
        Assert.All(page.Lines, l => Assert.True(l.Confidence < 1f, l.Text)); // the models', not the file's
        Assert.Equal(4, page.Lines.Count);
    }

    [Fact]
    public void A_heading_in_a_bold_font_of_its_own_with_few_dingbats_is_read_too()
    {
        // "Proof." in a second bitmap font reads "Pr♦♦❢✳": two kinds of dingbat, the rest its own codes (a rule asking
        // for more dingbats than that left it as it read).
        using (var file = PdfDocument.Open(Pdf))
        {
            Assert.Equal("Pr♦♦❢✳", string.Concat(file.GetPage(1).Letters.Take(6).Select(l => l.Value)));
        }

        Assert.Equal("Proof.", Read(Pdf).Pages[0].Lines[0].Text);
    }

    [Fact]
    public void Glyphs_drawn_as_paths_on_a_page_shown_turned_read_too()
    {
        var page = Read(Pdf).Pages[1];

        Assert.Equal((792, 612), (page.Width, page.Height)); // shown a quarter turn: the letter-size page lies on its side
        Assert.True(Cer.Of(Source(2), page.Text) < 0.02, page.Text);
        Assert.DoesNotContain(page.Text, IsDingbat);
    }

    [Fact]
    public void Without_its_map_the_font_reads_the_same()
    {
        // Older Ghostscript wrote no ToUnicode: the names a33 ... are no glyph names, so the font names none of the codes
        // it has glyphs for, and all its letters are drawn (the standard encoding beneath its Differences, which names
        // codes it never draws, does not count).
        var unmapped = Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(Pdf).Replace("/ToUnicode ", "/ToUnicodX ", StringComparison.Ordinal));

        var read = Read(unmapped);

        Assert.Equal(2, read.Pages.Count);
        Assert.True(Cer.Of(Source(1), read.Pages[0].Text) < 0.02, read.Pages[0].Text);
        Assert.True(Cer.Of(Source(2), read.Pages[1].Text) < 0.02, read.Pages[1].Text);
    }

    [Fact]
    public void Every_visible_letter_is_traced_inside_its_box()
    {
        using var file = PdfDocument.Open(Pdf);
        foreach (var number in new[] { 1, 2 })
        {
            var letters = file.GetPage(number).Letters;
            Assert.All(letters, l => Assert.True(PdfType3Glyphs.IsType3(l.GetFont()!))); // PdfPig's glyph procedures reached

            var drawn = PdfUnmappedGlyphs.Find(letters);

            var visible = letters.Count(l => !string.IsNullOrWhiteSpace(l.Value));
            Assert.Equal(visible, drawn.Letters.Count);
            Assert.Equal(visible, drawn.Paths.Count);
            Assert.All(drawn.Paths, p => Assert.Contains(letters, l => Within(p.GetBoundingRectangle()!.Value, l.BoundingBox)));
        }
    }

    // Whether a path's bounds lie within a letter's box, both taken as the extremes of their corners (page 2's boxes are
    // turned with the page), give or take a tenth of a point (a curve's control points pass its ink).
    private static bool Within(PdfRectangle inner, PdfRectangle outer)
    {
        PdfPoint[] Corners(PdfRectangle r) => [r.BottomLeft, r.BottomRight, r.TopLeft, r.TopRight];
        var (i, o) = (Corners(inner), Corners(outer));
        return i.Min(p => p.X) >= o.Min(p => p.X) - 0.1 && i.Max(p => p.X) <= o.Max(p => p.X) + 0.1
            && i.Min(p => p.Y) >= o.Min(p => p.Y) - 0.1 && i.Max(p => p.Y) <= o.Max(p => p.Y) + 0.1;
    }

    [Fact]
    public void A_bitmap_font_coded_1_2_3_without_a_map_is_read_from_its_masks()
    {
        // Masks in ASCII hex with the default decoding (a 0 bit paints), codes that read as control characters, a space
        // glyph that draws nothing. While the standard encoding beneath the Differences counted as names, only the letters
        // reading as control characters were drawn, and those coded 9-13 (white space) lost: "Invoice or the ...".
        string[] lines = ["Invoice 2041 for the summer garden party", "Total due 876.60 by 1 December 2026"];
        var pdf = HandMadePdf.Type3Bitmaps(lines);
        using (var file = PdfDocument.Open(pdf))
        {
            var letters = file.GetPage(1).Letters;
            Assert.True(letters.Count(l => l.Value is [< ' ']) > letters.Count / 2); // codes 1-31 (32 and on look like ASCII)
        }

        var page = Assert.Single(Read(pdf).Pages);

        Assert.Equal(lines, page.Text.Split('\n'));
        Assert.All(page.Lines, l => Assert.True(l.Confidence < 1f, l.Text));
    }

    [Fact]
    public async Task Pipelined_reading_gives_the_same_text()
    {
        var whole = Read(Pdf);

        var pipelined = await fixture.Engine.RecognizeAsync(Pdf, OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal(whole.Pages.Select(p => p.Text), pipelined.Pages.Select(p => p.Text));
    }
}
