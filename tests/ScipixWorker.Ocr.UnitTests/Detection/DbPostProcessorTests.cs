using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>
/// Expected boxes are PaddleOCR's (DBPostProcess.boxes_from_bitmap + predict_det.filter_tag_det_res
/// with OpenCV 4.6, pyclipper and shapely) for the same maps; the simple ones are derived by hand too.
/// </summary>
public sealed class DbPostProcessorTests
{
    private static readonly DbPostProcessor Default = new(threshold: 0.3f, boxThreshold: 0.6f, unclipRatio: 1.5f, maxCandidates: 1000);

    [Fact]
    public void Axis_aligned_block_grows_by_the_unclip_distance()
    {
        // Pixels x 20..59, y 20..29: pixel-centre rectangle 39 x 9, area 351, perimeter 96, so the
        // unclip distance is 351 * 1.5 / 96 = 5.48. pyclipper offsets integer vertices and rounds the
        // result: 20 - 5.48 -> 15, 59 + 5.48 -> 64, 29 + 5.48 -> 34.
        var map = new ProbabilityMap(100, 60).Fill(20, 20, 60, 30, 0.9f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 100, 60);

        var box = Assert.Single(boxes);
        Assert.Equal(Quad.FromRectangle(15, 15, 49, 19), box.Box);
        Assert.Equal(0.9f, box.Score, 5);
    }

