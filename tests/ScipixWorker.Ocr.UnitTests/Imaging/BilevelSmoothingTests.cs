using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class BilevelSmoothingTests
{
    [Fact]
    public void A_page_is_bilevel_only_when_every_pixel_is_pure_black_or_pure_white_grey()
    {
        var page = Images.Create(40, 10, (x, _, _) => (byte)(x % 3 == 0 ? 0 : 255));

        Assert.True(BilevelSmoothing.IsBilevel(page));
        Assert.False(BilevelSmoothing.IsBilevel(Images.Create(40, 10, (x, y, _) => (byte)(x == 39 && y == 9 ? 254 : 255)))); // one grey pixel, the last
        Assert.False(BilevelSmoothing.IsBilevel(Images.Create(40, 10, (x, _, c) => (byte)(x == 5 && c == 0 ? 0 : 255)))); // one pure cyan pixel
    }

    [Fact]
    public void A_flat_line_stays_flat_and_a_hard_edge_becomes_a_symmetric_ramp()
    {
        var flat = Images.Create(30, 48, (_, _, _) => 255);
        var edge = Images.Create(60, 48, (x, _, _) => (byte)(x < 30 ? 0 : 255));

        var smoothFlat = BilevelSmoothing.Smoothed(flat);
        var smoothEdge = BilevelSmoothing.Smoothed(edge);

        Assert.All(smoothFlat.Data[..(30 * 48 * 3)].ToArray(), v => Assert.Equal(255, v));
        var row = smoothEdge.ReadOnlyRow(20);
        Assert.Equal(0, row[0]);
        Assert.Equal(255, row[59 * 3]);
        for (var x = 1; x < 60; x++)
        {
            Assert.True(row[x * 3] >= row[(x - 1) * 3], $"not rising at {x}");
        }

        // Symmetric about the edge (between pixels 29 and 30): a pixel k to the left and k to the right add to 255.
        for (var k = 0; k < 10; k++)
        {
            Assert.InRange(row[(29 - k) * 3] + row[(30 + k) * 3], 254, 256);
        }

        // The ramp is as wide as a Gaussian of sigma 2.5: about 1.3 sigma from 16 % to 84 % each side.
        Assert.InRange(row[27 * 3], 20, 70);
        Assert.InRange(row[32 * 3], 185, 235);
        Assert.True(row[(20 * 3) + 1] == row[20 * 3] && row[(20 * 3) + 2] == row[20 * 3], "grey in, grey out");
        smoothFlat.Release();
        smoothEdge.Release();
    }

    [Fact]
    public void Only_lines_marked_bilevel_are_smoothed_in_the_recognizer_s_input()
    {
        var stripes = Images.Create(96, 48, (x, _, _) => (byte)(x / 4 % 2 == 0 ? 0 : 255));
        var marked = Images.Create(96, 48, (x, _, _) => (byte)(x / 4 % 2 == 0 ? 0 : 255));
        marked.Bilevel = true;

        var plain = TextRecognizer.BatchTensor([stripes], 96);
        var smoothed = TextRecognizer.BatchTensor([marked], 96);

        // Plain: the pure values, normalized to -1 and 1. Smoothed: the stripes of 4 pixels blurred into each other.
        Assert.All(plain, v => Assert.True(v is -1f or 1f, $"{v}"));
        Assert.Equal(plain.Length, smoothed.Length);
        Assert.Contains(smoothed, v => v > -0.9f && v < 0.9f);
        Assert.InRange(smoothed.Average(), -0.1, 0.1);
    }

    [Fact]
    public void Lines_made_from_a_marked_line_stay_marked()
    {
        var line = Images.Create(400, 40, (x, _, _) => (byte)(x % 7 == 0 ? 0 : 255));
        line.Bilevel = true;

        Assert.True(TextOrientationClassifier.Rotate180(line).Bilevel);
        var stretched = CondensedLines.Stretch(line, 48);
        Assert.True(stretched.Bilevel);
        stretched.Release();
        Assert.True(line.Kept().Bilevel);
    }
}
