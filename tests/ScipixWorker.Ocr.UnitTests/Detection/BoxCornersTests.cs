using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Detection;

public sealed class BoxCornersTests
{
    [Fact]
    public void Mini_box_corners_start_top_left_and_go_clockwise()
    {
        // cv2.boxPoints order for an upright rectangle: bottom-left, top-left, top-right, bottom-right.
        Vector2[] corners = [new(10, 30), new(10, 20), new(50, 20), new(50, 30)];

        BoxCorners.OrderMiniBox(corners);

        Assert.Equal([new(10, 20), new(50, 20), new(50, 30), new(10, 30)], corners);
    }

    [Fact]
    public void Mini_box_of_a_tilted_rectangle_takes_the_upper_of_each_side_pair()
    {
        // Tilted down to the right: sorted by x the pairs are (0,5),(2,12) and (40,20),(38,27)... the
        // upper point of the left pair is the top-left, the upper of the right pair the top-right.
        Vector2[] corners = [new(38, 27), new(2, 12), new(0, 5), new(40, 20)];

        BoxCorners.OrderMiniBox(corners);

        Assert.Equal([new(0, 5), new(40, 20), new(38, 27), new(2, 12)], corners);
    }

    [Fact]
    public void Clockwise_order_uses_coordinate_sums_and_differences()
    {
        PointI[] points = [new(90, 68), new(29, 11), new(18, 41), new(101, 38)];

        var quad = BoxCorners.OrderClockwise(points);

        Assert.Equal(new Quad(new(29, 11), new(101, 38), new(90, 68), new(18, 41)), quad);
    }

    [Fact]
    public void Clockwise_order_of_a_45_degree_square_follows_numpy_tie_breaking()
    {
        // Sums 10, 10, 20, 0 and y - x of the rest 10, -10: argmin/argmax take the first of equals.
        PointI[] points = [new(10, 0), new(0, 10), new(10, 10), new(0, 0)];

        var quad = BoxCorners.OrderClockwise(points);

        Assert.Equal(new Quad(new(0, 0), new(10, 0), new(10, 10), new(0, 10)), quad);
    }
}
