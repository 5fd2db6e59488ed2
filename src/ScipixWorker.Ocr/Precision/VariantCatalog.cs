using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScipixWorker.Ocr.Precision;

/// <summary>One measured comparison of a variant with FP32 on a set (an entry of a variant's <c>gate</c> list).</summary>
/// <param name="Set">The evaluation set, e.g. sroie_lines.</param>
/// <param name="Provider">Where it was measured: cpu or cuda.</param>
/// <param name="Fp32Cer">CER of FP32 on the set.</param>
/// <param name="VariantCer">CER of the variant on the set.</param>
/// <param name="SpeedRatio">FP32 time / variant time, measured side by side; null when not measured.</param>
/// <param name="BoxAgreement">On page sets, the box agreement with FP32; null on line sets.</param>
/// <param name="Passed">Whether the gate passed (checked against the numbers when the file is read).</param>
/// <param name="Measured">When and on what machine.</param>
public sealed record VariantGateResult(string Set, string Provider, double Fp32Cer, double VariantCer, double? SpeedRatio,
    double? BoxAgreement, bool Passed, string? Measured);

/// <summary>A quantized variant listed in <c>models/variants.json</c>.</summary>
/// <param name="File">The variant's file name, beside its FP32 model: <c>&lt;stem&gt;.int8.onnx</c> or <c>&lt;stem&gt;.fp16.onnx</c>.</param>
/// <param name="Base">The FP32 model it was made from.</param>
/// <param name="Precision">int8 or fp16.</param>
/// <param name="Sha256">SHA-256 of the file, lower-case hex.</param>
/// <param name="Gate">The gate results, one per set (and provider).</param>
public sealed record ModelVariantEntry(string File, string Base, ModelPrecision Precision, string Sha256, IReadOnlyList<VariantGateResult> Gate)
{
    /// <summary>True when the gate has been run on at least one set and passed on every one.</summary>
    public bool PassedGate => Gate.Count > 0 && Gate.All(g => g.Passed);

    /// <summary>The gate results in one line, for logs and errors.</summary>
    public string GateSummary => Gate.Count == 0
        ? "gate not run"
        : string.Join("; ", Gate.Select(g => string.Create(CultureInfo.InvariantCulture,
            $"{g.Set}/{g.Provider}: CER {g.VariantCer:P2} vs {g.Fp32Cer:P2} {(g.Passed ? "passed" : "FAILED")}")));
}

/// <summary>
/// The committed list of quantized model variants (<c>models/variants.json</c>): which files exist, their
/// SHA-256, their provenance and whether they passed the accuracy gate. The engine runs a variant only if it is
/// listed here with a passed gate and its file has the listed SHA-256.
/// </summary>
public sealed class VariantCatalog
{
    private readonly Dictionary<string, ModelVariantEntry> _byFile;

    private VariantCatalog(string? path, IReadOnlyList<ModelVariantEntry> entries)
    {
        Path = path;
        Entries = entries;
        _byFile = entries.ToDictionary(e => e.File, StringComparer.Ordinal);
    }

    /// <summary>A catalog with no variants.</summary>
    public static VariantCatalog Empty { get; } = new(null, []);

    /// <summary>The file the catalog was read from, or null.</summary>
    public string? Path { get; }

    /// <summary>The listed variants.</summary>
    public IReadOnlyList<ModelVariantEntry> Entries { get; }

    /// <summary>The folder the variant files are in (the catalog's), or null.</summary>
    public string? Directory => Path is null ? null : System.IO.Path.GetDirectoryName(Path);

