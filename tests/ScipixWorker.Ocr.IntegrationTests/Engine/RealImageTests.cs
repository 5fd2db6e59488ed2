using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Evaluation;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Real scans from SROIE, read end to end with the real models.</summary>
[Collection(EngineCollection.Name)]
public sealed class RealImageTests(EngineFixture fixture)
{
    public static TheoryData<string> Crops => new(Fixtures.SroieLineCrops);

    [Theory]
    [MemberData(nameof(Crops))]
    public void Receipt_crop_is_read_in_recognition_only_mode(string name)
    {
        var document = fixture.Engine.Recognize(Fixtures.Bytes("sroie", name + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        var page = Assert.Single(document.Pages);
        var line = Assert.Single(page.Lines);
        var expected = Fixtures.Text("sroie", name + ".gt.txt");
        Assert.True(Cer.Of(expected, line.Text, caseInsensitive: true) <= 0.15,
            $"expected '{expected.Trim()}', got '{line.Text}'");
        Assert.InRange(line.Confidence, 0.5f, 1f);
        Assert.Equal(new[] { 0f, 0f, page.Width, 0f, page.Width, page.Height, 0f, page.Height }, line.Box.ToArray());
    }

    [Fact]
    public void Receipt_crops_together_stay_within_the_reference_error_rate()
    {
        long errors = 0, characters = 0;
        foreach (var name in Fixtures.SroieLineCrops)
        {
            var text = fixture.Engine.Recognize(Fixtures.Bytes("sroie", name + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;
            var reference = TextMetrics.Normalize(Fixtures.Text("sroie", name + ".gt.txt"), caseInsensitive: true);
            errors += TextMetrics.CharacterErrors(reference, TextMetrics.Normalize(text, caseInsensitive: true));
            characters += reference.Length;
        }

        // PaddleOCR's own pipeline scores 5.0% CER on the 300 crops these come from.
        Assert.True(errors / (double)characters <= 0.06, $"CER {errors / (double)characters:P2}");
    }

    [Fact]
    public void Receipt_scan_is_detected_and_read_in_reading_order()
    {
        var document = fixture.Engine.Recognize(Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full, TestContext.Current.CancellationToken);

        var page = Assert.Single(document.Pages);
        Assert.Equal((463, 1013), (page.Width, page.Height));
        Assert.True(page.Lines.Count >= 25, $"only {page.Lines.Count} lines");
        var reference = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var cer = Cer.Of(reference, page.Text, caseInsensitive: true);
        var bag = Cer.Of(TextMetrics.BagOfLines(reference, true), TextMetrics.BagOfLines(page.Text, true));
        Assert.True(cer <= 0.15, $"page CER {cer:P2}\n{page.Text}");
        Assert.True(bag <= 0.15, $"bag-of-lines CER {bag:P2}\n{page.Text}");
        Assert.Contains("TD01167104", page.Text, StringComparison.Ordinal);
        Assert.Contains("THANK YOU", page.Text, StringComparison.OrdinalIgnoreCase);
        var thank = page.Lines.First(l => l.Text.Contains("THANK", StringComparison.OrdinalIgnoreCase));
        var document_ = page.Lines.First(l => l.Text.Contains("Document", StringComparison.OrdinalIgnoreCase));
        Assert.True(document_.Box.MaxY < thank.Box.MinY, "lines are not in top-to-bottom order");
        Assert.All(page.Lines, l =>
        {
            Assert.InRange(l.Box.MinX, 0, page.Width);
            Assert.InRange(l.Box.MaxX, 0, page.Width);
            Assert.InRange(l.Box.MinY, 0, page.Height);
            Assert.InRange(l.Box.MaxY, 0, page.Height);
            Assert.InRange(l.Confidence, fixture.Options.DropScore, 1f);
        });
    }
}
