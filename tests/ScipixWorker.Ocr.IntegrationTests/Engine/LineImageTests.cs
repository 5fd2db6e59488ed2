using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Images of one line of text sent as pages (a crop cut from a receipt, its text touching the image's edges), on the ten
/// SROIE line crops: <c>Ocr:DetectorMargin</c> lets the detector see text that runs to the edge, and
/// <c>Ocr:WholeLineImages</c> reads such an image whole, whichever way it lies.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LineImageTests(EngineFixture fixture)
{
    private static readonly string[] Crops = System.IO.Directory.GetFiles(Fixtures.Path("sroie"), "line_*.png").Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void A_line_crop_sent_as_a_page_reads_as_well_as_a_single_line_job()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var pages = Crops.Select(c => fixture.Engine.Recognize(File.ReadAllBytes(c), OcrMode.Full, cancellationToken).Pages[0]).ToList();
        var single = Crops.Select(c => fixture.Engine.Recognize(File.ReadAllBytes(c), OcrMode.SingleLine, cancellationToken).Text).ToList();

        using var paddle = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, DetectorMargin = 0, WholeLineImages = false });
        var boxesOnly = Crops.Select(c => paddle.Recognize(File.ReadAllBytes(c), OcrMode.Full, cancellationToken).Text).ToList();

        var cer = Score(pages.Select(p => p.Text));
        Assert.True(Crops.Length >= 10);
        Assert.True(cer <= Score(single) + 0.01, $"CER {cer:P2} as pages, {Score(single):P2} as single lines");
        Assert.True(Score(boxesOnly) > cer + 0.1, $"CER {Score(boxesOnly):P2} from the boxes of an unframed detector, {cer:P2} now");
        Assert.All(pages, page =>
        {
            var line = Assert.Single(page.Lines);
            Assert.Equal(0, page.Rotation);
            Assert.InRange(line.Box.MinX, 0, page.Width);
            Assert.True(line.Box.MaxY - line.Box.MinY >= page.Height / 2f); // the text's extent, not the whole image
        });
    }

    [Fact]
    public void The_margin_lets_the_detector_find_text_running_to_the_images_edge()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var framed = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, WholeLineImages = false });
        using var bare = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, WholeLineImages = false, DetectorMargin = 0 });

        var withMargin = Score(Crops.Select(c => framed.Recognize(File.ReadAllBytes(c), OcrMode.Full, cancellationToken).Text));
        var withoutMargin = Score(Crops.Select(c => bare.Recognize(File.ReadAllBytes(c), OcrMode.Full, cancellationToken).Text));

        Assert.Equal(16, fixture.Options.DetectorMargin);
        Assert.True(withMargin < 0.08 && withoutMargin > withMargin + 0.1, $"CER {withMargin:P2} with the margin, {withoutMargin:P2} without");
    }

    [Fact]
    public void A_line_crop_upside_down_is_read_turned_with_its_box_named_as_the_text_reads()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var upright = Score(Crops.Select(c => fixture.Engine.Recognize(File.ReadAllBytes(c), OcrMode.Full, cancellationToken).Text));
        var pages = Crops
            .Select(c => fixture.Engine.Recognize(ImageEdits.Png(File.ReadAllBytes(c), x => x.Rotate(RotateMode.Rotate180)), OcrMode.Full, cancellationToken).Pages[0])
            .ToList();

        var cer = Score(pages.Select(p => p.Text));
        Assert.True(cer <= upright + 0.01, $"CER {cer:P2} upside down, {upright:P2} upright");
        Assert.All(pages, page =>
        {
            Assert.Equal(180, page.Rotation);
            var box = Assert.Single(page.Lines).Box;
            Assert.True(box.TopLeft.X > box.TopRight.X && box.TopLeft.Y > box.BottomLeft.Y);
        });
    }

    [Theory]
    [InlineData(RotateMode.Rotate90, 270)]
    [InlineData(RotateMode.Rotate270, 90)]
    public void A_line_crop_a_quarter_turn_off_is_read_whole_and_turned(RotateMode stored, int rotation)
    {
        // The crops long enough for the sideways vote (a date of short digit groups is detected as several near-square
        // boxes that do not vote, and read from them).
        var cancellationToken = TestContext.Current.CancellationToken;
        string[] names = ["line_081_003", "line_111_019", "line_231_064", "line_339_064", "line_525_065"];
        var crops = names.Select(name => Fixtures.Bytes("sroie", name + ".png")).ToList();
        var reference = string.Join('\n', names.Select(name => Fixtures.Text("sroie", name + ".gt.txt").Trim()));

        var upright = string.Join('\n', crops.Select(c => fixture.Engine.Recognize(c, OcrMode.Full, cancellationToken).Text));
        var pages = crops.Select(c => fixture.Engine.Recognize(ImageEdits.Png(c, x => x.Rotate(stored)), OcrMode.Full, cancellationToken).Pages[0]).ToList();

        var cer = Cer.Of(reference, string.Join('\n', pages.Select(p => p.Text)), caseInsensitive: true);
        var uprightCer = Cer.Of(reference, upright, caseInsensitive: true);
        Assert.True(cer <= uprightCer + 0.01, $"CER {cer:P2} turned, {uprightCer:P2} upright");
        Assert.All(pages, page =>
        {
            Assert.Equal(rotation, page.Rotation);
            var box = Assert.Single(page.Lines).Box;
            // Named as the text reads: down the image at 270, up it at 90.
            Assert.True(rotation == 270 ? box.TopRight.Y > box.TopLeft.Y : box.TopRight.Y < box.TopLeft.Y);
        });
    }

    // CER over all crops (their texts joined), case-insensitive as SROIE's ground truth is upper case.
    private static double Score(IEnumerable<string> texts) =>
        Cer.Of(string.Join('\n', Crops.Select(c => File.ReadAllText(Path.ChangeExtension(c, ".gt.txt")).Trim())), string.Join('\n', texts), caseInsensitive: true);
}
