using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;
using static ScipixWorker.Ocr.UnitTests.Detection.Drawing;

namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>
/// <see cref="LoneGlyphs"/> on a row drawn as a receipt prints it: white paper 100 px high, a label box (x 10-110) and a
/// value box (x 250-330), both rows 30-70 (40 high), their letters dark blocks 8 px wide on rows 38-62 (the text band, 25
/// rows); a lone glyph between them is a bar 4 px wide over the band, as a printed <c>1</c> stands.
/// </summary>
public sealed class LoneGlyphsTests
{
    private const int Width = 400;
    private const int Height = 100;

    private static readonly Quad Label = Quad.FromRectangle(10, 30, 100, 40);
    private static readonly Quad Value = Quad.FromRectangle(250, 30, 80, 40);

    [Fact]
    public void A_glyph_between_two_boxes_that_no_box_covers_is_missed_and_found()
    {
        var page = Row();
        Fill(page, 180, 38, 4, 25, 30);

        var (box, rowHeight) = Assert.Single(Missed(page));

        Assert.InRange(box.MinX, 178, 181);
        Assert.InRange(box.MaxX, 183, 186);
        Assert.Equal(40, rowHeight);
    }

    [Fact]
    public void A_glyph_before_a_rows_first_box_is_found()
    {
        var page = Row();
        Fill(page, 180, 38, 4, 25, 30);
        var label = Quad.FromRectangle(250, 30, 80, 40); // the row begins with the value's box

        var (box, _) = Assert.Single(LoneGlyphs.Missed(page, [label], Drawing.Bands(page, label), [[0]], [label]));

        Assert.InRange(box.MinX, 178, 181);
    }

    [Fact]
    public void A_glyph_a_box_covers_is_not_missed()
    {
        var page = Row();
        Fill(page, 180, 38, 4, 25, 30);
        var glyph = Quad.FromRectangle(172, 32, 20, 36);

        Assert.Empty(LoneGlyphs.Missed(page, [Label, Value], Drawing.Bands(page, Label, Value), [[0, 1]], [Label, Value, glyph]));
    }

    [Fact]
    public void A_speck_is_no_glyph()
    {
        var page = Row();
        Fill(page, 180, 50, 3, 3, 30);

        Assert.Empty(Missed(page));
    }

    [Fact]
    public void A_word_in_the_gap_is_no_lone_glyph()
    {
        var page = Row();
        for (var x = 140; x < 220; x += 11)
        {
            Fill(page, x, 38, 8, 25, 30);
        }

        Assert.Empty(Missed(page));
    }

    [Fact]
    public void Two_digits_side_by_side_are_one_candidate()
    {
        var page = Row();
        Fill(page, 170, 38, 8, 25, 30);
        Fill(page, 182, 38, 8, 25, 30);

        var (box, _) = Assert.Single(Missed(page));

        Assert.InRange(box.MinX, 168, 171);
        Assert.InRange(box.MaxX, 189, 192);
    }

    [Fact]
    public void A_rule_across_the_row_is_no_glyph()
    {
        var page = Row();
        Fill(page, 180, 0, 2, Height, 30);

        Assert.Empty(Missed(page));
    }

    [Fact]
    public void A_dashed_rule_across_the_row_is_found_in_the_gap_but_fits_no_glyph()
    {
        var page = Row();
        for (var y = 0; y < Height; y += 28)
        {
            Fill(page, 180, y, 2, Math.Min(24, Height - y), 30); // a dash on rows 28-51 stands in the band like a 1
        }

        var (box, rowHeight) = Assert.Single(Missed(page));

        Assert.Null(LoneGlyphs.Refit(page, box, rowHeight, missed: true));
        Assert.NotNull(LoneGlyphs.Refit(page, box, rowHeight)); // in a box of the detector's, it would be read
    }

    [Fact]
    public void A_faint_glyph_boxed_tighter_than_its_ink_is_cropped_whole_black_on_white_without_its_neighbours()
    {
        var page = Row(paper: 235);
        Fill(page, 180, 38, 4, 25, 200); // faint: 35 grey levels below the paper
        Fill(page, 196, 38, 8, 25, 30); // a neighbour 12 px on
        var box = Quad.FromRectangle(179, 42, 7, 16); // cut into the glyph, as a box from a coarse map is

        // On a row 30 px high the page is looked at as it is, not scaled down (LoneGlyphs.MaxStripHeight).
        var (fitted, crop) = LoneGlyphs.Refit(page, box, 30)!.Value;

        Assert.InRange(fitted.MinX, 170, 180);
        Assert.InRange(fitted.MaxX, 184, 194);
        Assert.True(fitted.MinY <= 35 && fitted.MaxY >= 65, "the crop takes the row's height");
        var pixels = crop.Data.ToArray();
        Assert.Equal(0, pixels.Min());
        Assert.Equal(255, pixels.Max());
        Assert.Equal(4 * 25 * 3, pixels.Count(p => p < 128)); // the glyph, all of it, and nothing else
    }

    [Fact]
    public void Light_text_on_a_dark_ground_is_left_as_the_box_cut_it()
    {
        var page = Row(paper: 40);
        Fill(page, 180, 38, 4, 25, 230);

        Assert.Null(LoneGlyphs.Refit(page, Quad.FromRectangle(176, 34, 12, 32), 40));
    }

    [Fact]
    public void A_box_with_no_ink_in_it_fits_nothing()
    {
        Assert.Null(LoneGlyphs.Refit(Row(), Quad.FromRectangle(176, 34, 12, 32), 40));
    }

    [Theory]
    [InlineData(30, 40, true)]
    [InlineData(60, 40, true)]
    [InlineData(61, 40, false)]
    [InlineData(4, 5, false)]
    public void A_box_is_a_glyphs_when_it_is_at_most_one_and_a_half_times_as_wide_as_tall(int width, int height, bool glyph)
    {
        Assert.Equal(glyph, LoneGlyphs.IsGlyph(Quad.FromRectangle(0, 0, width, height)));
    }

    [Theory]
    [InlineData("1", 0.95f, true)]
    [InlineData("12", 0.9f, true)]
    [InlineData("1", 0.85f, false)]
    [InlineData("-", 0.99f, false)]
    [InlineData("|", 0.99f, false)]
    [InlineData("1 2", 0.99f, false)]
    public void A_missed_glyph_is_kept_when_it_reads_surely_as_letters_or_digits(string text, float confidence, bool kept)
    {
        Assert.Equal(kept, LoneGlyphs.IsMissedGlyph(new LineReading(text, confidence, [])));
    }

    private static List<(Quad Box, float RowHeight)> Missed(RgbBuffer page) =>
        LoneGlyphs.Missed(page, [Label, Value], Drawing.Bands(page, Label, Value), [[0, 1]], [Label, Value]);

    // The row: letters every 11 px from x 20 in the label (the last at 98-105) and from x 260 in the value.
    private static RgbBuffer Row(byte paper = 255)
    {
        var page = new RgbBuffer(Width, Height);
        page.Data.Fill(paper);
        for (var x = 21; x + 8 <= 106; x += 11)
        {
            Fill(page, x, 38, 8, 25, 30);
        }

        for (var x = 260; x + 8 <= 325; x += 11)
        {
            Fill(page, x, 38, 8, 25, 30);
        }

        return page;
    }
}
