using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Geometry;

public sealed class HomographyTests
{
    private static readonly Vector2[] Quad = [new(10.5f, 20f), new(110f, 5.25f), new(130f, 70f), new(3f, 60.5f)];
    private static readonly Vector2[] Rectangle = [new(0, 0), new(120, 0), new(120, 50), new(0, 50)];

    [Fact]
    public void Perspective_transform_maps_each_quad_corner_onto_its_rectangle_corner()
    {
        var transform = Homography.FromPoints(Quad, Rectangle);

        Assert.NotNull(transform);
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = transform.Map(Quad[i].X, Quad[i].Y);
            Assert.Equal(Rectangle[i].X, x, 1e-9);
            Assert.Equal(Rectangle[i].Y, y, 1e-9);
        }

        Assert.Equal(1.0, transform[2, 2]);
    }

    [Fact]
    public void Inverse_maps_rectangle_corners_back_and_round_trips_inner_points()
    {
        var transform = Homography.FromPoints(Quad, Rectangle)!;
        var inverse = transform.Invert();

        Assert.NotNull(inverse);
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = inverse.Map(Rectangle[i].X, Rectangle[i].Y);
            Assert.Equal(Quad[i].X, x, 1e-9);
            Assert.Equal(Quad[i].Y, y, 1e-9);
        }

        var (u, v) = transform.Map(60.25, 40.75);
        var (backX, backY) = inverse.Map(u, v);
        Assert.Equal(60.25, backX, 1e-9);
        Assert.Equal(40.75, backY, 1e-9);
    }

    [Fact]
    public void Lines_stay_straight_under_the_transform()
    {
        var transform = Homography.FromPoints(Quad, Rectangle)!;

        // Midpoint of a quad side lands on the corresponding rectangle side (not at its middle).
        var (x, y) = transform.Map((Quad[0].X + Quad[1].X) / 2.0, (Quad[0].Y + Quad[1].Y) / 2.0);

        Assert.Equal(0.0, y, 1e-9);
        Assert.InRange(x, 0.0, 120.0);
    }

    [Fact]
    public void Translation_between_equal_rectangles_is_a_pure_shift()
    {
        Vector2[] moved = [new(5, 7), new(125, 7), new(125, 57), new(5, 57)];

        var transform = Homography.FromPoints(moved, Rectangle)!;

        Assert.Equal(1.0, transform[0, 0], 1e-12);
        Assert.Equal(0.0, transform[0, 1], 1e-12);
        Assert.Equal(-5.0, transform[0, 2], 1e-12);
        Assert.Equal(-7.0, transform[1, 2], 1e-12);
        Assert.Equal(0.0, transform[2, 0], 1e-12);
        Assert.Equal(0.0, transform[2, 1], 1e-12);
    }

    [Fact]
    public void Three_collinear_corners_have_no_transform()
    {
        Vector2[] flat = [new(0, 0), new(10, 0), new(20, 0), new(0, 10)];

        Assert.Null(Homography.FromPoints(flat, Rectangle));
    }
}
