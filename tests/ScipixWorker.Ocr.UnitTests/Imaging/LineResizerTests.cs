using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class LineResizerTests
{
    [Theory]
    [InlineData(100, 20, 48, 320, 240)]  // ceil(48 * 5) = 240
    [InlineData(1000, 20, 48, 320, 320)] // capped at the tensor width
    [InlineData(101, 30, 48, 320, 162)]  // ceil(48 * 101 / 30) = ceil(161.6)
    public void A_line_is_resized_to_the_height_keeping_its_aspect_ratio_up_to_the_width(int width, int height, int targetHeight, int maxWidth, int expectedWidth)
    {
        var line = Images.Noise(width, height, seed: 2);

        using var resized = LineResizer.ResizePooled(line, targetHeight, maxWidth);

        Assert.Equal((expectedWidth, targetHeight), (resized.Image.Width, resized.Image.Height));
        var reference = CvResize.Bilinear(line, expectedWidth, targetHeight);
        Assert.True(reference.Data.SequenceEqual(resized.Image.Data[..(expectedWidth * targetHeight * 3)]));
    }

    [Fact]
    public void A_line_that_already_has_the_size_is_used_as_it_is_and_never_returned_to_the_pool()
    {
        var line = RgbBuffer.Rent(96, 48); // the caller's own rented buffer (a decoded page used as a line)

        using (var resized = LineResizer.ResizePooled(line, 48, 320))
        {
            Assert.Same(line, resized.Image);
        }

        // Disposing the resized line gave nothing back: the caller's buffer cannot be handed to anyone else.
        Assert.False(line.Data.Overlaps(RgbBuffer.Rent(96, 48).Data));
        Assert.False(line.Data.Overlaps(RgbBuffer.Rent(96, 48).Data));
        line.Release();
    }
}
