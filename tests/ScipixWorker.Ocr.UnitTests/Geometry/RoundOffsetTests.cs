using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Geometry;

public sealed class RoundOffsetTests
{
    [Fact]
    public void Square_grows_by_the_distance_on_every_side_with_rounded_corners()
    {
        PointI[] square = [new(0, 0), new(10, 0), new(10, 10), new(0, 10)];
        var output = new List<PointI>();

        RoundOffset.Execute(square, 2.0, output);

        Assert.Equal(-2, output.Min(p => p.X));
        Assert.Equal(12, output.Max(p => p.X));
        Assert.Equal(-2, output.Min(p => p.Y));
        Assert.Equal(12, output.Max(p => p.Y));

        // Every vertex lies at the offset distance from the square (up to integer rounding), and the
        // corners are cut by arcs: no vertex at the sharp corner (-2, -2).
        foreach (var point in output)
        {
            Assert.InRange(DistanceToSquare(point, 0, 10), 2.0 - 0.75, 2.0 + 0.75);
        }

        Assert.DoesNotContain(new PointI(-2, -2), output);
        Assert.True(output.Count > 8);
    }

    [Fact]
    public void Vertex_order_does_not_change_the_offset_polygon()
    {
        PointI[] clockwise = [new(0, 0), new(0, 10), new(30, 10), new(30, 0)];
        PointI[] counterClockwise = [new(0, 0), new(30, 0), new(30, 10), new(0, 10)];
        var a = new List<PointI>();
        var b = new List<PointI>();

        RoundOffset.Execute(clockwise, 3.5, a);
        RoundOffset.Execute(counterClockwise, 3.5, b);

        Assert.Equal(a.ToHashSet(), b.ToHashSet());
        Assert.Equal(-4, a.Min(p => p.X));
        Assert.Equal(34, a.Max(p => p.X));
    }

    [Fact]
    public void Paths_with_fewer_than_three_distinct_vertices_produce_nothing()
    {
        var output = new List<PointI>();

        RoundOffset.Execute([new PointI(1, 1), new PointI(1, 1), new PointI(5, 5), new PointI(1, 1)], 2.0, output);

        Assert.Empty(output);
    }

    [Fact]
    public void Zero_distance_returns_the_polygon_itself()
    {
        PointI[] triangle = [new(0, 0), new(10, 0), new(0, 10)];
        var output = new List<PointI>();

        RoundOffset.Execute(triangle, 0, output);

        Assert.Equal(triangle.ToHashSet(), output.ToHashSet());
    }

    [Fact]
    public void Signed_area_is_positive_for_counter_clockwise_vertices_in_y_up_axes()
    {
        Assert.Equal(100.0, RoundOffset.SignedArea([new PointI(0, 0), new PointI(10, 0), new PointI(10, 10), new PointI(0, 10)]));
        Assert.Equal(-100.0, RoundOffset.SignedArea([new PointI(0, 0), new PointI(0, 10), new PointI(10, 10), new PointI(10, 0)]));
    }

    private static double DistanceToSquare(PointI point, int min, int max)
    {
        var dx = Math.Max(Math.Max(min - point.X, point.X - max), 0);
        var dy = Math.Max(Math.Max(min - point.Y, point.Y - max), 0);
        return Math.Sqrt((dx * dx) + (dy * dy));
    }
}
