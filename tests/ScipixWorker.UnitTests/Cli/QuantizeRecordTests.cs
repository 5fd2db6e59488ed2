using System.Text.Json.Nodes;
using ScipixWorker.Cli.Quantize;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.UnitTests.Cli;

/// <summary><c>scipix quantize --record</c>: the variant's entry in variants.json, as the engine and the gate read it.</summary>
public sealed class QuantizeRecordTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("scipix-quantize-").FullName;

    [Fact]
    public void A_recorded_variant_is_listed_ungated_and_recording_it_again_replaces_its_entry_and_gate()
    {
        var catalog = Path.Combine(_directory, "variants.json");
        File.WriteAllText(catalog, """{ "schema": 1, "about": "kept", "variants": [] }""");
        var file = Path.Combine(_directory, "rec.int8.onnx");
        var sha = new string('a', 64);

        QuantizeCommand.Record(catalog, file, Path.Combine(_directory, "rec.onnx"), sha, 123, new JsonObject { ["method"] = "minmax" });
        var entry = Assert.Single(VariantCatalog.Load(catalog).Entries);
        Assert.Equal(("rec.int8.onnx", "rec.onnx", ModelPrecision.Int8, sha), (entry.File, entry.Base, entry.Precision, entry.Sha256));
        Assert.Empty(entry.Gate);
        Assert.False(entry.PassedGate);

        VariantCatalog.RecordGate(catalog, file, new VariantGateResult("sroie_lines", "cpu", 0.0164, 0.0323, 0.76, null, false, "test"));
        Assert.Single(VariantCatalog.Load(catalog).Entries[0].Gate);

        var remade = new string('b', 64);
        QuantizeCommand.Record(catalog, file, Path.Combine(_directory, "rec.onnx"), remade, 124, new JsonObject { ["method"] = "percentile 99.99" });
        entry = Assert.Single(VariantCatalog.Load(catalog).Entries);
        Assert.Equal(remade, entry.Sha256);
        Assert.Empty(entry.Gate); // a new file: the old gate result no longer speaks for it
        var root = JsonNode.Parse(File.ReadAllText(catalog))!;
        Assert.Equal("kept", (string?)root["about"]);
        Assert.Equal("percentile 99.99", (string?)root["variants"]![0]!["provenance"]!["method"]);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
