using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class BarcodeScannerShrinkTests
{
    [Fact]
    public void A_page_within_the_limit_is_looked_at_as_it_is()
    {
        var gray = new byte[] { 1, 2, 3, 4, 5, 6 };

        var (shrunk, width, height) = BarcodeScanner.Shrunk(gray, 3, 2, 6);

        Assert.Same(gray, shrunk);
        Assert.Equal((3, 2), (width, height));
    }

    [Fact]
    public void A_larger_page_is_shrunk_to_the_limit_each_pixel_the_mean_of_those_it_covers()
    {
        byte[] gray =
        [
            0, 10, 200, 210,
            20, 30, 220, 230,
            100, 100, 0, 0,
            100, 100, 0, 4,
        ];

        var (shrunk, width, height) = BarcodeScanner.Shrunk(gray, 4, 4, 4);

        Assert.Equal((2, 2), (width, height));
        Assert.Equal(new byte[] { 15, 215, 100, 1 }, shrunk);
    }

    [Fact]
    public void The_shrunk_page_keeps_its_proportions_within_the_limit()
    {
        var (shrunk, width, height) = BarcodeScanner.Shrunk(new byte[4000 * 2600], 4000, 2600, BarcodeScanner.MaxPixels);

        Assert.True(width * height <= BarcodeScanner.MaxPixels);
        Assert.InRange(width / (double)height, 1.53, 1.55);
        Assert.Equal(width * height, shrunk.Length);
    }
}
