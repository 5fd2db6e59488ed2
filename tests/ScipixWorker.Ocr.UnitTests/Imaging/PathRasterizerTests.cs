using System.Numerics;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>Shapes filled into a grey image: by their rule, anti-aliased by the part of each pixel they cover.</summary>
public sealed class PathRasterizerTests
{
    private static Vector2[] Square(float left, float top, float right, float bottom, bool clockwise = true) =>
        clockwise
            ? [new(left, top), new(right, top), new(right, bottom), new(left, bottom)]
            : [new(left, top), new(left, bottom), new(right, bottom), new(right, top)];

    private static float Ink(PathRasterizer r)
    {
        var sum = 0f;
        for (var y = 0; y < r.Height; y++)
        {
            for (var x = 0; x < r.Width; x++)
            {
                sum += r.InkAt(x, y);
            }
        }

        return sum;
    }

    [Fact]
    public void A_square_on_pixel_edges_is_black_inside_and_white_outside()
    {
        var r = new PathRasterizer(10, 10);

        r.Fill([Square(2, 3, 6, 8)], evenOdd: false);

        Assert.Equal(1f, r.InkAt(2, 3));
        Assert.Equal(1f, r.InkAt(5, 7));
        Assert.Equal(0f, r.InkAt(6, 7));
        Assert.Equal(0f, r.InkAt(2, 8));
        Assert.Equal(20f, Ink(r), 0.01f);
        var grey = r.ToGrey();
        Assert.Equal((0, 255), (grey[(3 * 10) + 2], grey[0]));
    }

    [Fact]
    public void Edges_inside_a_pixel_cover_it_by_the_part_they_fill()
    {
        var r = new PathRasterizer(10, 10);

        r.Fill([Square(2.5f, 2, 5.25f, 4)], evenOdd: false);

        Assert.Equal(0.5f, r.InkAt(2, 2), 0.01f);
        Assert.Equal(1f, r.InkAt(3, 3), 0.01f);
        Assert.Equal(0.25f, r.InkAt(5, 3), 0.01f);
        Assert.Equal(2.75f * 2, Ink(r), 0.05f);
    }

    [Fact]
    public void A_ring_is_a_ring_by_even_odd_and_by_winding_when_its_hole_runs_the_other_way()
    {
        var sameWay = new PathRasterizer(12, 12);
        var evenOdd = new PathRasterizer(12, 12);
        var otherWay = new PathRasterizer(12, 12);

        sameWay.Fill([Square(1, 1, 11, 11), Square(4, 4, 8, 8)], evenOdd: false);
        evenOdd.Fill([Square(1, 1, 11, 11), Square(4, 4, 8, 8)], evenOdd: true);
        otherWay.Fill([Square(1, 1, 11, 11), Square(4, 4, 8, 8, clockwise: false)], evenOdd: false);

        Assert.Equal((1f, 1f), (sameWay.InkAt(6, 6), sameWay.InkAt(2, 2))); // the same direction winds twice round the middle
        Assert.Equal((0f, 1f), (evenOdd.InkAt(6, 6), evenOdd.InkAt(2, 2)));
        Assert.Equal((0f, 1f), (otherWay.InkAt(6, 6), otherWay.InkAt(2, 2)));
        Assert.Equal(100f - 16f, Ink(evenOdd), 0.05f);
    }

    [Fact]
    public void Shapes_filled_one_after_another_add_up_and_do_not_cancel()
    {
        var r = new PathRasterizer(10, 10);

        r.Fill([Square(1, 1, 6, 6)], evenOdd: false);
        r.Fill([Square(4, 4, 9, 9, clockwise: false)], evenOdd: false); // over the first, the other way round

        Assert.Equal((1f, 1f, 1f), (r.InkAt(2, 2), r.InkAt(4, 4), r.InkAt(8, 8)));
    }

    [Fact]
    public void A_triangle_covers_its_area_and_a_shape_off_the_image_is_cut_at_its_edges()
    {
        var triangle = new PathRasterizer(40, 40);
        var off = new PathRasterizer(10, 10);

        triangle.Fill([[new(5, 5), new(35, 10), new(12, 33)]], evenOdd: false);
        off.Fill([Square(-5, -5, 5, 50), [new(float.NaN, 1), new(3, 3), new(1, 4)]], evenOdd: false);

        Assert.Equal(0.5f * Math.Abs((30 * 28) - (5 * 7)), Ink(triangle), 2f); // half the cross product of two sides
        Assert.Equal(50f, Ink(off), 0.05f); // 5 columns of the 10 rows inside
    }

    [Fact]
    public void A_stroked_line_is_a_band_as_wide_as_the_pen_and_a_stroked_square_is_a_frame()
    {
        var line = new PathRasterizer(20, 10);
        var frame = new PathRasterizer(20, 20);

        line.Stroke([([new(4, 5), new(14, 5)], false)], width: 2);
        frame.Stroke([([new(4, 4), new(16, 4), new(16, 16), new(4, 16)], true)], width: 2);

        // The band: y 4 to 6, x 3 to 15 (square ends half the pen past each end).
        Assert.Equal((1f, 1f, 0f, 0f), (line.InkAt(3, 4), line.InkAt(14, 5), line.InkAt(2, 5), line.InkAt(8, 6)));
        Assert.Equal(12f * 2, Ink(line), 0.05f);
        // The frame: its sides inked, its middle and its outside not; its corners whole.
        Assert.Equal((1f, 1f, 1f), (frame.InkAt(10, 3), frame.InkAt(15, 10), frame.InkAt(3, 3)));
        Assert.Equal((0f, 0f), (frame.InkAt(10, 10), frame.InkAt(18, 18)));
        Assert.Equal((14f * 14) - (10f * 10), Ink(frame), 0.05f);
    }
}
