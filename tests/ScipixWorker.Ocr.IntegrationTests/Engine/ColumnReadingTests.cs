using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:ColumnLayout: a scanned page set in columns is read column by column; receipts read as before.</summary>
[Collection(EngineCollection.Name)]
public sealed class ColumnReadingTests(EngineFixture fixture) : IDisposable
{
    private readonly OcrEngine _acrossColumns = new(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ColumnLayout = false });

    [Fact]
    public void A_scanned_page_in_two_columns_is_read_heading_first_then_column_by_column()
    {
        var scan = Fixtures.Bytes("layout", "two_columns_scan.jpg");
        var reference = Fixtures.Text("layout", "two_columns_scan.gt.txt");

        var page = fixture.Engine.Recognize(scan, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];
        var control = _acrossColumns.Recognize(scan, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        var cer = Cer.Of(reference, page.Text);
        var controlCer = Cer.Of(reference, control.Text);
        Assert.True(fixture.Options.ColumnLayout);
        Assert.True(cer < 0.03, $"CER {cer:P2}\n{page.Text}");
        Assert.True(controlCer > 0.3, $"rows joined across the columns read with CER {controlCer:P2}: the control does not control\n{control.Text}");
        // The lines follow the text: the left column's last line, then the right column's first.
        var texts = page.Lines.Select(l => l.Text).ToList();
        var leftEnds = texts.FindIndex(t => t.Contains("sides of it are long", StringComparison.Ordinal));
        Assert.True(leftEnds > 0, string.Join('\n', texts));
        Assert.StartsWith("A price list", texts[leftEnds + 1], StringComparison.Ordinal);
        Assert.StartsWith("Notes on Reading", texts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_page_scanned_sideways_is_read_column_by_column_too()
    {
        var sideways = ImageEdits.Png(Fixtures.Bytes("layout", "two_columns_scan.jpg"), x => x.Rotate(RotateMode.Rotate90));

        var page = fixture.Engine.Recognize(sideways, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        var cer = Cer.Of(Fixtures.Text("layout", "two_columns_scan.gt.txt"), page.Text);
        Assert.Equal(270, page.Rotation);
        Assert.True(cer < 0.03, $"CER {cer:P2}\n{page.Text}");
    }

    [Theory]
    [InlineData("receipt_000.jpg")]
    [InlineData("receipt_048.jpg")]
    public void A_receipt_has_no_columns_its_items_and_prices_stay_on_their_rows(string receipt)
    {
        var scan = Fixtures.Bytes("sroie", receipt);

        var page = fixture.Engine.Recognize(scan, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];
        var control = _acrossColumns.Recognize(scan, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        Assert.Equal(control.Text, page.Text);
        Assert.Equal(control.Lines.Select(l => l.Text), page.Lines.Select(l => l.Text));
    }

    public void Dispose() => _acrossColumns.Dispose();
}
