using Microsoft.Extensions.Options;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>The precision settings against the real models and the committed models/variants.json.</summary>
[Collection(EngineCollection.Name)]
public sealed class PrecisionSettingTests(EngineFixture fixture)
{
    [Fact]
    public void Precision_int8_with_no_int8_variant_fails_naming_Ocr_Precision()
    {
        using var folder = new VariantFolder();
        var error = Assert.Throws<PrecisionConfigurationException>(() =>
            new OcrEngine(new OcrEngineOptions { ModelDirectory = folder.Directory, Precision = ModelPrecision.Int8 }));

        Assert.Equal("Ocr:Precision", error.Setting);
        Assert.StartsWith("Ocr:Precision=int8:", error.Message, StringComparison.Ordinal);
        Assert.Contains(".int8.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_per_model_setting_is_named_when_it_cannot_be_honoured()
    {
        using var folder = new VariantFolder();
        var error = Assert.Throws<PrecisionConfigurationException>(() =>
            new OcrEngine(new OcrEngineOptions { ModelDirectory = folder.Directory, RecognizerPrecision = ModelPrecision.Fp16 }));

        Assert.Equal("Ocr:RecognizerPrecision", error.Setting);
        Assert.Contains("ch_PP-OCRv4_rec_infer.fp16.onnx", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_host_configured_for_a_missing_variant_fails_at_start_naming_the_setting()
    {
        using var folder = new VariantFolder();
        using var host = OcrHost.Build(folder.Configuration(("Ocr:Precision", "int8")));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));
        Assert.Contains("Ocr:Precision=int8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Default_auto_runs_fp32_where_no_variant_passed_and_says_why()
    {
        Assert.Equal(ModelPrecision.Auto, fixture.Options.Precision);
        var catalog = VariantCatalog.Load(Path.Combine(Fixtures.ModelDirectory, "variants.json"));
        foreach (var choice in fixture.Engine.Model.Choices)
        {
            Assert.StartsWith("auto on the CPU", choice.Reason, StringComparison.Ordinal);
            if (!catalog.Entries.Any(e => e.PassedGate && e.Precision == ModelPrecision.Int8 && choice.File.StartsWith(Path.GetFileNameWithoutExtension(e.Base), StringComparison.Ordinal)))
            {
                Assert.Equal("fp32", choice.Precision);
            }
        }

        Assert.Equal(3, fixture.Engine.Model.Choices.Count);
    }
}
