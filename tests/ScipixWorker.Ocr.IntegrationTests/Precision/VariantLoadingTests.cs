using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>Loading, verifying and choosing variants, with stand-in variants made at test time.</summary>
[Collection(EngineCollection.Name)]
public sealed class VariantLoadingTests(EngineFixture fixture)
{
    private const string Recognizer = "ch_PP-OCRv4_rec_infer.onnx";

    [Fact]
    public void A_gated_variant_runs_when_asked_for_and_is_reported()
    {
        using var folder = new VariantFolder();
        var file = folder.CopyAsVariant(Recognizer, ModelPrecision.Int8);
        folder.WriteCatalog(passed: true, (file, Recognizer, ModelPrecision.Int8));
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = folder.Directory, RecognizerPrecision = ModelPrecision.Int8, ClassifierModel = string.Empty });

        Assert.Equal("int8", engine.Model.Precision);
        Assert.Equal("ch_PP-OCRv4_rec_infer.int8.onnx", engine.Model.Recognizer);
        Assert.Equal("fp32", engine.Model.DetectorPrecision);
        Assert.Equal("det=fp32 rec=int8", engine.Model.PrecisionSummary);
        var crop = Fixtures.Bytes("sroie", "line_003_002.png");
        Assert.Equal(
            fixture.Engine.Recognize(crop, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text,
            engine.Recognize(crop, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text);
    }

    [Fact]
    public void A_variant_that_is_not_the_listed_file_is_refused()
    {
        using var folder = new VariantFolder();
        var file = folder.CopyAsVariant(Recognizer, ModelPrecision.Int8);
        folder.WriteCatalog(passed: true, (file, Recognizer, ModelPrecision.Int8));
        File.Copy(Path.Combine(Fixtures.ModelDirectory, "ch_ppocr_mobile_v2.0_cls_infer.onnx"), Path.Combine(folder.Directory, file), overwrite: true);

        var error = Assert.Throws<PrecisionConfigurationException>(() =>
            new OcrEngine(new OcrEngineOptions { ModelDirectory = folder.Directory, RecognizerPrecision = ModelPrecision.Int8 }));
        Assert.Contains("SHA-256 differs", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ungated_variant_is_refused_unless_evaluation_allows_it()
    {
        using var folder = new VariantFolder();
        var file = folder.CopyAsVariant(Recognizer, ModelPrecision.Fp16);
        folder.WriteCatalog(passed: false, (file, Recognizer, ModelPrecision.Fp16));
        var options = new OcrEngineOptions { ModelDirectory = folder.Directory, RecognizerPrecision = ModelPrecision.Fp16, ClassifierModel = string.Empty };

        var error = Assert.Throws<PrecisionConfigurationException>(() => new OcrEngine(options));
        Assert.Equal("Ocr:RecognizerPrecision", error.Setting);
        Assert.Contains("has not been through the accuracy gate", error.Message, StringComparison.Ordinal);

        options.AllowUngatedVariants = true;
        using var engine = new OcrEngine(options);
        Assert.Equal("fp16", engine.Model.Precision);
        Assert.Contains("UNGATED", engine.Model.Choices.Single(c => c.Role == ModelRole.Recognizer).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_times_a_gated_int8_variant_at_start_up_and_keeps_it_only_if_faster_by_the_margin()
    {
        using var folder = new VariantFolder();
        // A copy of FP32 is no faster than FP32: with a margin no noise reaches, auto must keep FP32.
        using var engine = StartWithGatedInt8Copy(folder, minSpeedup: 3.0);

        var choice = engine.Model.Choices.Single(c => c.Role == ModelRole.Recognizer);
        Assert.Equal("fp32", choice.Precision);
        Assert.Equal(Recognizer, engine.Model.Recognizer);
        Assert.Contains("timed on this machine: fp32", choice.Reason, StringComparison.Ordinal);
        Assert.Contains("needs 3.00x", choice.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("timed", engine.Model.Choices.Single(c => c.Role == ModelRole.Detector).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_keeps_a_gated_int8_variant_when_the_margin_is_met()
    {
        using var folder = new VariantFolder();
        // The smallest margin the options allow is 1.0: an equally fast copy passes about half the time, so
        // this only checks that whatever was chosen agrees with the numbers in the reason.
        using var engine = StartWithGatedInt8Copy(folder, minSpeedup: 1.0);

        var choice = engine.Model.Choices.Single(c => c.Role == ModelRole.Recognizer);
        var speedup = double.Parse(System.Text.RegularExpressions.Regex.Match(choice.Reason, @"speed-up ([0-9.]+)x").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        if (Math.Abs(speedup - 1.0) >= 0.01)
        {
            // Within 1% the two-decimal figure in the reason cannot tell the sides apart.
            Assert.Equal(speedup >= 1.0 ? "int8" : "fp32", choice.Precision);
        }

        Assert.Equal(choice.File, engine.Model.Recognizer);
    }

    /// <summary>An engine on <paramref name="folder"/> whose recognizer has a gated INT8 "variant" that is a copy of FP32.</summary>
    private static OcrEngine StartWithGatedInt8Copy(VariantFolder folder, double minSpeedup)
    {
        var file = folder.CopyAsVariant(Recognizer, ModelPrecision.Int8);
        folder.WriteCatalog(passed: true, (file, Recognizer, ModelPrecision.Int8));
        return new OcrEngine(new OcrEngineOptions
        {
            ModelDirectory = folder.Directory,
            ClassifierModel = string.Empty,
            AutoMinSpeedup = minSpeedup,
            AutoTimingRuns = 3,
            RecognizerBatchSize = 2,
        });
    }
}
