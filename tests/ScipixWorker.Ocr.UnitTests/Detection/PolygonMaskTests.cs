using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Detection;

public sealed class PolygonMaskTests
{
    [Fact]
    public void Rectangle_fill_includes_its_border_rows_and_columns()
    {
        var mask = Fill(6, 5, new(1, 1), new(4, 1), new(4, 3), new(1, 3));

        Assert.Equal(
            [
                "......",
                ".####.",
                ".####.",
                ".####.",
                "......",
            ],
            mask);
    }

    [Fact]
    public void Polygon_leaving_the_mask_is_clipped_like_opencv()
    {
        // cv2.fillPoly on a 15 x 14 mask: the edge to (16, 5) is clipped to the mask before OpenCV
        // draws its outline, which changes the stair steps of that edge.
        var mask = Fill(15, 14, new(2, 0), new(16, 5), new(13, 12), new(0, 7));

        Assert.Equal(
            [
                "..##...........",
                "..####.........",
                ".########......",
                ".##########....",
                ".#############.",
                ".##############",
                "###############",
                "###############",
                "..#############",
                "....###########",
                ".......########",
                "..........####.",
                "............##.",
                "...............",
            ],
            mask);
    }

    [Fact]
    public void Sloped_edges_include_the_outline_pixels()
    {
        // Triangle (0,0)-(6,0)-(0,6): cv2.fillPoly paints the hypotenuse's 8-connected line too.
        var mask = Fill(7, 7, new(0, 0), new(6, 0), new(0, 6));

        Assert.Equal(
            [
                "#######",
                "######.",
                "#####..",
                "####...",
                "###....",
                "##.....",
                "#......",
            ],
            mask);
    }

    [Fact]
    public void Mean_covers_only_the_pixels_inside_the_box()
    {
        // Left half 1, right half 0; the box spans x 0..3 of 8 columns over all rows.
        const int Width = 8, Height = 4;
        var map = new float[Width * Height];
        for (var y = 0; y < Height; y++)
        {
            map.AsSpan(y * Width, Width / 2).Fill(1f);
        }

        byte[]? scratch = null;
        Vector2[] left = [new(0, 0), new(3, 0), new(3, 3), new(0, 3)];
        Vector2[] straddling = [new(2, 0), new(5, 0), new(5, 3), new(2, 3)];

        Assert.Equal(1.0, PolygonMask.MeanInside(map, Width, Height, left, ref scratch));
        Assert.Equal(0.5, PolygonMask.MeanInside(map, Width, Height, straddling, ref scratch));
    }

    [Fact]
    public void Fractional_corners_are_floored_into_the_bounding_box_and_truncated_inside_it()
    {
        // Box x 1.7..3.2: bounding box columns floor(1.7) = 1 .. ceil(3.2) = 4; vertices truncate to
        // 0 and 2 relative to column 1, so columns 1..3 count and column 4 does not.
        const int Width = 6, Height = 2;
        float[] map = [0, 1, 2, 3, 100, 0, 0, 1, 2, 3, 100, 0];
        byte[]? scratch = null;
        Vector2[] box = [new(1.7f, 0), new(3.2f, 0), new(3.2f, 1), new(1.7f, 1)];

        Assert.Equal(2.0, PolygonMask.MeanInside(map, Width, Height, box, ref scratch));
    }

    private static string[] Fill(int width, int height, params PointI[] vertices)
    {
        var mask = new byte[width * height];
        PolygonMask.Fill(mask, width, height, vertices);
        return Enumerable.Range(0, height)
            .Select(y => string.Concat(mask.AsSpan(y * width, width).ToArray().Select(v => v != 0 ? '#' : '.')))
            .ToArray();
    }
}
