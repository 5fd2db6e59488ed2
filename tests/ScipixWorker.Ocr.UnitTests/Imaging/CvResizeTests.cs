using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class CvResizeTests
{
    [Fact]
    public void Upscaling_2x2_to_4x4_matches_opencv()
    {
        var source = Images.Gray(new byte[,] { { 0, 100 }, { 200, 50 } });

        var resized = CvResize.Bilinear(source, 4, 4);

        // cv2.resize(..., (4, 4), interpolation=cv2.INTER_LINEAR). Sample positions are -0.25, 0.25,
        // 0.75, 1.25 on both axes; outside positions clamp to the edge: row 0 is the top row
        // interpolated horizontally (0, 25, 75, 100), and (1, 1) is 0.75 * 25 + 0.25 * 162.5 = 59.375.
        Assert.Equal(
            new byte[,]
            {
                { 0, 25, 75, 100 },
                { 50, 59, 78, 88 },
                { 150, 128, 84, 63 },
                { 200, 162, 87, 50 },
            },
            Images.Channel(resized));
    }

    [Fact]
    public void Downscaling_4x4_to_2x2_averages_each_2x2_block()
    {
        var source = Images.Gray(new byte[,]
        {
            { 10, 20, 30, 40 },
            { 50, 60, 70, 80 },
            { 90, 100, 110, 120 },
            { 130, 140, 150, 161 },
        });

        var resized = CvResize.Bilinear(source, 2, 2);

        // Half-pixel centres fall between 4 source pixels with weight 1/4 each; 135.25 rounds to 135.
        Assert.Equal(new byte[,] { { 35, 55 }, { 115, 135 } }, Images.Channel(resized));
    }

    [Fact]
    public void Non_integer_scale_matches_opencv()
    {
        var source = Images.Gray(new byte[,]
        {
            { 0, 50, 100, 150, 200 },
            { 20, 70, 120, 170, 220 },
            { 40, 90, 140, 190, 240 },
        });

        var resized = CvResize.Bilinear(source, 3, 2);

        // (0, 0) samples x = 1/3, y = 1/4: 0.75 * 16.67 + 0.25 * 36.67 = 21.67.
        Assert.Equal(new byte[,] { { 22, 105, 188 }, { 52, 135, 218 } }, Images.Channel(resized));
    }

    [Fact]
    public void Rounding_follows_opencv_fixed_point_rather_than_exact_arithmetic()
    {
        // Regression: OpenCV's vertical pass drops low bits before rounding ((s >> 4) * b >> 16, then
        // (+2) >> 2), so some pixels land one level below the exactly rounded bilinear value.
        var source = Images.Create(7, 5, (x, y, c) => (byte)((((x * 37) + (y * 91) + (c * 53)) * 7919) % 256));

        var resized = CvResize.Bilinear(source, 13, 9);

        var exactlyRounded = 0;
        var oneBelow = 0;
        for (var y = 0; y < 9; y++)
        {
            for (var x = 0; x < 13; x++)
            {
                for (var c = 0; c < 3; c++)
                {
                    var reference = ReferenceBilinear(source, 13, 9, x, y, c);
                    var actual = Images.At(resized, x, y, c);
                    if (actual == (int)Math.Round(reference))
                    {
                        exactlyRounded++;
                    }
                    else
                    {
                        Assert.Equal((int)Math.Round(reference) - 1, actual);
                        oneBelow++;
                    }
                }
            }
        }

        Assert.True(exactlyRounded > 300);
        Assert.True(oneBelow > 0, "fixed-point truncation never showed: the vertical pass rounds too exactly");
    }

    [Fact]
    public void Random_images_match_the_cv2_reference_byte_for_byte()
    {
        using var reader = ReferenceFixtures.Open("resize.bin");
        var cases = reader.ReadInt32();
        for (var i = 0; i < cases; i++)
        {
            int sourceWidth = reader.ReadInt32(), sourceHeight = reader.ReadInt32();
            int width = reader.ReadInt32(), height = reader.ReadInt32();
            var source = new RgbBuffer(sourceWidth, sourceHeight, reader.ReadBytes(sourceWidth * sourceHeight * 3));
            var expected = reader.ReadBytes(width * height * 3);

            var resized = CvResize.Bilinear(source, width, height);

            Assert.True(expected.AsSpan().SequenceEqual(resized.Data), $"{sourceWidth}x{sourceHeight} -> {width}x{height} differs from cv2");
        }
    }

    [Fact]
    public void Resizing_into_a_rented_buffer_writes_what_the_allocating_resize_returns()
    {
        var source = Images.Noise(37, 23, seed: 4);
        var expected = CvResize.Bilinear(source, 61, 11);
        var rented = RgbBuffer.Rent(61, 11);
        rented.Data.Fill(0xAB); // a reused buffer holds the previous page's pixels

        CvResize.Bilinear(source, rented);

        Assert.True(expected.Data.SequenceEqual(rented.Data[..(61 * 11 * 3)]));
        rented.Release();
    }

    [Fact]
    public void Same_size_returns_an_identical_copy()
    {
        var source = Images.Noise(9, 7, seed: 1);

        var resized = CvResize.Bilinear(source, 9, 7);

        Assert.NotSame(source, resized);
        Assert.False(source.Data.Overlaps(resized.Data));
        Assert.True(source.Data.SequenceEqual(resized.Data));
    }

    [Fact]
    public void Downscaling_samples_without_antialiasing()
    {
        // Scale 3: output pixels sit exactly on source pixels 1 and 4, so a thin line survives whole
        // (an area filter would give 85).
        var source = Images.Gray(new byte[,] { { 0, 255, 0, 0, 255, 0 } });

        var resized = CvResize.Bilinear(source, 2, 1);

        Assert.Equal(new byte[,] { { 255, 255 } }, Images.Channel(resized));
    }

    [Fact]
    public void Constant_image_stays_constant_at_any_size()
    {
        var source = Images.Create(37, 23, (_, _, c) => (byte)(40 + (c * 70)));

        foreach (var (width, height) in new[] { (1, 1), (5, 3), (37, 23), (100, 61), (960, 597) })
        {
            var resized = CvResize.Bilinear(source, width, height);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    Assert.Equal(40, Images.At(resized, x, y, 0));
                    Assert.Equal(110, Images.At(resized, x, y, 1));
                    Assert.Equal(180, Images.At(resized, x, y, 2));
                }
            }
        }
    }

    [Fact]
    public void Results_stay_within_one_level_of_exact_bilinear_and_within_the_source_range()
    {
        var source = Images.Noise(41, 29, seed: 5);

        foreach (var (width, height) in new[] { (17, 11), (100, 73), (41, 60), (8, 29) })
        {
            var resized = CvResize.Bilinear(source, width, height);
            for (var y = 0; y < height; y++)
            {
                for (var x = 0; x < width; x++)
                {
                    for (var c = 0; c < 3; c++)
                    {
                        Assert.InRange(Images.At(resized, x, y, c) - ReferenceBilinear(source, width, height, x, y, c), -1.0, 1.0);
                    }
                }
            }
        }
    }

    [Fact]
    public void Channels_are_resized_independently()
    {
        var source = Images.Create(11, 7, (x, y, c) => c switch { 0 => (byte)(x * 20), 1 => (byte)(y * 30), _ => 77 });

        var resized = CvResize.Bilinear(source, 23, 5);

        for (var y = 0; y < 5; y++)
        {
            for (var x = 1; x < 23; x++)
            {
                Assert.True(Images.At(resized, x, y, 0) >= Images.At(resized, x - 1, y, 0));
            }

            Assert.Equal(77, Images.At(resized, 3, y, 2));
        }

        for (var x = 0; x < 23; x++)
        {
            for (var y = 1; y < 5; y++)
            {
                Assert.True(Images.At(resized, x, y, 1) >= Images.At(resized, x, y - 1, 1));
            }
        }
    }

    [Fact]
    public void Invalid_sizes_are_rejected()
    {
        var source = Images.Noise(4, 4, seed: 2);

        Assert.Throws<ArgumentOutOfRangeException>(() => CvResize.Bilinear(source, 0, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => CvResize.Bilinear(source, 4, -1));
    }

    // Exact bilinear with OpenCV's sampling positions: half-pixel centres, positions outside the image
    // clamp to the edge pixel horizontally; vertically the rows clamp.
    private static double ReferenceBilinear(RgbBuffer source, int width, int height, int dx, int dy, int channel)
    {
        var sx = ((dx + 0.5) * source.Width / width) - 0.5;
        var sy = ((dy + 0.5) * source.Height / height) - 0.5;
        var x0 = (int)Math.Floor(sx);
        var y0 = (int)Math.Floor(sy);
        var fx = sx - x0;
        var fy = sy - y0;
        if (x0 < 0)
        {
            x0 = 0;
            fx = 0;
        }

        if (x0 >= source.Width - 1)
        {
            x0 = source.Width - 1;
            fx = 0;
        }

        var x1 = Math.Min(x0 + 1, source.Width - 1);
        double Row(int y)
        {
            y = Math.Clamp(y, 0, source.Height - 1);
            return ((1 - fx) * Images.At(source, x0, y, channel)) + (fx * Images.At(source, x1, y, channel));
        }

        return ((1 - fy) * Row(y0)) + (fy * Row(y0 + 1));
    }
}
