using System.Numerics;
using ScipixWorker.Ocr.Detection;

namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>
/// <see cref="LoneMarks"/> on a row as a receipt prints it, in map pixels: a label box (x 10-100) and a value box
/// (x 200-300), both rows 50-70 (20 high), and marks between and around them.
/// </summary>
public sealed class LoneMarksTests
{
    private static readonly MapRectangle Label = new(10, 50, 100, 70);
    private static readonly MapRectangle Value = new(200, 50, 300, 70);

    private static List<MapRectangle> Crops(params Vector2[] marks) => LoneMarks.Crops(marks, [Label, Value]);

    [Fact]
    public void A_mark_between_two_boxes_of_a_row_becomes_a_crop_the_rows_height_tall()
    {
        var crop = Assert.Single(Crops(new Vector2(150, 62)));

        Assert.Equal(new MapRectangle(150 - 8, 50, 150 + 8, 70), crop); // 0.4 of the row's height either side
    }

    [Fact]
    public void A_mark_inside_a_box_is_part_of_its_text() =>
        Assert.Empty(Crops(new Vector2(60, 60)));

    [Fact]
    public void A_mark_above_or_below_every_row_is_not_beside_any() =>
        Assert.Empty(Crops(new Vector2(150, 40), new Vector2(150, 80)));

    [Fact]
    public void A_mark_more_than_eight_row_heights_from_its_row_is_too_far()
    {
        Assert.Empty(Crops(new Vector2(300 + 161, 60)));
        Assert.Single(Crops(new Vector2(300 + 159, 60)));
    }

    [Fact]
    public void The_two_dots_of_one_colon_make_one_crop() =>
        Assert.Single(Crops(new Vector2(150, 55), new Vector2(151, 66)));

    [Fact]
    public void Marks_a_row_height_apart_are_two() =>
        Assert.Equal(2, Crops(new Vector2(130, 60), new Vector2(170, 60)).Count);

    [Fact]
    public void Without_boxes_there_is_no_row_to_be_beside() =>
        Assert.Empty(LoneMarks.Crops([new Vector2(150, 60)], []));

    [Fact]
    public void A_speckled_page_gives_at_most_the_cap_the_nearest_to_their_rows_first()
    {
        // 40 rows 30 px apart, each with a mark 1..40 px right of its label.
        var rows = Enumerable.Range(0, 40).SelectMany(i => new[] { Label with { Top = 30 * i, Bottom = (30 * i) + 20 }, Value with { Top = 30 * i, Bottom = (30 * i) + 20 } }).ToList();
        var marks = Enumerable.Range(0, 40).Select(i => new Vector2(100 + 40 - i, (30 * i) + 10)).ToList();

        var crops = LoneMarks.Crops(marks, rows);

        Assert.Equal(LoneMarks.MaxPerPage, crops.Count);
        Assert.Equal(Enumerable.Range(40 - LoneMarks.MaxPerPage, LoneMarks.MaxPerPage).Reverse().Select(i => 30f * i), crops.Select(c => c.Top));
    }
}