    [Fact]
    public void Boxes_found_on_a_page_with_a_margin_come_back_in_the_pages_pixels()
    {
        // A page of 100 x 60 detected at half scale (50 x 30), once as it is and once with a 16-px margin round it.
        var bare = new ProbabilityMap(50, 30).Fill(10, 10, 30, 15, 0.9f);
        var framed = new ProbabilityMap(82, 62).Fill(26, 26, 46, 31, 0.9f);

        var expected = Default.Process(bare.Values, bare.Width, bare.Height, 100, 60);
        var actual = Default.Process(framed.Values, framed.Width, framed.Height, new MapContent(16, 16, 50, 30), 100, 60);

        // Pixels 10..29 x 10..14 unclipped by 76 * 1.5 / 46 = 2.48: 8..31 x 8..16 of the map, twice that on the page.
        Assert.Equal(Quad.FromRectangle(16, 16, 46, 16), Assert.Single(expected).Box);
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void A_box_reaching_into_the_margin_is_clipped_to_the_page()
    {
        var map = new ProbabilityMap(82, 62).Fill(4, 20, 40, 30, 0.9f);

        var box = Assert.Single(Default.Process(map.Values, map.Width, map.Height, new MapContent(16, 16, 50, 30), 100, 60)).Box;

        Assert.Equal(0, box.MinX);
        Assert.InRange(box.MaxX, 50, 56);
    }

    [Fact]
    public void Synthetic_maps_match_the_paddleocr_reference_box_for_box()
    {
        // Rectangles, rotated rectangles, noise (with holes, whose inner contours PaddleOCR scores too)
        // and blur, with several thresholds, unclip ratios and a binding max_candidates.
        using var reader = ReferenceFixtures.Open("db.bin");
        var cases = reader.ReadInt32();
        var boxes = 0;
        for (var i = 0; i < cases; i++)
        {
            int mapWidth = reader.ReadInt32(), mapHeight = reader.ReadInt32();
            int sourceWidth = reader.ReadInt32(), sourceHeight = reader.ReadInt32();
            float threshold = reader.ReadSingle(), boxThreshold = reader.ReadSingle(), ratio = reader.ReadSingle();
            var maxCandidates = reader.ReadInt32();
            var map = reader.ReadBytes(mapWidth * mapHeight).Select(b => b / 255f).ToArray();
            var expected = Enumerable.Range(0, reader.ReadInt32())
                .Select(_ => (Corners: Enumerable.Range(0, 8).Select(_ => reader.ReadSingle()).ToArray(), Score: reader.ReadSingle()))
                .ToArray();

            var actual = new DbPostProcessor(threshold, boxThreshold, ratio, maxCandidates)
                .Process(map, mapWidth, mapHeight, sourceWidth, sourceHeight);

            Assert.Equal(expected.Select(e => e.Corners), actual.Select(a => a.Box.ToArray()));
            Assert.Equal(expected.Select(e => Math.Round(e.Score, 4)), actual.Select(a => Math.Round(a.Score, 4)));
            boxes += expected.Length;
        }

        Assert.True(boxes > 20);
    }

    [Fact]
    public void Boxes_are_scaled_to_the_source_image()
    {
        var map = new ProbabilityMap(100, 60).Fill(20, 20, 60, 30, 0.9f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 400, 240);

        Assert.Equal(Quad.FromRectangle(60, 60, 196, 76), Assert.Single(boxes).Box);
    }

    [Fact]
    public void Rotated_text_line_gives_a_rotated_box()
    {
        // 60.6 x 14.4 rectangle turned by 20 degrees around (60, 40).
        var map = new ProbabilityMap(120, 80).FillRotated(60, 40, 30.3, 7.2, 20, 0.8f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 120, 80);

        var box = Assert.Single(boxes);
        Assert.Equal(
            new Quad(new Vector2(29, 11), new Vector2(101, 38), new Vector2(90, 68), new Vector2(18, 41)),
            box.Box);

        // The score is the mean inside the (unexpanded) box, which also covers a few empty pixels.
        Assert.Equal(0.721667f, box.Score, 5);
        var angle = Math.Atan2(box.Box.TopRight.Y - box.Box.TopLeft.Y, box.Box.TopRight.X - box.Box.TopLeft.X) * 180 / Math.PI;
        Assert.InRange(angle, 19, 21);
    }

    [Fact]
    public void Regions_scoring_below_the_box_threshold_are_dropped()
    {
        // Both regions pass the pixel threshold (0.3); only the 0.7 one passes the box threshold (0.6).
        var map = new ProbabilityMap(60, 40).Fill(5, 5, 40, 15, 0.5f).Fill(5, 25, 40, 35, 0.7f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 60, 40);

        var box = Assert.Single(boxes);
        Assert.Equal(0.7f, box.Score, 5);
        Assert.Equal(Quad.FromRectangle(0, 20, 44, 19), box.Box);
    }

    [Fact]
    public void Regions_narrower_than_the_minimum_size_are_dropped()
    {
        // A 3 x 3 block spans 2 pixel-centre units (< MinSize 3); a 4 x 4 block spans 3 and survives,
        // growing by 9 * 1.5 / 12 = 1.125 on each side to 5 x 5.
        var map = new ProbabilityMap(30, 30).Fill(2, 2, 5, 5, 1f).Fill(10, 10, 14, 14, 1f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 30, 30);

        Assert.Equal(Quad.FromRectangle(9, 9, 5, 5), Assert.Single(boxes).Box);
    }

    [Fact]
    public void Pixels_at_the_threshold_are_background()
    {
        var map = new ProbabilityMap(40, 20).Fill(5, 5, 30, 15, 0.3f);

        Assert.Empty(Default.Process(map.Values, map.Width, map.Height, 40, 20));
    }

    [Fact]
    public void Max_candidates_keeps_the_regions_that_findContours_lists_first()
    {
        // Five stacked lines; cv2.findContours lists the bottom one first, so a limit of 3 keeps the
        // three bottom lines.
        var map = new ProbabilityMap(40, 60);
        for (var i = 0; i < 5; i++)
        {
            map.Fill(5, 2 + (i * 12), 35, 10 + (i * 12), 0.9f);
        }

        var limited = new DbPostProcessor(0.3f, 0.6f, 1.5f, maxCandidates: 3).Process(map.Values, 40, 60, 40, 60);
        var all = Default.Process(map.Values, 40, 60, 40, 60);

        Assert.Equal(5, all.Count);
        Assert.Equal(
            [Quad.FromRectangle(1, 46, 37, 13), Quad.FromRectangle(1, 34, 37, 15), Quad.FromRectangle(1, 22, 37, 15)],
            limited.Select(b => b.Box).ToArray());
    }

    [Fact]
    public void Boxes_are_clipped_to_the_last_pixel_of_the_image()
    {
        var map = new ProbabilityMap(60, 40).Fill(40, 30, 60, 40, 0.9f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 60, 40);

        Assert.Equal(
            new Quad(new Vector2(35, 25), new Vector2(59, 25), new Vector2(59, 39), new Vector2(35, 39)),
            Assert.Single(boxes).Box);
    }

    [Fact]
    public void Region_covering_the_whole_map_becomes_the_whole_image()
    {
        var map = new ProbabilityMap(60, 40).Fill(0, 0, 60, 40, 0.9f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 60, 40);

        Assert.Equal(Quad.FromRectangle(0, 0, 59, 39), Assert.Single(boxes).Box);
    }

    [Fact]
    public void Diagonally_touching_blocks_are_one_region()
    {
        // 8-connectivity: the blocks meet only at a corner, yet form one region whose bounding box
        // covers the empty quadrants too, so a lower box threshold is needed to keep it.
        var map = new ProbabilityMap(60, 40).Fill(5, 5, 25, 15, 0.9f).Fill(25, 15, 45, 25, 0.9f);

        var strict = Default.Process(map.Values, map.Width, map.Height, 60, 40);
        var lenient = new DbPostProcessor(0.3f, 0.3f, 1.5f, 1000).Process(map.Values, map.Width, map.Height, 60, 40);

        Assert.Empty(strict);
        var box = Assert.Single(lenient).Box;
        Assert.True(box.MinX < 5 && box.MaxX > 44);
    }

    [Fact]
    public void Hole_inside_a_region_gets_its_own_box_as_in_paddleocr()
    {
        // cv2.findContours(RETR_LIST) returns the hole's inner contour too, listed first. Its box covers
        // the 3 x 3 hole and a one-pixel ring: 16 of 25 pixels at 1.0 score 0.64, above 0.6.
        var map = new ProbabilityMap(60, 40).Fill(5, 5, 55, 35, 1f).Fill(18, 18, 21, 21, 0f);

        var boxes = Default.Process(map.Values, map.Width, map.Height, 60, 40);

        Assert.Equal([Quad.FromRectangle(16, 16, 7, 7), Quad.FromRectangle(0, 0, 59, 39)], boxes.Select(b => b.Box));
        Assert.Equal(0.64f, boxes[0].Score, 5);
        Assert.Equal(0.994f, boxes[1].Score, 5);
    }

    [Fact]
    public void Empty_map_gives_no_boxes()
    {
        var map = new ProbabilityMap(32, 32);

        Assert.Empty(Default.Process(map.Values, map.Width, map.Height, 320, 320));
    }

    [Fact]
    public void Map_smaller_than_its_declared_size_is_rejected()
    {
        var values = new float[10 * 10];

        Assert.Throws<ArgumentException>(() => Default.Process(values, 10, 11, 10, 11));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.Process(values, 10, 10, 0, 10));
    }

