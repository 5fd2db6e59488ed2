using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using System.Text.Json;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Cli.Eval;

/// <summary>
/// <c>scipix eval &lt;set&gt; --gate</c>: runs FP32 and the configured variant side by side on the same set in one
/// process, prints both CERs, the relative delta, the speed ratio and the verdict; exit code 1 when the variant
/// fails. <c>--record</c> writes the result into the variant's entry in variants.json.
/// </summary>
internal static class GateRun
{
    public static int Run(OcrEngineOptions variantOptions, IReadOnlyList<ManifestItem> manifest, string setName, OcrMode mode,
        bool caseInsensitive, int batch, bool json, bool record, CancellationToken cancellationToken)
    {
        var baselineOptions = variantOptions.Copy();
        baselineOptions.Precision = ModelPrecision.Fp32;
        baselineOptions.DetectorPrecision = baselineOptions.RecognizerPrecision = baselineOptions.ClassifierPrecision = null;
        using var variant = new OcrEngine(variantOptions);
        var variantChoices = variant.Model.Choices.Where(c => c.Precision != "fp32").ToList();
        if (variantChoices.Count == 0)
        {
            Console.Error.WriteLine($"scipix eval --gate: nothing to gate, every model runs fp32 ({variant.Model.PrecisionSummary}). " +
                "Name the variant: --precision int8, --recognizer-precision int8, ...");
            foreach (var choice in variant.Model.Choices)
            {
                Console.Error.WriteLine($"  {choice.Role}: {choice.Reason}");
            }

            return 2;
        }

        if (variantChoices.Count > 1)
        {
            Console.Error.WriteLine($"scipix eval --gate: note: {variantChoices.Count} models run a variant ({variant.Model.PrecisionSummary}); " +
                "the result is recorded for each. Pin the others with --precision fp32 to gate one variant.");
        }

        using var fp32 = new OcrEngine(baselineOptions);
        fp32.WarmUp(cancellationToken);
        variant.WarmUp(cancellationToken);
        var items = manifest.Select(i => new LabeledImage(Path.GetFileName(i.ImagePath), File.ReadAllBytes(i.ImagePath), i.GroundTruth)).ToList();
        var progress = new Progress("gate", items.Count);
        var report = SideBySide.Run(fp32, variant, items, mode, caseInsensitive, batch, progress: progress.Report, cancellationToken: cancellationToken);
        var provider = variant.Model.ExecutionProvider;
        var measured = Machine(variantOptions, batch);
        var label = string.Join(", ", variantChoices.Select(c => $"{c.Role.ToString().ToLowerInvariant()} {c.Precision}"));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new
            {
                set = setName,
                mode = mode.ToString(),
                images = report.Items,
                characters = report.Fp32.Characters,
                variant = label,
                files = variantChoices.Select(c => c.File).ToArray(),
                provider,
                fp32_cer = report.Fp32.Cer,
                variant_cer = report.Variant.Cer,
                relative_delta = double.IsFinite(report.Verdict.RelativeDelta) ? report.Verdict.RelativeDelta : (double?)null,
                box_agreement = report.Verdict.BoxAgreement,
                text_agreement = report.TextAgreement,
                fp32_seconds = report.Fp32.Time.TotalSeconds,
                variant_seconds = report.Variant.Time.TotalSeconds,
                speed_ratio = report.SpeedRatio,
                passed = report.Verdict.Passed,
                measured,
            }, EvalReport.JsonOptions));
        }
        else
        {
            var c = CultureInfo.InvariantCulture;
            Console.WriteLine($"set:              {setName} ({mode}, {report.Items} images, {report.Fp32.Characters} chars)");
            Console.WriteLine($"variant:          {label} ({string.Join(", ", variantChoices.Select(v => v.File))}) on {provider}");
            Console.WriteLine(string.Create(c, $"CER:              fp32 {report.Fp32.Cer:P2}, variant {report.Variant.Cer:P2} ({AccuracyGate.FormatDelta(report.Verdict.RelativeDelta)} relative, limit +{AccuracyGate.MaxRelativeCerIncrease:P0})"));
            if (report.Verdict.BoxAgreement is { } boxes)
            {
                Console.WriteLine(string.Create(c, $"box agreement:    {boxes:F3} (F1 at IoU 0.5, min {AccuracyGate.MinBoxAgreement:F2})"));
            }

            Console.WriteLine(string.Create(c, $"same text:        {report.TextAgreement:P1} of items"));
            Console.WriteLine(string.Create(c, $"time:             fp32 {report.Fp32.Time.TotalSeconds:F2} s, variant {report.Variant.Time.TotalSeconds:F2} s: speed ratio {report.SpeedRatio:F2}x"));
            Console.WriteLine($"measured on:      {measured}");
            Console.WriteLine($"gate:             {(report.Verdict.Passed ? "PASS" : "FAIL")}");
        }

        if (record)
        {
            var catalog = variantOptions.Resolve(variantOptions.VariantsFile);
            foreach (var choice in variantChoices)
            {
                VariantCatalog.RecordGate(catalog, choice.File, new VariantGateResult(setName, provider, report.Fp32.Cer, report.Variant.Cer,
                    report.SpeedRatio, report.Verdict.BoxAgreement, report.Verdict.Passed, measured));
                Console.Error.WriteLine($"recorded in {catalog}: {choice.File} on {setName}/{provider}");
            }
        }

        return report.Verdict.Passed ? 0 : 1;
    }

    /// <summary>When and where: the date, the CPU and its vector extensions (INT8 speed depends on VNNI), ORT and the settings.</summary>
    private static string Machine(OcrEngineOptions options, int batch)
    {
        var cpuinfo = File.Exists("/proc/cpuinfo") ? File.ReadAllLines("/proc/cpuinfo") : [];
        var cpu = cpuinfo.FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            ?? RuntimeInformation.ProcessArchitecture.ToString();
        var flags = cpuinfo.FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal))?.Split(':', 2)[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet()
            ?? [];
        // The extensions ONNX Runtime's INT8 kernels use: VNNI (AVX-512 or AVX) makes INT8 dot products fast.
        var features = new[] { "avx2", "avx512f", "avx512_vnni", "avx_vnni", "amx_int8" }.Where(flags.Contains).ToList();
        if (features.Count == 0 && Avx2.IsSupported)
        {
            features.Add("avx2");
        }

        var vnni = flags.Contains("avx512_vnni") || flags.Contains("avx_vnni") ? string.Empty : ", no VNNI";
        var threads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount;
        return $"{DateTime.UtcNow:yyyy-MM-dd}, {cpu}, {Environment.ProcessorCount} cores, {string.Join(' ', features)}{vnni}, " +
            $"ORT {OrtEnv.Instance().GetVersionString()}, {threads} threads, batch {batch}";
    }
}
