using System.Numerics;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class QuadCropperTests
{
    private static readonly RgbBuffer Source = Images.Noise(40, 30, seed: 42);

    [Fact]
    public void Axis_aligned_quad_crop_equals_a_plain_copy()
    {
        var crop = QuadCropper.Crop(Source, Quad.FromRectangle(5, 7, 20, 10));

        Assert.Equal(20, crop.Width);
        Assert.Equal(10, crop.Height);
        for (var y = 0; y < 10; y++)
        {
            Assert.Equal(Source.ReadOnlyRow(7 + y).Slice(5 * 3, 20 * 3).ToArray(), crop.ReadOnlyRow(y).ToArray());
        }
    }

    [Fact]
    public void Random_quads_match_the_paddleocr_reference()
    {
        // The reference OpenCV solved getPerspectiveTransform's 8x8 system with LAPACK, which rounds the
        // last bits of the matrix differently from OpenCV's own LU (followed here). Where a sample falls
        // exactly on a 1/32-pixel rounding boundary that can move it by one step, so a few bytes may
        // differ slightly; everything else must be identical.
        using var reader = ReferenceFixtures.Open("crop.bin");
        int sourceWidth = reader.ReadInt32(), sourceHeight = reader.ReadInt32();
        var source = new RgbBuffer(sourceWidth, sourceHeight, reader.ReadBytes(sourceWidth * sourceHeight * 3));
        var cases = reader.ReadInt32();
        var identical = 0;
        for (var i = 0; i < cases; i++)
        {
            var corners = Enumerable.Range(0, 4).Select(_ => new Vector2(reader.ReadSingle(), reader.ReadSingle())).ToArray();
            int width = reader.ReadInt32(), height = reader.ReadInt32();
            var expected = reader.ReadBytes(width * height * 3);

            var crop = QuadCropper.Crop(source, new Quad(corners[0], corners[1], corners[2], corners[3]));

            Assert.Equal((width, height), (crop.Width, crop.Height));
            var differing = expected.Zip(crop.Data.ToArray()).Count(pair => pair.First != pair.Second);
            var largest = expected.Zip(crop.Data.ToArray()).Max(pair => Math.Abs(pair.First - pair.Second));
            Assert.True(differing <= expected.Length / 50 && largest <= 3, $"crop {i}: {differing} bytes differ, by up to {largest}");
            identical += differing == 0 ? 1 : 0;
        }

        Assert.True(identical >= cases - 2, $"only {identical} of {cases} crops are identical");
    }

    [Fact]
    public void Crop_size_truncates_the_longer_of_each_pair_of_opposite_sides()
    {
        // Top side 10.9 long, bottom 9; left side 4.5, right 5.2.
        var quad = new Quad(new Vector2(0, 0), new Vector2(10.9f, 0), new Vector2(10.9f, 5.2f), new Vector2(1.9f, 4.5f));

        Assert.Equal((10, 5), QuadCropper.CropSize(quad));
    }

    [Fact]
    public void Quad_listed_from_another_corner_turns_the_content()
    {
        // Text running downwards: the quad's top-left is the source's top-right corner of the region.
        var quad = new Quad(new Vector2(14, 2), new Vector2(14, 8), new Vector2(10, 8), new Vector2(10, 2));

        var crop = QuadCropper.Crop(Source, quad);

        Assert.Equal(6, crop.Width);
        Assert.Equal(4, crop.Height);
        for (var v = 0; v < 4; v++)
        {
            for (var u = 0; u < 6; u++)
            {
                for (var c = 0; c < 3; c++)
                {
                    Assert.Equal(Images.At(Source, 14 - v, 2 + u, c), Images.At(crop, u, v, c));
                }
            }
        }
    }

    [Fact]
    public void Tall_crops_are_rotated_a_quarter_turn_counter_clockwise()
    {
        // 6 wide, 9 tall: 9 / 6 = 1.5, so np.rot90 applies and the result is 9 wide, 6 tall.
        var crop = QuadCropper.Crop(Source, Quad.FromRectangle(3, 4, 6, 9));

        Assert.Equal(9, crop.Width);
        Assert.Equal(6, crop.Height);

        // np.rot90: out[i][j] = in[j][w - 1 - i]; the region's right column becomes the top row.
        for (var i = 0; i < 6; i++)
        {
            for (var j = 0; j < 9; j++)
            {
                Assert.Equal(Images.At(Source, 3 + (6 - 1 - i), 4 + j), Images.At(crop, j, i));
            }
        }
    }

    [Fact]
    public void Crops_just_below_the_vertical_ratio_stay_upright()
    {
        var crop = QuadCropper.Crop(Source, Quad.FromRectangle(3, 4, 7, 10));

        Assert.Equal(7, crop.Width);
        Assert.Equal(10, crop.Height);
    }

    [Fact]
    public void Rotation_matches_numpy_rot90()
    {
        var image = Images.Gray(new byte[,] { { 1, 2, 3 }, { 4, 5, 6 } });

        var rotated = QuadCropper.RotateCounterClockwise(image);

        Assert.Equal(new byte[,] { { 3, 6 }, { 2, 5 }, { 1, 4 } }, Images.Channel(rotated));
    }

    [Fact]
    public void Parts_outside_the_image_replicate_the_border()
    {
        var crop = QuadCropper.Crop(Source, Quad.FromRectangle(-3, -2, 8, 5));

        for (var y = 0; y < 5; y++)
        {
            for (var x = 0; x < 8; x++)
            {
                var expected = Images.At(Source, Math.Max(x - 3, 0), Math.Max(y - 2, 0), 1);
                Assert.Equal(expected, Images.At(crop, x, y, 1));
            }
        }
    }

    [Fact]
    public void Half_pixel_shift_interpolates_a_linear_ramp_with_bicubic_weights()
    {
        // Cubic convolution reproduces straight lines: half-way between 10 * x and 10 * (x + 1).
        var ramp = Images.Create(30, 10, (x, _, _) => (byte)(x * 8));

        var crop = QuadCropper.Crop(ramp, Quad.FromRectangle(5.5f, 3, 12, 4));

        for (var x = 0; x < 12; x++)
        {
            Assert.InRange(Images.At(crop, x, 1), ((5 + x) * 8) + 4 - 1, ((5 + x) * 8) + 4 + 1);
        }
    }

    [Fact]
    public void Bicubic_overshoot_at_an_edge_is_clamped_to_the_byte_range()
    {
        // A hard 0 -> 255 step sampled a quarter pixel off: the a = -0.75 kernel rings past both ends.
        var step = Images.Create(20, 6, (x, _, _) => x < 10 ? (byte)0 : (byte)255);

        var crop = QuadCropper.Crop(step, Quad.FromRectangle(2.25f, 1, 15, 3));

        var values = Enumerable.Range(0, 15).Select(x => Images.At(crop, x, 1)).ToArray();
        Assert.Equal(0, values.Min());
        Assert.Equal(255, values.Max());
        Assert.Contains(values, v => v is > 0 and < 255);
    }

    [Fact]
    public void Degenerate_quad_gives_a_one_pixel_crop()
    {
        var point = new Vector2(12, 9);

        var crop = QuadCropper.Crop(Source, new Quad(point, point, point, point));

        Assert.Equal(1, crop.Width);
        Assert.Equal(1, crop.Height);
    }

    [Fact]
    public void Quad_to_rectangle_transform_maps_corners_exactly()
    {
        var quad = new Quad(new Vector2(3.5f, 2), new Vector2(30, 4.25f), new Vector2(29, 15), new Vector2(2, 12.5f));
        var (width, height) = QuadCropper.CropSize(quad);

        var transform = QuadCropper.QuadToRectangle(quad, width, height);

        Assert.NotNull(transform);
        Vector2[] expected = [new(0, 0), new(width, 0), new(width, height), new(0, height)];
        for (var i = 0; i < 4; i++)
        {
            var (x, y) = transform.Map(quad[i].X, quad[i].Y);
            Assert.Equal(expected[i].X, x, 1e-9);
            Assert.Equal(expected[i].Y, y, 1e-9);
        }
    }
}
