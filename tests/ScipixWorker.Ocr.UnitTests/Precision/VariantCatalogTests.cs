using System.Text.Json.Nodes;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.UnitTests.Precision;

public sealed class VariantCatalogTests : IDisposable
{
    private const string Sha = "06b3e6af6c59a1ba5d53790ed8c2e4b2de389870b6cf5a97f349f3412cb269c0";
    private readonly string _directory = Directory.CreateTempSubdirectory("scipix-variants-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static string Json(string entries) => $$"""{ "schema": 1, "variants": [ {{entries}} ] }""";

    private static string Entry(string file = "rec.int8.onnx", string @base = "rec.onnx", string precision = "int8", string sha = Sha, string gate = "[]") =>
        $$"""{ "file": "{{file}}", "base": "{{@base}}", "precision": "{{precision}}", "sha256": "{{sha}}", "gate": {{gate}}, "provenance": { "tool": "test" } }""";

    private const string PassedGate = """[ { "set": "sroie_lines", "provider": "cpu", "fp32_cer": 0.05, "variant_cer": 0.051, "speed_ratio": 1.3, "passed": true, "measured": "test" } ]""";

    [Fact]
    public void The_committed_variants_json_is_valid()
    {
        var path = RepositoryFile("models", "variants.json");
        var catalog = VariantCatalog.Load(path);
        Assert.All(catalog.Entries, e => Assert.Matches("^[0-9a-f]{64}$", e.Sha256));
    }

    [Fact]
    public void An_entry_with_a_passed_gate_is_read()
    {
        var catalog = VariantCatalog.Parse(Json(Entry(gate: PassedGate)));
        var entry = Assert.Single(catalog.Entries);
        Assert.Equal(("rec.int8.onnx", "rec.onnx", ModelPrecision.Int8), (entry.File, entry.Base, entry.Precision));
        Assert.True(entry.PassedGate);
        var gate = Assert.Single(entry.Gate);
        Assert.Equal(("sroie_lines", "cpu", 0.05, 0.051, 1.3), (gate.Set, gate.Provider, gate.Fp32Cer, gate.VariantCer, gate.SpeedRatio));
        Assert.Same(entry, catalog.Find("/somewhere/rec.int8.onnx"));
    }

    [Fact]
    public void An_entry_without_gate_results_has_not_passed()
    {
        Assert.False(Assert.Single(VariantCatalog.Parse(Json(Entry())).Entries).PassedGate);
    }

    [Fact]
    public void A_hand_edited_passed_flag_that_contradicts_the_numbers_is_rejected()
    {
        const string lie = """[ { "set": "sroie_lines", "fp32_cer": 0.05, "variant_cer": 0.30, "passed": true } ]""";
        var error = Assert.Throws<FormatException>(() => VariantCatalog.Parse(Json(Entry(gate: lie)), "variants.json"));
        Assert.Contains("says passed=true but the numbers give false", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rec-int8.onnx", "rec.onnx", "int8", Sha, "must be named rec.int8.onnx")]
    [InlineData("rec.fp32.onnx", "rec.onnx", "fp32", Sha, "precision must be int8 or fp16")]
    [InlineData("rec.int8.onnx", "rec.onnx", "int8", "abc", "sha256 must be 64 hex digits")]
    public void Malformed_entries_are_rejected_with_the_reason(string file, string @base, string precision, string sha, string reason)
    {
        var error = Assert.Throws<FormatException>(() => VariantCatalog.Parse(Json(Entry(file, @base, precision, sha))));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_variant_listed_twice_is_rejected()
    {
        Assert.Throws<FormatException>(() => VariantCatalog.Parse(Json(Entry() + "," + Entry())));
    }

    [Fact]
    public void Invalid_json_is_a_format_error()
    {
        Assert.Throws<FormatException>(() => VariantCatalog.Parse("{ \"variants\": "));
        Assert.Throws<FormatException>(() => VariantCatalog.Parse("{ \"schema\": 1 }"));
    }

    [Fact]
    public void A_missing_file_is_an_empty_catalog()
    {
        Assert.Empty(VariantCatalog.Load(Path.Combine(_directory, "variants.json")).Entries);
    }

    [Fact]
    public void Status_tells_missing_unlisted_tampered_ungated_and_passed_variants_apart()
    {
        var model = Path.Combine(_directory, "rec.onnx");
        File.WriteAllText(model, "fp32");
        var variant = Path.Combine(_directory, "rec.int8.onnx");
        var fp16 = Path.Combine(_directory, "rec.fp16.onnx");

        Assert.Equal(VariantState.Missing, VariantCatalog.Empty.Status(model, ModelPrecision.Int8).State);

        File.WriteAllText(variant, "int8 weights");
        File.WriteAllText(fp16, "fp16 weights");
        Assert.Equal(VariantState.NotListed, VariantCatalog.Empty.Status(model, ModelPrecision.Int8).State);

        var sha = VariantCatalog.Sha256Of(variant);
        var fp16Sha = VariantCatalog.Sha256Of(fp16);
        var catalog = VariantCatalog.Parse(Json(Entry(sha: sha, gate: PassedGate) + "," + Entry("rec.fp16.onnx", precision: "fp16", sha: fp16Sha)));
        var status = catalog.Status(model, ModelPrecision.Int8);
        Assert.Equal(VariantState.Passed, status.State);
        Assert.Equal(variant, status.Path);
        Assert.Equal(VariantState.GateNotRun, catalog.Status(model, ModelPrecision.Fp16).State);

        File.WriteAllText(variant, "other weights");
        Assert.Equal(VariantState.HashMismatch, catalog.Status(model, ModelPrecision.Int8).State);
    }

    [Fact]
    public void Recording_a_gate_result_replaces_the_same_set_and_keeps_the_rest()
    {
        var path = Path.Combine(_directory, "variants.json");
        File.WriteAllText(path, Json(Entry(gate: PassedGate)));

        VariantCatalog.RecordGate(path, "rec.int8.onnx", new VariantGateResult("sroie_lines", "cpu", 0.05, 0.06, 1.4, null, false, "today"));
        VariantCatalog.RecordGate(path, "/models/rec.int8.onnx", new VariantGateResult("uw3_lines", "cpu", 0.01, 0.01, 1.2, null, true, "today"));

        var entry = Assert.Single(VariantCatalog.Load(path).Entries);
        Assert.Equal(["sroie_lines", "uw3_lines"], entry.Gate.Select(g => g.Set));
        Assert.False(entry.PassedGate);
        Assert.Equal(0.06, entry.Gate[0].VariantCer);
        Assert.Equal("test", (string?)JsonNode.Parse(File.ReadAllText(path))!["variants"]![0]!["provenance"]!["tool"]);
    }

    [Fact]
    public void Recording_for_an_unlisted_variant_says_to_list_it_first()
    {
        var path = Path.Combine(_directory, "variants.json");
        File.WriteAllText(path, Json(string.Empty));
        var error = Assert.Throws<InvalidOperationException>(() =>
            VariantCatalog.RecordGate(path, "rec.int8.onnx", new VariantGateResult("s", "cpu", 0, 0, null, null, true, null)));
        Assert.Contains("does not list rec.int8.onnx", error.Message, StringComparison.Ordinal);
    }

    private static string RepositoryFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException($"{Path.Combine(parts)} not found above the test binaries.");
    }
}
