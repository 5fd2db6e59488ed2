using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;

namespace ScipixWorker.Ocr.UnitTests.Orientation;

public sealed class ClassifierWindowTests
{
    [Theory]
    [InlineData(40, 10)] // 4:1, the classifier's own proportions
    [InlineData(60, 10)] // half again longer: still shown whole
    [InlineData(5, 10)]
    public void A_line_up_to_half_again_as_long_as_the_input_is_shown_whole(int width, int height)
    {
        var line = new RgbBuffer(width, height);

        Assert.Same(line, Assert.Single(TextOrientationClassifier.Windows(line)));
    }

    [Fact]
    public void A_long_line_is_shown_as_windows_at_its_own_proportions_from_its_start_to_its_end()
    {
        // 30:1, a printed line: three 4:1 windows at its start, middle and end, each a copy of those columns.
        var line = new RgbBuffer(300, 10);
        for (var y = 0; y < line.Height; y++)
        {
            for (var x = 0; x < line.Width; x++)
            {
                line.Row(y)[x * 3] = (byte)(x / 2);
            }
        }

        var windows = TextOrientationClassifier.Windows(line);

        Assert.Equal(TextOrientationClassifier.MaxWindows, windows.Count);
        Assert.All(windows, w => Assert.Equal((40, 10), (w.Width, w.Height)));
        Assert.Equal([0, 65, 130], windows.Select(w => (int)w.Row(5)[0])); // columns 0, 130 and 260
        Assert.Equal(299 / 2, windows[^1].Row(9)[39 * 3]); // the last window ends at the line's last column
    }

    [Fact]
    public void A_line_two_windows_long_gets_two()
    {
        var windows = TextOrientationClassifier.Windows(new RgbBuffer(70, 10));

        Assert.Equal(2, windows.Count);
    }
}
