using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:OrientationPerPage: 0 or 180 degrees is decided for the whole page, on real receipts.</summary>
[Collection(EngineCollection.Name)]
public sealed class PageOrientationTests(EngineFixture fixture)
{
    [Fact]
    public void A_line_the_classifier_alone_turns_upside_down_on_an_upright_receipt_is_read_upright()
    {
        // Receipt 48's underlined heading: the classifier is sure it is upside down, and turned it reads "BDTOANI XVI".
        var receipt = Fixtures.Bytes("sroie", "receipt_048.jpg");
        using var perLine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, OrientationPerPage = false });

        var page = fixture.Engine.Recognize(receipt, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];
        var control = perLine.Recognize(receipt, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        Assert.True(fixture.Options.OrientationPerPage);
        Assert.Contains(page.Lines, line => Cer.IgnoringSpaces("TAX INVOICE", line.Text.ToUpperInvariant()) == 0);
        Assert.DoesNotContain(control.Lines, line => Cer.IgnoringSpaces("TAX INVOICE", line.Text.ToUpperInvariant()) < 0.5);
        var reference = Fixtures.Text("sroie", "receipt_048.gt.txt");
        Assert.True(Cer.Of(reference, page.Text, caseInsensitive: true) < Cer.Of(reference, control.Text, caseInsensitive: true));
    }

    [Fact]
    public void A_receipt_scanned_upside_down_is_turned_whole_and_read_as_well_as_upright()
    {
        var reference = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var upright = Fixtures.Bytes("sroie", "receipt_000.jpg");

        var uprightCer = Cer.Of(reference, fixture.Engine.Recognize(upright, OcrMode.Full, TestContext.Current.CancellationToken).Text, caseInsensitive: true);
        var turned = fixture.Engine.Recognize(Turned(upright), OcrMode.Full, TestContext.Current.CancellationToken);
        var turnedCer = Cer.Of(reference, turned.Text, caseInsensitive: true);

        var lines = turned.Pages[0].Lines;
        Assert.True(lines.Count >= 25, $"only {lines.Count} lines");
        Assert.True(turnedCer < uprightCer + 0.03, $"CER {turnedCer:P2} upside down, {uprightCer:P2} upright");
        Assert.True(Cer.Of("TAN WOON YANN", lines[0].Text, caseInsensitive: true) < 0.2, $"first line '{lines[0].Text}'"); // read from the top of the receipt
        Assert.All(lines, line => Assert.True(line.Box.TopLeft.Y > line.Box.BottomLeft.Y)); // corners named as the text reads
    }

    private static byte[] Turned(byte[] jpeg)
    {
        using var image = Image.Load<Rgb24>(jpeg);
        image.Mutate(x => x.Rotate(RotateMode.Rotate180));
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        return png.ToArray();
    }
}
