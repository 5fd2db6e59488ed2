using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:DetectorBoxThreshold 0.5: a line of faded thermal print that PaddleOCR's 0.6 drops whole is found and read.</summary>
[Collection(EngineCollection.Name)]
public sealed class FadedPrintTests(EngineFixture fixture)
{
    private const string FadedLine = "NO.113G & 115G, JALAN SETIA GEMBILANG";

    [Fact]
    public void The_faded_address_line_is_detected_and_read_with_the_default_box_threshold()
    {
        var reference = Fixtures.Text("sroie", "receipt_012_top.gt.txt");
        using var paddleThreshold = new OcrEngine(new OcrEngineOptions
        {
            ModelDirectory = Fixtures.ModelDirectory,
            DetectorBoxThreshold = OcrEngineOptions.PaddleDetectorBoxThreshold,
        });

        var page = Assert.Single(fixture.Engine.Recognize(Image(), OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var withPaddles = Assert.Single(paddleThreshold.Recognize(Image(), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Equal(0.5f, fixture.Options.DetectorBoxThreshold);
        Assert.Equal(7, page.Lines.Count);
        Assert.Contains(page.Lines, line => Cer.Of(FadedLine, line.Text, caseInsensitive: true) < 0.1);
        Assert.DoesNotContain(withPaddles.Lines, line => Cer.Of(FadedLine, line.Text, caseInsensitive: true) < 0.5); // the control: 0.6 loses it
        Assert.True(Cer.Of(reference, page.Text, caseInsensitive: true) < Cer.Of(reference, withPaddles.Text, caseInsensitive: true) - 0.1);
    }

    private static byte[] Image() => Fixtures.Bytes("sroie", "receipt_012_top.jpg");
}
