using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Detection;

public sealed class TextRegionsTests
{
    [Fact]
    public void Arms_that_join_further_down_are_one_region()
    {
        // A "W": three arms that only meet in the bottom rows, which forces unions of already-labelled runs.
        using var regions = Find(
            "#...#...#",
            "#...#...#",
            "#...#...#",
            ".#.#.#.#.",
            "..#...#..",
            ".........",
            "##.......");

        Assert.Equal(2, regions.RegionCount);
    }

    [Fact]
    public void Pixels_touching_only_at_corners_are_connected()
    {
        using var regions = Find(
            "#.....",
            ".#....",
            "..#..#",
            "....#.");

        Assert.Equal(2, regions.RegionCount);
    }

    [Fact]
    public void Contours_are_listed_as_findContours_lists_them_last_found_first()
    {
        using var regions = Find(
            "....##",
            "#...##",
            "#.....");

        // The raster scan meets the top-right block first, so findContours lists the left bar first.
        // Hull vertices come in cv2.convexHull(contour, clockwise=False) order, ending at the first pixel.
        Assert.Equal(2, regions.Count);
        Assert.Equal([new PointI(0, 2), new PointI(0, 1)], HullOf(regions, 0));
        Assert.Equal([new PointI(5, 0), new PointI(5, 1), new PointI(4, 1), new PointI(4, 0)], HullOf(regions, 1));
    }

    [Fact]
    public void Enclosed_background_adds_a_hole_contour_through_its_four_neighbours()
    {
        // cv2.findContours lists the hole's inner contour (2,3) (3,2) (4,2) (5,3) (5,4) (4,5) (3,5) (2,4)
        // before the outer one; the corners diagonal to the hole are not on it.
        using var regions = Find(
            "........",
            ".######.",
            ".######.",
            ".##..##.",
            ".##..##.",
            ".######.",
            ".######.",
            "........");

        Assert.Equal(2, regions.Count);
        Assert.Equal(1, regions.RegionCount);
        Assert.True(regions.IsHole(0));
        Assert.False(regions.IsHole(1));
        Assert.Equal(
            new HashSet<PointI> { new(2, 3), new(3, 2), new(4, 2), new(5, 3), new(5, 4), new(4, 5), new(3, 5), new(2, 4) },
            HullOf(regions, 0).ToHashSet());

        // The hull starts where the inner contour starts: left of the hole's first pixel.
        Assert.Equal(new PointI(2, 3), HullOf(regions, 0)[0]);
    }

    [Fact]
    public void Background_touching_the_border_or_only_diagonally_enclosed_is_no_hole()
    {
        // The gap on the right edge reaches the border; the two single-pixel holes are separate
        // 4-connected components, and each gets its own contour.
        using var regions = Find(
            "#######",
            "#.###..",
            "##.####",
            "#######");

        Assert.Equal(3, regions.Count);
        Assert.Equal(2, Enumerable.Range(0, regions.Count).Count(regions.IsHole));
    }

    [Fact]
    public void Hull_is_spanned_by_the_ends_of_each_row()
    {
        // A plus sign: the hull is the octagon through the arm ends.
        using var regions = Find(
            "..#..",
            "..#..",
            "#####",
            "..#..",
            "..#..");

        var hull = HullOf(regions, 0);

        Assert.Equal(
            new HashSet<PointI> { new(2, 0), new(4, 2), new(2, 4), new(0, 2) },
            hull.ToHashSet());
    }

    [Fact]
    public void Runs_beyond_the_initial_capacity_are_kept()
    {
        // Alternating pixels: one run per pixel, far more than the initial run buffer.
        const int Width = 400, Height = 100;
        var map = new float[Width * Height];
        for (var y = 0; y < Height; y += 2)
        {
            for (var x = 0; x < Width; x += 2)
            {
                map[(y * Width) + x] = 1;
            }
        }

        using var regions = TextRegions.Find(map, Width, Height, 0.5f);

        Assert.Equal(Width * Height / 4, regions.RegionCount);
    }

    private static TextRegions Find(params string[] rows)
    {
        var width = rows[0].Length;
        var map = new float[width * rows.Length];
        for (var y = 0; y < rows.Length; y++)
        {
            for (var x = 0; x < width; x++)
            {
                map[(y * width) + x] = rows[y][x] == '#' ? 0.9f : 0.1f;
            }
        }

        return TextRegions.Find(map, width, rows.Length, 0.5f);
    }

    private static PointI[] HullOf(TextRegions regions, int contour)
    {
        var capacity = regions.PointCapacity(contour);
        var points = new PointI[capacity];
        var hull = new PointI[capacity + 1];
        var count = regions.Hull(contour, points, hull);
        return hull[..count];
    }
}
