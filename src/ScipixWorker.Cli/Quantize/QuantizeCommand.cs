using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Cli.Common;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Cli.Quantize;

/// <summary>
/// <c>scipix quantize</c>: makes the recognizer's INT8 variant here, with ONNX Runtime's C# API alone: the FP32 model's graph
/// simplified as the engine loads it, its ranges measured on calibration lines, its convolutions rewritten
/// (<see cref="Int8Quantizer"/>), the file written beside the model as <c>&lt;stem&gt;.int8.onnx</c> and, with
/// <c>--record</c>, listed in <c>variants.json</c> with its provenance (and no gate result yet: <c>scipix eval --gate
/// --record</c> adds those).
/// </summary>
internal static class QuantizeCommand
{
    public static Command Create()
    {
        var set = new Option<string>("--set") { Description = "A line set (manifest.tsv) to calibrate on", Required = true };
        var count = new Option<int>("--calibration") { Description = "Lines to calibrate on: the set's items with index % 5 in {0, 2}, in manifest order, up to this many", DefaultValueFactory = _ => 120 };
        var percentile = new Option<double?>("--percentile") { Description = "Keep each value's range between this percentile and its mirror (e.g. 99.99); default: min and max" };
        var skipFirst = new Option<int>("--skip-first") { Description = "Convolutions left in FP32 at the start", DefaultValueFactory = _ => 0 };
        var skipLast = new Option<int>("--skip-last") { Description = "Convolutions left in FP32 at the end", DefaultValueFactory = _ => 0 };
        var fullRange = new Option<bool>("--full-range") { Description = "8-bit weights (default 7-bit, exact on CPUs without VNNI too)" };
        var output = new Option<string?>("--out") { Description = "Where to write the variant (default: <stem>.int8.onnx beside the recognizer)" };
        var batch = new Option<int>("--batch") { Description = "Lines per calibration run, grouped by width as the engine batches them", DefaultValueFactory = _ => 6 };
        var record = new Option<bool>("--record") { Description = "List the variant in variants.json (its gate emptied)" };
        var settings = new EngineSettings();
        var command = new Command("quantize", "Make the recognizer's INT8 variant: calibrate on a line set, quantize its convolutions") { set, count, percentile, skipFirst, skipLast, fullRange, output, batch, record };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var options = settings.Read(parse);
            var quantization = new Int8Settings(!parse.GetValue(fullRange), parse.GetValue(skipFirst), parse.GetValue(skipLast));
            var basePath = options.Resolve(options.RecognizerModel);
            var target = parse.GetValue(output) ?? ModelPrecisionNames.VariantFileName(basePath, ModelPrecision.Int8);
            var started = Stopwatch.GetTimestamp();
            var setName = Path.GetFileName(parse.GetRequiredValue(set).TrimEnd('/'));
            var kept = parse.GetValue(percentile);
            var method = kept is { } p ? $"percentile {p.ToString(CultureInfo.InvariantCulture)}" : "minmax";

            var items = Manifest.Read(parse.GetRequiredValue(set), null);
            var chosen = items.Where((_, i) => i % 5 is 0 or 2).Take(parse.GetValue(count)).ToList();
            var lines = OrtCeiling.Decode(chosen.Select(i => (ReadOnlyMemory<byte>)File.ReadAllBytes(i.ImagePath)));

            var (model, report) = Int8Quantizer.QuantizeRecognizer(
                File.ReadAllBytes(basePath), lines, options.RecognizerMinWidth, parse.GetValue(batch), kept, quantization);
            lines.ForEach(l => l.Release());
            File.WriteAllBytes(target, model);
            var sha = VariantCatalog.Sha256Of(target);
            var integer = Int8Quantizer.OpTypesAsRun(model).Count(o => o == "QLinearConv");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(target)}: {report.Quantized} convolutions in INT8 ({report.Kept} kept in FP32, {report.Values} activations quantized; ONNX Runtime runs {integer} QLinearConv), " +
                $"calibrated on {chosen.Count} lines of {setName} ({method}, {quantization.WeightMax * 2 + 1} weight levels); " +
                $"{model.Length / 1e6:F1} MB, sha256 {sha}, {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s"));

            if (parse.GetValue(record))
            {
                var catalog = options.Resolve(options.VariantsFile);
                Record(catalog, target, basePath, sha, model.Length, new JsonObject
                {
                    ["made"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                    ["from_sha256"] = VariantCatalog.Sha256Of(basePath),
                    ["command"] = "scipix quantize " + string.Join(' ', parse.Tokens.Select(t => t.Value)),
                    ["tool"] = $"ScipixWorker Int8Quantizer, ONNX Runtime {Microsoft.ML.OnnxRuntime.OrtEnv.Instance().GetVersionString()}",
                    ["config"] = new JsonObject
                    {
                        ["method"] = method,
                        ["weights"] = $"int8 symmetric per channel, |q| <= {quantization.WeightMax}",
                        ["activations"] = "uint8 asymmetric per tensor",
                        ["ops"] = "Conv only (QDQ, com.microsoft); everything else FP32",
                        ["skip_first"] = quantization.SkipFirst,
                        ["skip_last"] = quantization.SkipLast,
                        ["quantized_convs"] = report.Quantized,
                        ["kept_convs"] = report.Kept,
                    },
                    ["calibration"] = new JsonObject
                    {
                        ["set"] = setName,
                        ["items"] = chosen.Count,
                        ["rule"] = "manifest order, index % 5 in {0, 2}",
                        ["batch"] = parse.GetValue(batch),
                    },
                });
                Console.WriteLine($"recorded in {catalog} (gate emptied: run scipix eval --gate --record)");
            }

            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>Puts the variant's entry into variants.json (file, base, precision, sha256, bytes, provenance, an empty gate), in place of one for the same file; the rest of the file is kept.</summary>
    internal static void Record(string catalogPath, string file, string basePath, string sha, long bytes, JsonObject provenance)
    {
        var root = File.Exists(catalogPath)
            ? JsonNode.Parse(File.ReadAllText(catalogPath), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip }) as JsonObject
            : null;
        root ??= new JsonObject { ["schema"] = 1 };
        if (root["variants"] is not JsonArray variants)
        {
            variants = [];
            root["variants"] = variants;
        }

        var name = Path.GetFileName(file);
        foreach (var old in variants.OfType<JsonObject>().Where(e => (string?)e["file"] == name).ToList())
        {
            variants.Remove(old);
        }

        variants.Add(new JsonObject
        {
            ["file"] = name,
            ["base"] = Path.GetFileName(basePath),
            ["precision"] = "int8",
            ["sha256"] = sha,
            ["bytes"] = bytes,
            ["gate"] = new JsonArray(),
            ["provenance"] = provenance,
        });
        File.WriteAllText(catalogPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
