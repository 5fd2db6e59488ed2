using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class ColumnLayoutTests
{
    // Lines 20 px high every 25 px; a column line of 45 characters is 400 px wide.
    private const float Height = 20;

    [Fact]
    public void Two_columns_under_a_heading_are_read_heading_first_then_column_by_column()
    {
        var page = new Page();
        var heading = page.Line(100, 0, 600, 30);
        var left = Enumerable.Range(0, 6).Select(row => page.Line(0, 50 + (25 * row), 400, 45)).ToArray();
        var right = Enumerable.Range(0, 4).Select(row => page.Line(450, 50 + (25 * row), 400, 44)).ToArray();

        var blocks = page.Blocks();

        Assert.NotNull(blocks);
        Assert.Equal([[heading], left, right], blocks.Select(b => b.Order().ToArray()));
    }

    [Fact]
    public void Three_columns_are_read_left_to_right()
    {
        var page = new Page();
        var columns = Enumerable.Range(0, 3)
            .Select(column => Enumerable.Range(0, 5).Select(row => page.Line(column * 300, 25 * row, 260, 30)).ToArray())
            .ToArray();

        var blocks = page.Blocks();

        Assert.NotNull(blocks);
        Assert.Equal(columns, blocks.Select(b => b.Order().ToArray()));
    }

    [Fact]
    public void A_footer_across_both_columns_is_read_after_them()
    {
        var page = new Page();
        var left = Enumerable.Range(0, 4).Select(row => page.Line(0, 25 * row, 400, 40)).ToArray();
        var right = Enumerable.Range(0, 4).Select(row => page.Line(450, 25 * row, 400, 40)).ToArray();
        var footer = page.Line(0, 150, 850, 90);

        var blocks = page.Blocks();

        Assert.NotNull(blocks);
        Assert.Equal([left, right, [footer]], blocks.Select(b => b.Order().ToArray()));
    }

    [Fact]
    public void A_price_list_is_not_columns_its_rows_are_read_across_the_gap()
    {
        // Item names on the left, prices far to the right: the prices are short.
        var page = new Page();
        for (var row = 0; row < 10; row++)
        {
            page.Line(0, 25 * row, 300, 28);
            page.Line(600, 25 * row, 60, 6);
        }

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void A_table_of_short_cells_is_not_columns()
    {
        var page = new Page();
        for (var row = 0; row < 8; row++)
        {
            for (var column = 0; column < 4; column++)
            {
                page.Line(column * 200, 25 * row, 120, 12);
            }
        }

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void Words_apart_on_a_line_less_than_a_line_height_are_not_a_gutter()
    {
        var page = new Page();
        for (var row = 0; row < 6; row++)
        {
            page.Line(0, 25 * row, 400, 45);
            page.Line(410, 25 * row, 400, 45);
        }

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void A_column_needs_three_lines()
    {
        var page = new Page();
        for (var row = 0; row < 6; row++)
        {
            page.Line(0, 25 * row, 400, 45);
        }

        page.Line(450, 0, 400, 45);
        page.Line(450, 25, 400, 45);

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void Long_fields_side_by_side_on_two_rows_are_read_across()
    {
        // A receipt's header: "Invoice No: CS00012345678" beside "Date: 13/03/2018 12:49:00", and a second such row.
        var page = new Page();
        for (var row = 0; row < 2; row++)
        {
            page.Line(0, 25 * row, 260, 25);
            page.Line(320, 25 * row, 240, 24);
        }

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void Each_side_needs_most_of_its_lines_long()
    {
        // Three lines beside the prose, one long and two short: the lower median is short.
        var page = new Page();
        for (var row = 0; row < 6; row++)
        {
            page.Line(0, 25 * row, 400, 45);
        }

        page.Line(450, 0, 400, 45);
        page.Line(450, 25, 100, 8);
        page.Line(450, 50, 100, 8);
        page.Line(450, 75, 120, 19);

        Assert.Null(page.Blocks());
    }

    [Fact]
    public void No_lines_have_no_columns()
    {
        Assert.Null(ColumnLayout.Blocks([], []));
        Assert.Throws<ArgumentException>(() => ColumnLayout.Blocks([Quad.FromRectangle(0, 0, 10, 10)], []));
    }

    private sealed class Page
    {
        private readonly List<Quad> _boxes = [];
        private readonly List<int> _lengths = [];

        public int Line(float x, float y, float width, int characters)
        {
            _boxes.Add(Quad.FromRectangle(x, y, width, Height));
            _lengths.Add(characters);
            return _boxes.Count - 1;
        }

        public IReadOnlyList<IReadOnlyList<int>>? Blocks() => ColumnLayout.Blocks(_boxes, _lengths);
    }
}
