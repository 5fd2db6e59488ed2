using System.Text.Json;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

public sealed class OrtProfileTests
{
    [Fact]
    public void A_profile_prefix_writes_one_trace_per_model_with_each_nodes_provider_when_the_engine_closes()
    {
        var folder = Directory.CreateTempSubdirectory("scipix-profile-");
        try
        {
            var options = new OcrEngineOptions
            {
                ModelDirectory = Fixtures.ModelDirectory,
                ClassifierModel = string.Empty,
                OrtProfilePrefix = Path.Combine(folder.FullName, "ort"),
            };
            using (var engine = new OcrEngine(options))
            {
                var document = engine.Recognize(File.ReadAllBytes(Fixtures.Path("sroie", "line_003_002.png")), OcrMode.SingleLine, TestContext.Current.CancellationToken);
                Assert.NotEmpty(document.Pages[0].Lines);
            }

            // ONNX Runtime opens each file when the session starts and writes the trace when it closes.

            var profiles = folder.GetFiles("ort_*.json");
            Assert.Equal(2, profiles.Length); // recognizer and detector
            var events = profiles.SelectMany(p => JsonDocument.Parse(File.ReadAllText(p.FullName)).RootElement.EnumerateArray().Select(e => e.Clone())).ToList();
            var nodes = events.Where(e => e.TryGetProperty("cat", out var cat) && cat.GetString() == "Node" && e.GetProperty("args").TryGetProperty("provider", out _)).ToList();
            Assert.NotEmpty(nodes);
            Assert.All(nodes, node => Assert.Equal("CPUExecutionProvider", node.GetProperty("args").GetProperty("provider").GetString()));
            Assert.Contains(nodes, node => node.GetProperty("args").GetProperty("op_name").GetString() == "Conv");
            Assert.Contains(events, e => e.TryGetProperty("name", out var name) && name.GetString() == "model_run");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
