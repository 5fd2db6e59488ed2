using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:OrientationPerPage: 0, 90, 180 or 270 degrees is decided for the whole page, on real receipts.</summary>
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
        var turned = fixture.Engine.Recognize(ImageEdits.Png(upright, x => x.Rotate(RotateMode.Rotate180)), OcrMode.Full, TestContext.Current.CancellationToken);
        var turnedCer = Cer.Of(reference, turned.Text, caseInsensitive: true);

        var lines = turned.Pages[0].Lines;
        Assert.True(lines.Count >= 25, $"only {lines.Count} lines");
        Assert.True(turnedCer < uprightCer + 0.03, $"CER {turnedCer:P2} upside down, {uprightCer:P2} upright");
        Assert.True(Cer.Of("TAN WOON YANN", lines[0].Text, caseInsensitive: true) < 0.2, $"first line '{lines[0].Text}'"); // read from the top of the receipt
        Assert.All(lines, line => Assert.True(line.Box.TopLeft.Y > line.Box.BottomLeft.Y)); // corners named as the text reads
        Assert.Equal(180, turned.Pages[0].Rotation);
    }

    [Theory]
    [InlineData(RotateMode.Rotate90, 270)]
    [InlineData(RotateMode.Rotate270, 90)]
    public void A_receipt_scanned_sideways_is_turned_whole_and_read_as_well_as_upright(RotateMode scanned, int rotation)
    {
        var reference = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var upright = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var uprightPage = fixture.Engine.Recognize(upright, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        var page = fixture.Engine.Recognize(ImageEdits.Png(upright, x => x.Rotate(scanned)), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];
        var cer = Cer.Of(reference, page.Text, caseInsensitive: true);
        var uprightCer = Cer.Of(reference, uprightPage.Text, caseInsensitive: true);

        Assert.Equal(0, uprightPage.Rotation);
        Assert.Equal(rotation, page.Rotation);
        Assert.Equal((uprightPage.Height, uprightPage.Width), (page.Width, page.Height)); // the image's size, as stored
        Assert.True(page.Lines.Count >= 25, $"only {page.Lines.Count} lines");
        Assert.True(cer < uprightCer + 0.03, $"CER {cer:P2} sideways, {uprightCer:P2} upright");
        Assert.True(Cer.Of("TAN WOON YANN", page.Lines[0].Text, caseInsensitive: true) < 0.2, $"first line '{page.Lines[0].Text}'");
        // Items and their prices are joined on one row as on the upright receipt.
        Assert.Contains(page.Text.Split('\n'), row => Cer.IgnoringSpaces("TOTAL 9.00", row.ToUpperInvariant().Replace(":", string.Empty, StringComparison.Ordinal)) < 0.15);
        // Boxes are in the image's pixels, their corners named as the text reads: down the image, or up it.
        Assert.All(page.Lines, line =>
        {
            Assert.InRange(line.Box.MinX, -1, page.Width + 1);
            Assert.InRange(line.Box.MaxY, -1, page.Height + 1);
            Assert.True(rotation == 270 ? line.Box.TopRight.Y > line.Box.TopLeft.Y : line.Box.TopRight.Y < line.Box.TopLeft.Y);
        });
    }

    [Theory]
    [InlineData(6)]
    [InlineData(-6)]
    public void A_receipt_photographed_askew_keeps_its_items_and_prices_on_their_rows(float degrees)
    {
        var reference = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var upright = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var askew = ImageEdits.Png(upright, x => x.Rotate(degrees));
        using var acrossImage = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, OrientationPerPage = false });

        var page = fixture.Engine.Recognize(askew, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];
        var control = acrossImage.Recognize(askew, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        var uprightCer = Cer.Of(reference, fixture.Engine.Recognize(upright, OcrMode.Full, TestContext.Current.CancellationToken).Text, caseInsensitive: true);
        var cer = Cer.Of(reference, page.Text, caseInsensitive: true);
        var controlCer = Cer.Of(reference, control.Text, caseInsensitive: true);
        Assert.True(cer < uprightCer + 0.03, $"CER {cer:P2} askew, {uprightCer:P2} upright\n{page.Text}");
        Assert.True(controlCer > cer + 0.05, $"rows taken across the image read with CER {controlCer:P2}: the control does not control");
        Assert.Contains(page.Text.Split('\n'), row => Cer.IgnoringSpaces("TOTAL 9.00", row.ToUpperInvariant().Replace(":", string.Empty, StringComparison.Ordinal)) < 0.15);
    }
}