    /// <summary>Reads a catalog; a missing file is an empty catalog, a malformed one an error.</summary>
    /// <exception cref="FormatException">The file is not a valid variants.json.</exception>
    public static VariantCatalog Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), path) : new VariantCatalog(path, []);

    /// <summary>Parses the JSON text of a variants.json; <paramref name="path"/> is for messages and locating files.</summary>
    /// <exception cref="FormatException">The text is not a valid variants.json.</exception>
    public static VariantCatalog Parse(string json, string? path = null)
    {
        var where = path ?? "variants.json";
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{where}: not valid JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("variants", out var variants) || variants.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{where}: expected an object with a \"variants\" array.");
            }

            var entries = new List<ModelVariantEntry>();
            foreach (var element in variants.EnumerateArray())
            {
                entries.Add(ParseEntry(element, where));
            }

            var duplicate = entries.GroupBy(e => e.File, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null)
            {
                throw new FormatException($"{where}: {duplicate.Key} is listed twice.");
            }

            return new VariantCatalog(path, entries);
        }
    }

    /// <summary>The entry for a variant file name, or null.</summary>
    public ModelVariantEntry? Find(string file) => _byFile.GetValueOrDefault(System.IO.Path.GetFileName(file));

    /// <summary>
    /// What is known about the <paramref name="precision"/> variant of <paramref name="baseModelPath"/>: whether
    /// its file exists beside the model, whether it is listed, whether its SHA-256 matches, whether it passed.
    /// </summary>
    public VariantStatus Status(string baseModelPath, ModelPrecision precision)
    {
        var path = ModelPrecisionNames.VariantFileName(baseModelPath, precision);
        var entry = Find(path);
        if (!File.Exists(path))
        {
            return new VariantStatus(precision, path, VariantState.Missing, entry);
        }

        if (entry is null)
        {
            return new VariantStatus(precision, path, VariantState.NotListed, null);
        }

        if (!string.Equals(Sha256Of(path), entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            return new VariantStatus(precision, path, VariantState.HashMismatch, entry);
        }

        var state = entry.Gate.Count == 0 ? VariantState.GateNotRun : entry.PassedGate ? VariantState.Passed : VariantState.GateFailed;
        return new VariantStatus(precision, path, state, entry);
    }

    /// <summary>SHA-256 of a file, lower-case hex.</summary>
    public static string Sha256Of(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    /// <summary>
    /// Writes one gate result into a variants.json: replaces the entry's result for the same set and provider,
    /// or adds it. Everything else in the file (provenance, order) is kept.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file does not list <paramref name="file"/>.</exception>
    public static void RecordGate(string catalogPath, string file, VariantGateResult result)
    {
        var root = JsonNode.Parse(File.ReadAllText(catalogPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
            ?? throw new FormatException($"{catalogPath}: empty.");
        var name = System.IO.Path.GetFileName(file);
        var entry = (root["variants"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(e => (string?)e["file"] == name)
            ?? throw new InvalidOperationException($"{catalogPath} does not list {name}: add it (models/quantize.py does) before recording a gate result.");
        if (entry["gate"] is not JsonArray gate)
        {
            gate = [];
            entry["gate"] = gate;
        }

        var existing = gate.OfType<JsonObject>().FirstOrDefault(g => (string?)g["set"] == result.Set && (string?)g["provider"] == result.Provider);
        if (existing is not null)
        {
            gate.Remove(existing);
        }

        gate.Add(new JsonObject
        {
            ["set"] = result.Set,
            ["provider"] = result.Provider,
            ["fp32_cer"] = Math.Round(result.Fp32Cer, 6),
            ["variant_cer"] = Math.Round(result.VariantCer, 6),
            ["relative_delta"] = double.IsFinite(AccuracyGate.RelativeDelta(result.Fp32Cer, result.VariantCer))
                ? Math.Round(AccuracyGate.RelativeDelta(result.Fp32Cer, result.VariantCer), 4) : null,
            ["speed_ratio"] = result.SpeedRatio is { } s ? Math.Round(s, 3) : null,
            ["box_agreement"] = result.BoxAgreement is { } b ? Math.Round(b, 4) : null,
            ["passed"] = result.Passed,
            ["measured"] = result.Measured,
        });
        File.WriteAllText(catalogPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    private static ModelVariantEntry ParseEntry(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException($"{where}: every entry of \"variants\" must be an object.");
        }

        var file = RequiredString(element, "file", where);
        var context = $"{where}: {file}";
        var baseFile = RequiredString(element, "base", context);
        var precisionText = RequiredString(element, "precision", context);
        if (!ModelPrecisionNames.TryParse(precisionText, out var precision) || precision is ModelPrecision.Auto or ModelPrecision.Fp32)
        {
            throw new FormatException($"{context}: precision must be int8 or fp16, not '{precisionText}'.");
        }

        var expectedName = ModelPrecisionNames.VariantFileName(baseFile, precision);
        if (!string.Equals(file, expectedName, StringComparison.Ordinal))
        {
            throw new FormatException($"{context}: an {precision.Label()} variant of {baseFile} must be named {expectedName}.");
        }

        var sha = RequiredString(element, "sha256", context);
        if (sha.Length != 64 || !sha.All(Uri.IsHexDigit))
        {
            throw new FormatException($"{context}: sha256 must be 64 hex digits.");
        }

        var gate = new List<VariantGateResult>();
        if (element.TryGetProperty("gate", out var gateElement) && gateElement.ValueKind != JsonValueKind.Null)
        {
            if (gateElement.ValueKind != JsonValueKind.Array)
            {
                throw new FormatException($"{context}: gate must be an array.");
            }

            foreach (var result in gateElement.EnumerateArray())
            {
                gate.Add(ParseGate(result, context));
            }
        }

        return new ModelVariantEntry(file, baseFile, precision, sha.ToLowerInvariant(), gate);
    }

    private static VariantGateResult ParseGate(JsonElement element, string context)
    {
        var set = RequiredString(element, "set", context + " gate");
        var where = $"{context} gate {set}";
        var provider = OptionalString(element, "provider") ?? "cpu";
        var fp32 = RequiredNumber(element, "fp32_cer", where);
        var variant = RequiredNumber(element, "variant_cer", where);
        var box = OptionalNumber(element, "box_agreement");
        if (!element.TryGetProperty("passed", out var passedElement) || passedElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw new FormatException($"{where}: passed (true/false) is required.");
        }

        // The verdict is recomputed from the numbers, so that a hand-edited "passed" cannot let a variant in.
        var passed = passedElement.GetBoolean();
        var verdict = AccuracyGate.Judge(fp32, variant, box);
        if (passed != verdict.Passed)
        {
            throw new FormatException($"{where}: says passed={passed.ToString().ToLowerInvariant()} but the numbers give {verdict.Passed.ToString().ToLowerInvariant()} ({verdict.Reason}).");
        }

        return new VariantGateResult(set, provider, fp32, variant, OptionalNumber(element, "speed_ratio"), box, passed, OptionalString(element, "measured"));
    }

    private static string RequiredString(JsonElement element, string name, string context) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString())
            ? value.GetString()!
            : throw new FormatException($"{context}: \"{name}\" (a non-empty string) is required.");

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static double RequiredNumber(JsonElement element, string name, string context) =>
        OptionalNumber(element, name) is { } number && number >= 0
            ? number
            : throw new FormatException($"{context}: \"{name}\" (a number, at least 0) is required.");

    private static double? OptionalNumber(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;
}
