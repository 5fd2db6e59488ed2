using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.IntegrationTests.Precision;

/// <summary>
/// A temporary model folder: links to the real models plus "variants" made at test time (copies of an FP32
/// model under a variant's name) and a variants.json written by the test. It exercises the loading and selection
/// machinery without a quantized model; the committed variants are tested by <see cref="CommittedVariantTests"/>.
/// </summary>
internal sealed class VariantFolder : IDisposable
{
    public VariantFolder()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("scipix-variants-").FullName;
        // Only the FP32 models and the dictionary (the files SHA256SUMS lists): no committed variant comes along.
        foreach (var line in File.ReadLines(Path.Combine(Fixtures.ModelDirectory, "SHA256SUMS")))
        {
            var name = line.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries)[^1].Trim();
            File.CreateSymbolicLink(Path.Combine(Directory, name), Path.Combine(Fixtures.ModelDirectory, name));
        }
    }

    public string Directory { get; }

    /// <summary>Configuration paths for this folder.</summary>
    public Dictionary<string, string?> Configuration(params (string Key, string Value)[] settings)
    {
        var values = new Dictionary<string, string?> { ["Ocr:ModelDirectory"] = Directory, ["Ocr:WarmUp"] = "false" };
        foreach (var (key, value) in settings)
        {
            values[key] = value;
        }

        return values;
    }

    /// <summary>Copies <paramref name="baseModel"/> to its <paramref name="precision"/> variant name; returns the name.</summary>
    public string CopyAsVariant(string baseModel, ModelPrecision precision)
    {
        var name = ModelPrecisionNames.VariantFileName(baseModel, precision);
        File.Copy(Path.Combine(Fixtures.ModelDirectory, baseModel), Path.Combine(Directory, name), overwrite: true);
        return name;
    }

    /// <summary>Writes variants.json listing the variant files with their real SHA-256 and, optionally, a passed gate.</summary>
    public void WriteCatalog(bool passed, params (string File, string Base, ModelPrecision Precision)[] variants)
    {
        var gate = passed
            ? """[ { "set": "test", "provider": "cpu", "fp32_cer": 0.05, "variant_cer": 0.05, "passed": true } ]"""
            : "[]";
        var entries = variants.Select(v =>
            $$"""{ "file": "{{v.File}}", "base": "{{v.Base}}", "precision": "{{v.Precision.Label()}}", "sha256": "{{VariantCatalog.Sha256Of(Path.Combine(Directory, v.File))}}", "gate": {{gate}} }""");
        File.WriteAllText(Path.Combine(Directory, "variants.json"), $$"""{ "schema": 1, "variants": [ {{string.Join(",", entries)}} ] }""");
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
