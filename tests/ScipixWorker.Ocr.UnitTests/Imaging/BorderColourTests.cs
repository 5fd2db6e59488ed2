using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class BorderColourTests
{
    [Fact]
    public void Strokes_running_off_the_edge_do_not_colour_it()
    {
        // Paper (230) with dark strokes (20) touching the top and bottom edges in 3 of 10 columns, and ink inside.
        var values = new byte[6, 10];
        for (var y = 0; y < 6; y++)
        {
            for (var x = 0; x < 10; x++)
            {
                values[y, x] = x is 2 or 5 or 7 || (y is 2 or 3 && x is > 0 and < 9) ? (byte)20 : (byte)230;
            }
        }

        Assert.Equal(((byte)230, (byte)230, (byte)230), BorderColour.Median(Images.Gray(values)));
    }

    [Fact]
    public void A_negative_keeps_its_dark_background()
    {
        var values = new byte[4, 4];
        for (var y = 0; y < 4; y++)
        {
            for (var x = 0; x < 4; x++)
            {
                values[y, x] = x == 1 && y == 0 ? (byte)250 : (byte)5;
            }
        }

        Assert.Equal(((byte)5, (byte)5, (byte)5), BorderColour.Median(Images.Gray(values)));
    }

    [Fact]
    public void Each_channel_is_its_own_median()
    {
        var image = new RgbBuffer(2, 1, [200, 100, 50, 210, 90, 60]);

        var (r, g, b) = BorderColour.Median(image);

        Assert.Equal((200, 90, 50), ((int)r, (int)g, (int)b)); // the lower median of two
    }
}
