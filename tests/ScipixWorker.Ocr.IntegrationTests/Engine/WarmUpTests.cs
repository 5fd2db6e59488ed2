using System.Diagnostics;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

[Collection(EngineCollection.Name)]
public sealed class WarmUpTests(EngineFixture fixture)
{
    [Fact]
    public void Warm_engine_reports_its_models_and_provider()
    {
        Assert.True(fixture.Engine.IsWarm);
        Assert.True(fixture.Engine.WarmUpTime > TimeSpan.Zero);
        Assert.Equal("ch_PP-OCRv4_rec_infer.onnx", fixture.Engine.Model.Recognizer);
        Assert.Equal("fp32", fixture.Engine.Model.Precision);
        Assert.Equal("cpu", fixture.Engine.Model.ExecutionProvider);
    }

    [Fact]
    public void Cuda_request_without_a_gpu_falls_back_to_the_cpu()
    {
        Assert.SkipWhen(File.Exists("/dev/nvidia0"), "a GPU is present: CUDA loads instead of falling back");
        using var engine = new OcrEngine(new OcrEngineOptions
        {
            ModelDirectory = Fixtures.ModelDirectory,
            ExecutionProvider = ExecutionProvider.Cuda,
            ClassifierModel = string.Empty,
        });

        Assert.Equal("cpu", engine.Model.ExecutionProvider);
    }

    [Fact]
    public void Missing_model_file_names_the_file()
    {
        var error = Assert.Throws<FileNotFoundException>(() =>
            new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, RecognizerModel = "missing_rec.onnx" }));
        Assert.Contains("missing_rec.onnx", error.Message, StringComparison.Ordinal);
    }
}
