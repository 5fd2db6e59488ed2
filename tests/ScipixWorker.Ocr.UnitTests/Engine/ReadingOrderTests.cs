using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class ReadingOrderTests
{
    [Fact]
    public void Two_boxes_on_one_line_out_of_order_are_put_left_to_right()
    {
        // The price starts 4 pixels higher than the item, so a plain (y, x) sort puts it first.
        var item = Box(10, 104, 200, 20);
        var price = Box(400, 100, 80, 20);

        var sorted = ReadingOrder.Sort([price, item]);

        Assert.Equal([item, price], sorted);
    }

    [Fact]
    public void Boxes_ten_or_more_pixels_apart_stay_top_to_bottom()
    {
        var upperRight = Box(400, 100, 80, 20);
        var lowerLeft = Box(10, 110, 200, 20);

        var sorted = ReadingOrder.Sort([lowerLeft, upperRight]);

        Assert.Equal([upperRight, lowerLeft], sorted);
    }

    [Fact]
    public void Swaps_bubble_back_along_a_line()
    {
        // Sorted by y the line reads right to left; each box moves left past every neighbour that
        // starts less than 10 pixels higher.
        var right = Box(300, 100, 50, 20);
        var middle = Box(200, 103, 50, 20);
        var left = Box(100, 106, 50, 20);

        var sorted = ReadingOrder.Sort([right, middle, left]);

        Assert.Equal([left, middle, right], sorted);
    }

    [Fact]
    public void Sort_is_stable_for_equal_corners()
    {
        var first = new DetectedBox(Quad.FromRectangle(5, 5, 10, 10), 0.9f);
        var second = new DetectedBox(Quad.FromRectangle(5, 5, 10, 10), 0.7f);

        Assert.Equal([first, second], ReadingOrder.Sort([first, second]));
        Assert.Empty(ReadingOrder.Sort([]));
    }

    [Fact]
    public void Item_and_price_on_a_receipt_form_one_row()
    {
        Quad[] boxes =
        [
            Quad.FromRectangle(10, 100, 200, 20),  // MILK 2L
            Quad.FromRectangle(400, 102, 60, 20),  // 3.49
            Quad.FromRectangle(10, 130, 180, 20),  // BREAD
            Quad.FromRectangle(400, 131, 60, 20),  // 2.10
        ];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal(2, rows.Count);
        Assert.Equal([0, 1], rows[0]);
        Assert.Equal([2, 3], rows[1]);
    }

    [Fact]
    public void Slanted_lines_group_by_their_neighbours_not_their_first_box()
    {
        // Each line drifts 10 pixels down per box (boxes are 20 high), so a line's last box no longer
        // overlaps its first one, while the next line's first box overlaps the far end of this line's
        // running extent by half a height.
        Quad[] boxes =
        [
            Quad.FromRectangle(0, 100, 100, 20),
            Quad.FromRectangle(110, 110, 100, 20),
            Quad.FromRectangle(220, 120, 100, 20),
            Quad.FromRectangle(0, 130, 100, 20),
            Quad.FromRectangle(110, 140, 100, 20),
            Quad.FromRectangle(220, 150, 100, 20),
        ];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal(2, rows.Count);
        Assert.Equal([0, 1, 2], rows[0]);
        Assert.Equal([3, 4, 5], rows[1]);
    }

    [Fact]
    public void Rows_run_top_to_bottom_and_boxes_left_to_right_whatever_the_input_order()
    {
        Quad[] boxes =
        [
            Quad.FromRectangle(300, 50, 50, 20),
            Quad.FromRectangle(10, 200, 50, 20),
            Quad.FromRectangle(10, 52, 100, 20),
            Quad.FromRectangle(150, 49, 50, 20),
        ];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal(2, rows.Count);
        Assert.Equal([2, 3, 0], rows[0]);
        Assert.Equal([1], rows[1]);
    }

    [Fact]
    public void Boxes_overlapping_less_than_half_the_smaller_height_are_separate_rows()
    {
        Quad[] boxes =
        [
            Quad.FromRectangle(0, 100, 100, 20),
            Quad.FromRectangle(200, 111, 100, 20),  // overlaps 9 of 20 pixels
            Quad.FromRectangle(400, 100, 100, 20),
            Quad.FromRectangle(600, 90, 100, 20),   // overlaps exactly half: joins
        ];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal(2, rows.Count);
        Assert.Equal([0, 2, 3], rows[0]);
        Assert.Equal([1], rows[1]);
    }

    [Fact]
    public void A_box_between_two_rows_joins_the_one_it_overlaps_most()
    {
        Quad[] boxes =
        [
            Quad.FromRectangle(0, 100, 100, 30),    // upper row, 100..130
            Quad.FromRectangle(0, 125, 100, 30),    // lower row, 125..155: overlaps the upper by 5 of 30
            Quad.FromRectangle(400, 118, 100, 20),  // 12 of 20 into the upper row, 13 into the lower
        ];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal([[0], [1, 2]], rows.Select(r => r.ToArray()).ToArray());
    }

    [Fact]
    public void A_small_box_inside_a_tall_one_joins_its_row()
    {
        // Overlap is measured against the smaller height: a superscript or a small price sits in the row.
        Quad[] boxes = [Quad.FromRectangle(0, 100, 300, 60), Quad.FromRectangle(320, 110, 40, 12)];

        var rows = ReadingOrder.GroupIntoRows(boxes);

        Assert.Equal([0, 1], Assert.Single(rows));
    }

    [Fact]
    public void No_boxes_give_no_rows()
    {
        Assert.Empty(ReadingOrder.GroupIntoRows([]));
    }

    [Fact]
    public void A_page_turned_upside_down_reads_from_the_bottom_right_of_the_image()
    {
        // On a 500 x 300 image: the heading upside down at the bottom, under it (in the image) an item and its price.
        Quad[] boxes =
        [
            Box(100, 250, 300, 20).Box.UpsideDown(), // the heading, read first
            Box(20, 100, 80, 20).Box.UpsideDown(),   // the price: image left, page right
            Box(300, 100, 180, 20).Box.UpsideDown(), // the item: image right, page left
        ];

        var order = ReadingOrder.UprightOrder(boxes, 2, 500, 300);

        Assert.Equal([0, 2, 1], order);
    }

    [Fact]
    public void A_turned_box_lies_where_the_turned_page_has_it_with_its_corners_named_there()
    {
        var upsideDown = Quad.FromRectangle(20, 100, 80, 20).UpsideDown();

        Assert.Equal(new System.Numerics.Vector2(100, 120), upsideDown.TopLeft); // the text's top left: the image's bottom right
        Assert.Equal(Quad.FromRectangle(400, 180, 80, 20), ReadingOrder.Upright(upsideDown, 2, 500, 300));
    }

    [Fact]
    public void A_page_turned_a_quarter_turn_clockwise_reads_from_the_top_right_of_the_image_downwards()
    {
        // A 300 x 500 image of a 500 x 300 page turned clockwise: its lines run down the image, its first line rightmost;
        // on the first line an item (image top) and its price (image bottom), then a second line.
        Quad[] boxes =
        [
            Quad.FromRectangle(160, 20, 20, 80).Along(Vector2.UnitY),  // the second line
            Quad.FromRectangle(260, 300, 20, 180).Along(Vector2.UnitY), // the price
            Quad.FromRectangle(260, 20, 20, 200).Along(Vector2.UnitY),  // the item
        ];

        var order = ReadingOrder.UprightOrder(boxes, 3, 300, 500);
        var rows = ReadingOrder.GroupIntoRows(order.Select(i => ReadingOrder.Upright(boxes[i], 3, 300, 500)).ToList());

        Assert.Equal([2, 1, 0], order);
        Assert.Equal([[0, 1], [2]], rows.Select(row => row.ToArray()));
    }

    [Fact]
    public void A_page_turned_anticlockwise_reads_from_the_bottom_left_of_the_image_upwards()
    {
        // The same page turned the other way: lines run up the image, the first one leftmost.
        Quad[] boxes =
        [
            Quad.FromRectangle(120, 400, 20, 80).Along(-Vector2.UnitY), // the second line
            Quad.FromRectangle(20, 20, 20, 180).Along(-Vector2.UnitY),  // the price
            Quad.FromRectangle(20, 280, 20, 200).Along(-Vector2.UnitY), // the item
        ];

        Assert.Equal([2, 1, 0], ReadingOrder.UprightOrder(boxes, 1, 300, 500));
    }

    [Theory]
    [InlineData(0, 20, 100, 100, 20)]
    [InlineData(1, 180, 20, 20, 100)]
    [InlineData(2, 380, 180, 100, 20)]
    [InlineData(3, 100, 380, 20, 100)]
    public void A_box_lies_where_the_turned_page_has_it(int quarterTurns, float x, float y, float width, float height)
    {
        var box = ReadingOrder.Upright(Quad.FromRectangle(20, 100, 100, 20), quarterTurns, 500, 300);

        Assert.Equal((x, y, x + width, y + height), (box.MinX, box.MinY, box.MaxX, box.MaxY));
    }

    [Fact]
    public void Along_names_the_corners_as_text_running_that_way_reads_them_whatever_the_detector_named()
    {
        var tall = Quad.FromRectangle(10, 20, 30, 200);
        // Named by x then y, as a detector does, or in any other rotation of the same four corners.
        var renamed = new Quad(tall.BottomLeft, tall.TopLeft, tall.TopRight, tall.BottomRight);

        var down = renamed.Along(Vector2.UnitY);
        var up = tall.Along(-Vector2.UnitY);

        Assert.Equal((new Vector2(40, 20), new Vector2(40, 220), new Vector2(10, 220), new Vector2(10, 20)), (down.TopLeft, down.TopRight, down.BottomRight, down.BottomLeft));
        Assert.Equal(down.UpsideDown(), up);
        Assert.Equal(tall, renamed.Along(Vector2.UnitX));
    }

    [Fact]
    public void Along_keeps_a_skewed_line_whole()
    {
        // A line running down the image at about 10 degrees off vertical.
        var skewed = new Quad(new Vector2(100, 0), new Vector2(65, 197), new Vector2(45, 193), new Vector2(80, -4));

        var named = skewed.Along(Vector2.UnitY);

        Assert.Equal(new Vector2(100, 0), named.TopLeft);
        Assert.Equal(new Vector2(65, 197), named.TopRight);
    }

    [Fact]
    public void A_page_is_sideways_when_vertical_lines_hold_most_of_its_text()
    {
        Quad[] upright = [Quad.FromRectangle(0, 0, 300, 20), Quad.FromRectangle(0, 40, 200, 20), Quad.FromRectangle(400, 0, 15, 300)];
        Quad[] sideways = [Quad.FromRectangle(0, 0, 20, 300), Quad.FromRectangle(40, 0, 20, 200), Quad.FromRectangle(100, 300, 150, 20)];
        Quad[] squares = [Quad.FromRectangle(0, 0, 20, 25), Quad.FromRectangle(40, 0, 20, 25)];

        Assert.False(ReadingOrder.IsSideways(upright));     // a vertical margin note is outweighed (20 against 25 lengths)
        Assert.True(ReadingOrder.IsSideways(sideways));
        Assert.False(ReadingOrder.IsSideways(squares));     // single characters say nothing
        Assert.False(ReadingOrder.IsSideways([]));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(-12)]
    [InlineData(0.5)]
    public void A_pages_skew_is_the_weighted_median_of_its_lines_slopes(float degrees)
    {
        var radians = degrees * MathF.PI / 180;
        Quad[] boxes =
        [
            ReadingOrder.Rotated(Quad.FromRectangle(0, 0, 400, 20), radians),
            ReadingOrder.Rotated(Quad.FromRectangle(0, 40, 300, 20), radians),
            ReadingOrder.Rotated(Quad.FromRectangle(500, 40, 60, 20), radians + 0.2f), // a short price, sloping otherwise
            Quad.FromRectangle(600, 0, 15, 15),                                          // a single character: no vote
        ];

        Assert.Equal(radians, ReadingOrder.Skew(boxes), 4);
        Assert.Equal(0, ReadingOrder.Skew([Quad.FromRectangle(0, 0, 15, 15)]));
    }

    [Fact]
    public void A_skewed_row_turned_straight_is_one_row_again()
    {
        // An item at the left and its price 400 px to the right, on a page skewed 5 degrees: 35 px lower in the image.
        var skew = 5 * MathF.PI / 180;
        Quad[] boxes =
        [
            ReadingOrder.Rotated(Quad.FromRectangle(0, 100, 200, 20), skew),
            ReadingOrder.Rotated(Quad.FromRectangle(400, 100, 60, 20), skew),
            ReadingOrder.Rotated(Quad.FromRectangle(0, 130, 200, 20), skew),
        ];

        // As the image has them, the price falls on the next line's row.
        Assert.DoesNotContain(ReadingOrder.GroupIntoRows(boxes), row => row.Contains(0) && row.Contains(1));
        var straight = boxes.Select(b => ReadingOrder.Rotated(b, -ReadingOrder.Skew(boxes))).ToList();
        Assert.Equal([[0, 1], [2]], ReadingOrder.GroupIntoRows(straight).Select(row => row.ToArray()));
    }

    [Fact]
    public void An_image_whose_one_row_of_text_fills_it_is_a_line_image()
    {
        // A receipt line cut out: two boxes (item, price) on one row, 30 of the image's 40 px high.
        Assert.True(ReadingOrder.IsLineImage([Quad.FromRectangle(4, 5, 200, 30), Quad.FromRectangle(300, 6, 60, 28)], imageHeight: 40));
        // Exactly half the height still is one.
        Assert.True(ReadingOrder.IsLineImage([Quad.FromRectangle(4, 50, 200, 50)], imageHeight: 100));
    }

    [Fact]
    public void A_page_with_room_around_its_only_line_or_with_two_rows_is_not_a_line_image()
    {
        Assert.False(ReadingOrder.IsLineImage([Quad.FromRectangle(4, 50, 200, 30)], imageHeight: 100));
        Assert.False(ReadingOrder.IsLineImage([Quad.FromRectangle(4, 2, 200, 20), Quad.FromRectangle(4, 26, 200, 20)], imageHeight: 50));
        Assert.False(ReadingOrder.IsLineImage([], imageHeight: 50));
    }

    private static DetectedBox Box(float x, float y, float width, float height) =>
        new(Quad.FromRectangle(x, y, width, height), 0.9f);
}
