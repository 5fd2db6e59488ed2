using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class PngBytesTests
{
    [Fact]
    public void A_one_bit_page_with_padded_rows_decodes_to_its_pixels()
    {
        // 13 pixels a row in 2 bytes, rows 3 bytes apart (as jbig2dec's stride may be): a set bit is white.
        const int width = 13, height = 5, stride = 3;
        var bits = new byte[stride * height];
        new Random(6).NextBytes(bits);

        var png = PngBytes.Write(width, height, PngBytes.Colour.Grey, 1, bits, stride);

        using var image = Image.Load<L8>(png);
        Assert.Equal((width, height), (image.Width, image.Height));
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var set = (bits[(y * stride) + (x / 8)] >> (7 - (x % 8)) & 1) == 1;
                Assert.Equal(set ? 255 : 0, image[x, y].PackedValue);
            }
        }
    }

    [Fact]
    public void An_rgb_image_decodes_to_its_samples()
    {
        const int width = 7, height = 4;
        var samples = new byte[width * height * 3];
        new Random(7).NextBytes(samples);

        var png = PngBytes.Write(width, height, PngBytes.Colour.Rgb, 8, samples, width * 3);

        using var image = Image.Load<Rgb24>(png);
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                var at = ((y * width) + x) * 3;
                Assert.Equal(new Rgb24(samples[at], samples[at + 1], samples[at + 2]), image[x, y]);
            }
        }
    }

    [Fact]
    public void Fewer_pixels_than_the_size_says_are_refused()
    {
        Assert.Throws<ArgumentException>(() => PngBytes.Write(10, 10, PngBytes.Colour.Grey, 8, new byte[99], 10));
    }
}
