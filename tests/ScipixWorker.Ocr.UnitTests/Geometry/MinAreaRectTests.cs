using System.Numerics;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Geometry;

public sealed class MinAreaRectTests
{
    [Fact]
    public void Axis_aligned_rectangle_is_its_own_minimum_rectangle()
    {
        PointI[] points = [new(2, 3), new(12, 3), new(12, 7), new(2, 7), new(5, 5), new(7, 3)];

        var box = MinAreaRect.OfPoints(points);

        Assert.Equal(4f, box.ShortSide);
        Assert.Equal(10f, MathF.Max(box.Width, box.Height));
        Assert.Equal(new Vector2(7, 5), box.Center);
        AssertCorners([new(2, 3), new(12, 3), new(12, 7), new(2, 7)], box, 1e-5f);
    }

    [Fact]
    public void Rectangle_rotated_by_a_3_4_5_angle_is_found_exactly()
    {
        // Sides (8, 6) and (-3, 4): 10 x 5, turned by atan(3/4).
        PointI[] points = [new(0, 0), new(8, 6), new(5, 10), new(-3, 4), new(2, 5), new(4, 3)];

        var box = MinAreaRect.OfPoints(points);

        Assert.Equal(5f, box.ShortSide, 4);
        Assert.Equal(10f, MathF.Max(box.Width, box.Height), 4);
        AssertCorners([new(0, 0), new(8, 6), new(5, 10), new(-3, 4)], box, 1e-4f);
    }

    [Fact]
    public void Diamond_gets_a_45_degree_square()
    {
        PointI[] points = [new(5, 0), new(10, 5), new(5, 10), new(0, 5)];

        var box = MinAreaRect.OfPoints(points);

        Assert.Equal(MathF.Sqrt(50), box.Width, 4);
        Assert.Equal(MathF.Sqrt(50), box.Height, 4);
        AssertCorners([new(5, 0), new(10, 5), new(5, 10), new(0, 5)], box, 1e-4f);
    }

    [Fact]
    public void Area_equals_the_smallest_edge_aligned_bounding_rectangle_of_random_point_sets()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var points = Enumerable.Range(0, random.Next(3, 40))
                .Select(_ => new PointI(random.Next(-50, 50), random.Next(-20, 20)))
                .ToArray();
            var hull = new PointI[points.Length + 1];
            var hullCount = ConvexHull.FromPoints(points.ToArray(), hull);
            if (hullCount < 3)
            {
                continue;
            }

            var box = MinAreaRect.OfHull(hull.AsSpan(0, hullCount));

            // Independent oracle: one side of the minimum rectangle lies on a hull edge.
            var best = double.MaxValue;
            for (var i = 0; i < hullCount; i++)
            {
                var a = hull[i];
                var b = hull[(i + 1) % hullCount];
                var ux = (double)(b.X - a.X);
                var uy = (double)(b.Y - a.Y);
                var length = Math.Sqrt((ux * ux) + (uy * uy));
                ux /= length;
                uy /= length;
                double minU = double.MaxValue, maxU = double.MinValue, minV = double.MaxValue, maxV = double.MinValue;
                foreach (var p in points)
                {
                    var u = (p.X * ux) + (p.Y * uy);
                    var v = (-p.X * uy) + (p.Y * ux);
                    minU = Math.Min(minU, u);
                    maxU = Math.Max(maxU, u);
                    minV = Math.Min(minV, v);
                    maxV = Math.Max(maxV, v);
                }

                best = Math.Min(best, (maxU - minU) * (maxV - minV));
            }

            Assert.Equal(best, (double)box.Width * box.Height, best * 1e-4 + 1e-3);
        }
    }

    [Fact]
    public void Two_points_give_a_flat_box_and_one_point_an_empty_box()
    {
        var line = MinAreaRect.OfHull([new PointI(0, 0), new PointI(3, 4)]);
        var point = MinAreaRect.OfHull([new PointI(2, 2)]);

        Assert.Equal(5f, line.Width, 5);
        Assert.Equal(0f, line.ShortSide);
        Assert.Equal(new Vector2(1.5f, 2f), line.Center);
        Assert.Equal(0f, point.ShortSide);
        Assert.Equal(new Vector2(2, 2), point.Center);
    }

    private static void AssertCorners(Vector2[] expected, RotatedBox box, float tolerance)
    {
        Span<Vector2> corners = stackalloc Vector2[4];
        box.GetCorners(corners);
        foreach (var corner in expected)
        {
            var nearest = float.MaxValue;
            foreach (var actual in corners)
            {
                nearest = MathF.Min(nearest, Vector2.Distance(corner, actual));
            }

            Assert.True(nearest <= tolerance, $"corner {corner} not found in [{string.Join(", ", corners.ToArray())}]");
        }
    }
}
