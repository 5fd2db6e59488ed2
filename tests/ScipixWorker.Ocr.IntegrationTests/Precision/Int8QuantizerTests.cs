using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Engine.Graph;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>
/// The real recognizer quantized here (<see cref="Int8Quantizer.QuantizeRecognizer"/>), calibrated on the nine SROIE fixture
/// crops: every convolution becomes one of ONNX Runtime's integer convolutions, and the engine loads the variant through the
/// catalog and reads the crops nearly as FP32 does. It does not pass the accuracy gate (docs/quantization.md, "INT8 made
/// here"); what this holds is that the tool makes a working recognizer.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class Int8QuantizerTests(EngineFixture fixture)
{
    [Fact]
    public void The_recognizer_quantized_here_runs_integer_convolutions_and_reads_the_crops_nearly_as_FP32()
    {
        var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory };
        var loader = new ImageLoader(options);
        var lines = Fixtures.SroieLineCrops.Select(n =>
        {
            using var image = loader.Load(Fixtures.Bytes("sroie", n + ".png"));
            return image.Page(0);
        }).ToList();

        var (model, report) = Int8Quantizer.QuantizeRecognizer(
            File.ReadAllBytes(options.Resolve(options.RecognizerModel)), lines, options.RecognizerMinWidth, batch: 3, percentile: 99.99, new Int8Settings());
        lines.ForEach(l => l.Release());

        Assert.Equal(new Int8Report(38, 0, 76), report);
        Assert.Equal(38, Int8Quantizer.OpTypesAsRun(model).Count(o => o == "QLinearConv"));

        using var folder = new VariantFolder();
        var file = ModelPrecisionNames.VariantFileName(options.RecognizerModel, ModelPrecision.Int8);
        File.WriteAllBytes(Path.Combine(folder.Directory, file), model);
        folder.WriteCatalog(passed: false, (file, options.RecognizerModel, ModelPrecision.Int8));
        using var variant = new OcrEngine(new OcrEngineOptions
        {
            ModelDirectory = folder.Directory, Precision = ModelPrecision.Fp32, RecognizerPrecision = ModelPrecision.Int8, AllowUngatedVariants = true,
        });
        Assert.Equal(file, variant.Model.Recognizer);

        var items = Fixtures.SroieLines();
        var sideBySide = SideBySide.Run(fixture.Engine, variant, items, OcrMode.SingleLine, caseInsensitive: true, cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(sideBySide.Variant.Cer <= sideBySide.Fp32.Cer + 0.05,
            $"INT8 CER {sideBySide.Variant.Cer:P1} against FP32's {sideBySide.Fp32.Cer:P1} on the crops");
        Assert.True(sideBySide.TextAgreement >= 0.5, $"INT8 read {sideBySide.TextAgreement:P0} of the crops as FP32 did");
    }
}