    [Fact]
    public void Unclip_offsets_the_truncated_box_with_round_corners()
    {
        Vector2[] box = [new(20.7f, 20.2f), new(59.9f, 20.2f), new(59.9f, 29.6f), new(20.7f, 29.6f)];
        var output = new List<PointI>();

        Default.Unclip(box, output);

        // Distance from the float box (39.2 x 9.4); offsets from the truncated vertices (20, 20, 59, 29).
        var distance = 39.2 * 9.4 * 1.5 / (2 * (39.2 + 9.4));
        Assert.Equal((int)Math.Round(20 - distance), output.Min(p => p.X));
        Assert.Equal((int)Math.Round(59 + distance), output.Max(p => p.X));
        Assert.Equal((int)Math.Round(29 + distance), output.Max(p => p.Y));
    }

    [Fact]
    public void A_mark_too_small_for_a_box_beside_a_row_comes_back_as_a_colon_candidate_after_the_boxes()
    {
        // A label (x 10..49) and a value (x 80..119) on rows 20..29, and between them a colon's blob, 2 x 5 pixels,
        // which the size filter drops: PaddleOCR returns the two boxes alone.
        var map = new ProbabilityMap(140, 60).Fill(10, 20, 50, 30, 0.9f).Fill(80, 20, 120, 30, 0.9f).Fill(64, 22, 66, 27, 0.9f);
        var withMarks = new DbPostProcessor(threshold: 0.3f, boxThreshold: 0.6f, unclipRatio: 1.5f, maxCandidates: 1000, loneMarks: true);

        var paddle = Default.Process(map.Values, map.Width, map.Height, 140, 60);
        var boxes = withMarks.Process(map.Values, map.Width, map.Height, 140, 60);

        Assert.Equal(2, paddle.Count);
        Assert.Equal(paddle, boxes.Take(2));
        var mark = boxes[2];
        Assert.True(mark.Lone);
        Assert.InRange((mark.Box.MinX + mark.Box.MaxX) / 2, 63f, 66f);
        Assert.Equal(paddle[0].Box.MinY, mark.Box.MinY, 1f); // as tall as its row
        Assert.Equal(paddle[0].Box.MaxY, mark.Box.MaxY, 1f);
    }

    [Fact]
    public void A_speck_far_from_any_row_is_no_candidate()
    {
        var map = new ProbabilityMap(140, 80).Fill(10, 20, 50, 30, 0.9f).Fill(64, 60, 66, 62, 0.9f);
        var withMarks = new DbPostProcessor(threshold: 0.3f, boxThreshold: 0.6f, unclipRatio: 1.5f, maxCandidates: 1000, loneMarks: true);

        Assert.Single(withMarks.Process(map.Values, map.Width, map.Height, 140, 80));
    }
}
