using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>The side-by-side gate run itself: it passes an equivalent engine and fails a worse one.</summary>
[Collection(EngineCollection.Name)]
public sealed class SideBySideTests(EngineFixture fixture)
{
    private static LabeledImage[] Receipt() =>
        [new("receipt_000", Fixtures.Bytes("sroie", "receipt_000.jpg"), Fixtures.Text("sroie", "receipt_000.gt.txt"))];

    [Fact]
    public void The_same_models_pass_the_gate_with_identical_text_and_boxes()
    {
        using var same = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory });

        var report = SideBySide.Run(fixture.Engine, same, Receipt(), OcrMode.Full, caseInsensitive: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(report.Verdict.Passed, report.Verdict.Reason);
        Assert.Equal(report.Fp32.CharacterErrors, report.Variant.CharacterErrors);
        Assert.Equal(1.0, report.Verdict.BoxAgreement);
        Assert.Equal(1.0, report.TextAgreement);
        Assert.True(report.SpeedRatio > 0);
    }

    [Fact]
    public void A_degraded_engine_fails_the_gate()
    {
        // A stand-in for a badly quantized detector: the same models on a quarter of the resolution read the
        // receipt far worse and find other boxes. The gate must say no.
        using var degraded = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, DetectorLimitSide = 256, DetectorMinAreaSide = 0 });

        var report = SideBySide.Run(fixture.Engine, degraded, Receipt(), OcrMode.Full, caseInsensitive: true, cancellationToken: TestContext.Current.CancellationToken);

        Assert.False(report.Verdict.Passed, report.Verdict.Reason);
        Assert.True(report.Variant.Cer > report.Fp32.Cer * 1.05, report.Verdict.Reason);
        Assert.True(report.Verdict.BoxAgreement < 0.95, report.Verdict.Reason);
    }
}
