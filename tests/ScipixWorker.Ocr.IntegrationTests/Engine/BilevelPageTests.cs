using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// A page of pure black and white has its lines read smoothed (<see cref="Imaging.BilevelSmoothing"/>,
/// <c>Ocr:SmoothBilevel</c>): a fax-compressed scan of SROIE receipt 000 (CCITT G4, tests/fixtures/README.md) read
/// with it and without it, on the real models; a grey page is read the same either way.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class BilevelPageTests(EngineFixture fixture)
{
    [Fact]
    public void A_fax_scan_reads_better_smoothed_and_a_grey_scan_is_not_touched()
    {
        var options = fixture.Options.Copy();
        options.SmoothBilevel = false;
        using var unsmoothed = new OcrEngine(options);
        var truth = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var fax = Fixtures.Bytes("pdf", "scan_receipt_000_g4.pdf");
        var jpeg = Fixtures.Bytes("sroie", "receipt_000.jpg");

        var smoothedFax = Assert.Single(fixture.Engine.Recognize(fax, OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var plainFax = Assert.Single(unsmoothed.Recognize(fax, OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var smoothedJpeg = Assert.Single(fixture.Engine.Recognize(jpeg, OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var plainJpeg = Assert.Single(unsmoothed.Recognize(jpeg, OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        var (smoothed, plain) = (Cer.Of(truth, smoothedFax.Text, caseInsensitive: true), Cer.Of(truth, plainFax.Text, caseInsensitive: true));
        Assert.True(smoothed < plain, $"smoothed {smoothed:P2}, not {plain:P2}");
        Assert.Equal(plainJpeg.Text, smoothedJpeg.Text);
        Assert.Equal(plainJpeg.Lines.Select(l => l.Confidence), smoothedJpeg.Lines.Select(l => l.Confidence));
    }
}
