using System.Numerics.Tensors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Engine.Graph;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The real models' graphs simplified before loading (Engine/Graph/GraphSimplifier): the same models, fewer nodes, the
/// same readings.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class GraphSimplificationTests(EngineFixture fixture)
{
    public static TheoryData<string> Models() => ["ch_PP-OCRv4_rec_infer.onnx", "ch_PP-OCRv4_det_infer.onnx", "ch_ppocr_mobile_v2.0_cls_infer.onnx"];

    [Theory]
    [MemberData(nameof(Models))]
    public void A_model_read_and_written_without_changes_comes_back_byte_for_byte(string model)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.ModelDirectory, model));

        // OnnxGraph parses every node and writes each again: the deep round trip.
        Assert.True(bytes.AsSpan().SequenceEqual(OnnxGraph.Parse(bytes).ToArray()), $"{model} changed in a round trip");
    }

    [Theory]
    [InlineData("ch_PP-OCRv4_rec_infer.onnx", 28, 28, 12)] // PP-LCNetV3: a scale-and-shift after each convolution and activation
    [InlineData("ch_PP-OCRv4_det_infer.onnx", 28, 24, 10)] // the same backbone, opset 11 (Clip's bounds as inputs)
    [InlineData("ch_ppocr_mobile_v2.0_cls_infer.onnx", 0, 18, 0)] // MobileNetV3: HardSwish only
    public void The_element_wise_tails_paddle2onnx_writes_are_folded_in_every_model(string model, int affines, int hardSwishes, int pointwise)
    {
        var bytes = File.ReadAllBytes(Path.Combine(Fixtures.ModelDirectory, model));

        var (simplified, report) = GraphSimplifier.Simplify(bytes);

        Assert.Equal((affines, hardSwishes, pointwise), (report.AffinesIntoConvs, report.HardSwishes, report.AffinesIntoPointwiseConvs));
        var before = OnnxGraph.Parse(bytes).Nodes.Select(n => n.OpType).ToList();
        var after = OnnxGraph.Parse(simplified).Nodes.Select(n => n.OpType).ToList();
        Assert.Equal(before.Count(o => o == "Div") - hardSwishes, after.Count(o => o == "Div"));
        Assert.Equal(before.Count(o => o == "HardSigmoid") + hardSwishes, after.Count(o => o == "HardSigmoid"));
        Assert.Equal(before.Count(o => o == "Clip") - hardSwishes, after.Count(o => o == "Clip"));
        Assert.Equal(before.Count(o => o == "Conv"), after.Count(o => o == "Conv"));
        Assert.Equal((report.NodesBefore, report.NodesAfter), (before.Count, after.Count));
    }

    [Fact]
    public void The_simplified_recognizer_gives_every_line_the_same_reading_at_every_time_step()
    {
        var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory };
        var path = options.Resolve(options.RecognizerModel);
        var simplified = OrtSessionFactory.Simplified(path, NullLogger.Instance);
        Assert.NotNull(simplified);
        using var sessionOptions = new SessionOptions { IntraOpNumThreads = 1 };
        using var original = new InferenceSession(path, sessionOptions);
        using var rewritten = new InferenceSession(simplified, sessionOptions);
        var loader = new ImageLoader(options);
        var buckets = new WidthBuckets(options.RecognizerMinWidth);
        var crops = Directory.GetFiles(Fixtures.Path("sroie"), "line_*.png").Concat(Directory.GetFiles(Fixtures.Path("sroie", "condensed"), "*.png")).Order(StringComparer.Ordinal).ToList();
        Assert.NotEmpty(crops);

        foreach (var crop in crops)
        {
            using var image = loader.Load(File.ReadAllBytes(crop));
            var line = image.Page(0);
            var (rows, width) = TextRecognizer.TensorShape([line], buckets, fixedShapes: false);
            var expected = Probabilities(original, TextRecognizer.BatchTensor([line], width, rows), width, out var classes);
            var actual = Probabilities(rewritten, TextRecognizer.BatchTensor([line], width, rows), width, out _);

            Assert.Equal(expected.Length, actual.Length);
            for (var t = 0; t < expected.Length / classes; t++)
            {
                var e = expected.AsSpan(t * classes, classes);
                var a = actual.AsSpan(t * classes, classes);
                Assert.Equal(TensorPrimitives.IndexOfMax(e), TensorPrimitives.IndexOfMax(a));
                Assert.True(TensorPrimitives.Distance(e, a) < 1e-3f, $"{Path.GetFileName(crop)}, step {t}: probabilities {TensorPrimitives.Distance(e, a)} apart");
            }
        }
    }

    [Fact]
    public void A_receipt_reads_the_same_with_the_graphs_as_exported()
    {
        using var asExported = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, SimplifyGraphs = false });
        var receipt = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var cancellation = TestContext.Current.CancellationToken;

        var simplified = fixture.Engine.Recognize(receipt, OcrMode.Full, cancellation);
        var exported = asExported.Recognize(receipt, OcrMode.Full, cancellation);

        Assert.True(fixture.Options.SimplifyGraphs);
        Assert.Equal(exported.Text, simplified.Text);
        Assert.Equal(exported.Pages[0].Lines.Select(l => l.Box), simplified.Pages[0].Lines.Select(l => l.Box));
    }

    private static float[] Probabilities(InferenceSession session, float[] tensor, int width, out int classes)
    {
        using var input = OrtValue.CreateTensorValueFromMemory(tensor, [1, 3, TextRecognizer.InputHeight, width]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, session.InputNames, [input], session.OutputNames);
        classes = (int)outputs[0].GetTensorTypeAndShape().Shape[2];
        return outputs[0].GetTensorDataAsSpan<float>().ToArray();
    }
}
