using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using static ScipixWorker.Ocr.UnitTests.Detection.Drawing;

namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>
/// <see cref="GapColons"/> on a row drawn as a receipt prints it: white paper, a label box (x 10-110) and a value box
/// (x 250-330), both rows 10-50 (40 high), their letters dark blocks 8 px wide on rows 18-42 (the text band, 25 rows),
/// and a colon between them: two 5 px dots, on rows 23-27 and 37-41 (the baseline).
/// </summary>
public sealed class GapColonsTests
{
    private const int Width = 400;
    private const int Height = 60;

    private static readonly Quad Label = Quad.FromRectangle(10, 10, 100, 40);
    private static readonly Quad Value = Quad.FromRectangle(250, 10, 80, 40);

    [Fact]
    public void A_colon_between_a_label_and_its_value_is_found_between_them()
    {
        var page = Row();
        Colon(page, 180);

        var colon = Assert.Single(Find(page));

        Assert.Equal((0, 1), (colon.After, colon.Before));
        Assert.InRange(colon.Centre.X, 180, 185);
        Assert.InRange(colon.Centre.Y, 28, 32);
        Assert.True(colon.Box.MinX < Value.MinX); // the page's row puts it before the value
    }

    [Fact]
    public void A_faint_colon_is_found_and_its_crop_shows_it_black_on_white()
    {
        var page = Row();
        Colon(page, 180, grey: 215);

        var colon = Assert.Single(Find(page));

        var pixels = colon.Crop.Data.ToArray();
        Assert.Equal(0, pixels.Min());
        Assert.Equal(2 * 25 * 3, pixels.Count(p => p < 128)); // the two dots, and nothing else
    }

    [Fact]
    public void A_period_alone_is_no_colon()
    {
        var page = Row();
        Fill(page, 180, 37, 5, 5, 30);

        Assert.Empty(Find(page));
    }

    [Fact]
    public void Two_dots_side_by_side_are_no_colon()
    {
        var page = Row();
        Fill(page, 180, 37, 5, 5, 30);
        Fill(page, 192, 37, 5, 5, 30);

        Assert.Empty(Find(page));
    }

    [Fact]
    public void Two_dots_above_the_baseline_are_no_colon()
    {
        var page = Row();
        Fill(page, 180, 14, 5, 5, 30);
        Fill(page, 180, 26, 5, 5, 30);

        Assert.Empty(Find(page));
    }

    [Fact]
    public void With_a_character_in_the_gap_the_dots_are_not_a_labels_colon()
    {
        var page = Row();
        Colon(page, 180);
        Fill(page, 150, 18, 8, 25, 30);

        Assert.Empty(Find(page));
    }

    [Fact]
    public void A_colon_among_the_labels_own_letters_is_the_recognizers_to_read()
    {
        var page = Row();
        Fill(page, 98, 18, 8, 25, 255); // the label's last letter moved right, past a colon
        Colon(page, 97);
        Fill(page, 103, 18, 7, 25, 30);

        Assert.Empty(Find(page));
    }

    [Fact]
    public void A_colon_the_value_box_took_in_is_found_and_comes_before_the_value()
    {
        var page = Row();
        var value = Quad.FromRectangle(230, 10, 100, 40); // its padding takes in the colon at 235
        Colon(page, 235);

        var colon = Assert.Single(GapColons.Find(page, [Label, value], Drawing.Bands(page, Label, value), [[0, 1]]));

        Assert.True(colon.Box.MinX < value.MinX);
    }

    [Fact]
    public void A_colon_close_to_the_label_is_cut_out_without_the_labels_ink()
    {
        var page = Row();
        Colon(page, 109); // 3 px after the last letter (98-105)

        var colon = Assert.Single(Find(page));

        Assert.Equal(2 * 25 * 3, colon.Crop.Data.ToArray().Count(p => p < 128));
    }

    [Fact]
    public void A_line_at_a_rows_end_is_followed_some_heights_on()
    {
        var page = Row(withValue: false);
        Colon(page, 180);

        var colon = Assert.Single(GapColons.Find(page, [Label], Drawing.Bands(page, Label), [[0]]));

        Assert.Equal(-1, colon.Before);
    }

    [Fact]
    public void A_box_with_no_top_edge_is_passed_over()
    {
        var page = Row();
        Colon(page, 180);
        var point = new Quad(new(110, 10), new(110, 10), new(110, 50), new(10, 50));

        Assert.Empty(GapColons.Find(page, [point, Value], Drawing.Bands(page, Label, Value), [[0, 1]]));
    }

    private static List<GapColon> Find(RgbBuffer page) =>
        GapColons.Find(page, [Label, Value], Drawing.Bands(page, Label, Value), [[0, 1]]);

    // The row: letters every 11 px from x 20 in the label (the last at 98-105) and from x 260 in the value.
    private static RgbBuffer Row(bool withValue = true)
    {
        var page = new RgbBuffer(Width, Height);
        page.Data.Fill(255);
        for (var x = 21; x + 8 <= 106; x += 11)
        {
            Fill(page, x, 18, 8, 25, 30);
        }

        for (var x = 260; withValue && x + 8 <= 325; x += 11)
        {
            Fill(page, x, 18, 8, 25, 30);
        }

        return page;
    }

    private static void Colon(RgbBuffer page, int x, byte grey = 30)
    {
        Fill(page, x, 23, 5, 5, grey);
        Fill(page, x, 37, 5, 5, grey);
    }
}
