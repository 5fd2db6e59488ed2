using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Geometry;

public sealed class ConvexHullTests
{
    [Fact]
    public void Interior_and_edge_points_are_dropped_from_the_hull_of_a_square()
    {
        PointI[] points = [new(0, 0), new(2, 0), new(4, 0), new(1, 1), new(2, 2), new(4, 2), new(0, 4), new(4, 4), new(0, 2), new(3, 4)];

        var hull = Hull(points);

        Assert.Equal(4, hull.Length);
        Assert.Equal(
            new HashSet<PointI> { new(0, 0), new(4, 0), new(4, 4), new(0, 4) },
            hull.ToHashSet());
    }

    [Fact]
    public void Collinear_points_give_the_two_end_points()
    {
        PointI[] points = [new(3, 3), new(1, 1), new(2, 2), new(0, 0)];

        var hull = Hull(points);

        Assert.Equal(new HashSet<PointI> { new(0, 0), new(3, 3) }, hull.ToHashSet());
    }

    [Fact]
    public void Repeated_single_point_gives_one_vertex()
    {
        PointI[] points = [new(5, 7), new(5, 7), new(5, 7)];

        Assert.Equal([new PointI(5, 7)], Hull(points));
        Assert.Equal([new PointI(5, 7)], Hull([new PointI(5, 7)]));
        Assert.Empty(Hull([]));
    }

    [Fact]
    public void Hull_vertices_go_around_the_polygon_in_one_direction()
    {
        var random = new Random(7);
        var points = Enumerable.Range(0, 200).Select(_ => new PointI(random.Next(50), random.Next(30))).ToArray();

        var hull = Hull(points);

        // Every turn has the same sign and every input point is inside or on the hull.
        var sign = 0;
        for (var i = 0; i < hull.Length; i++)
        {
            var cross = Cross(hull[i], hull[(i + 1) % hull.Length], hull[(i + 2) % hull.Length]);
            Assert.NotEqual(0, cross);
            sign = sign == 0 ? Math.Sign(cross) : sign;
            Assert.Equal(sign, Math.Sign(cross));
        }

        foreach (var point in points)
        {
            for (var i = 0; i < hull.Length; i++)
            {
                Assert.True(sign * Cross(hull[i], hull[(i + 1) % hull.Length], point) >= 0);
            }
        }
    }

    private static PointI[] Hull(PointI[] points)
    {
        var hull = new PointI[points.Length + 1];
        var count = ConvexHull.FromPoints(points.ToArray(), hull);
        return hull[..count];
    }

    private static long Cross(PointI o, PointI a, PointI b) =>
        ((long)(a.X - o.X) * (b.Y - o.Y)) - ((long)(a.Y - o.Y) * (b.X - o.X));
}
