using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.UnitTests.Precision;

public sealed class PrecisionSelectorTests
{
    private const string Setting = "Ocr:Precision";

    private static VariantStatus Status(ModelPrecision precision, VariantState state) =>
        new(precision, $"/models/rec.{precision.Label()}.onnx", state, state is VariantState.Missing or VariantState.NotListed ? null
            : new ModelVariantEntry($"rec.{precision.Label()}.onnx", "rec.onnx", precision, new string('0', 64),
                state == VariantState.GateNotRun ? [] : [new VariantGateResult("sroie_lines", "cpu", 0.05, state == VariantState.GateFailed ? 0.30 : 0.051, 1.3, null, state != VariantState.GateFailed, null)]));

    private static PrecisionPlan Plan(ModelPrecision requested, ExecutionProvider provider, VariantState int8, VariantState fp16, bool allowUngated = false) =>
        PrecisionSelector.Plan(ModelRole.Recognizer, requested, Setting, provider, Status(ModelPrecision.Int8, int8), Status(ModelPrecision.Fp16, fp16), allowUngated);

    [Fact]
    public void Fp32_is_always_fp32()
    {
        var plan = Plan(ModelPrecision.Fp32, ExecutionProvider.Cpu, VariantState.Passed, VariantState.Passed);
        Assert.Equal(ModelPrecision.Fp32, Assert.IsType<PrecisionPlan.Use>(plan).Precision);
    }

    [Theory]
    [InlineData(VariantState.Missing, "there is no rec.int8.onnx")]
    [InlineData(VariantState.NotListed, "not listed in variants.json")]
    [InlineData(VariantState.HashMismatch, "SHA-256 differs")]
    [InlineData(VariantState.GateNotRun, "has not been through the accuracy gate")]
    [InlineData(VariantState.GateFailed, "failed the accuracy gate")]
    public void Explicit_int8_without_a_gated_variant_fails_naming_the_setting(VariantState state, string why)
    {
        var error = Assert.Throws<PrecisionConfigurationException>(() => Plan(ModelPrecision.Int8, ExecutionProvider.Cpu, state, VariantState.Passed));
        Assert.Equal(Setting, error.Setting);
        Assert.StartsWith("Ocr:Precision=int8", error.Message, StringComparison.Ordinal);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Explicit_int8_with_a_gated_variant_runs_it()
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Int8, ExecutionProvider.Cpu, VariantState.Passed, VariantState.Missing));
        Assert.Equal(ModelPrecision.Int8, plan.Precision);
        Assert.DoesNotContain("UNGATED", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_may_run_an_ungated_variant_and_says_so()
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Fp16, ExecutionProvider.Cpu, VariantState.Missing, VariantState.NotListed, allowUngated: true));
        Assert.Equal(ModelPrecision.Fp16, plan.Precision);
        Assert.Contains("UNGATED", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluation_cannot_run_a_variant_that_does_not_exist()
    {
        Assert.Throws<PrecisionConfigurationException>(() => Plan(ModelPrecision.Fp16, ExecutionProvider.Cpu, VariantState.Passed, VariantState.Missing, allowUngated: true));
    }

    [Fact]
    public void Auto_on_cuda_picks_a_gated_fp16_variant()
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Auto, ExecutionProvider.Cuda, VariantState.Passed, VariantState.Passed));
        Assert.Equal(ModelPrecision.Fp16, plan.Precision);
    }

    [Theory]
    [InlineData(VariantState.Missing)]
    [InlineData(VariantState.GateFailed)]
    [InlineData(VariantState.GateNotRun)]
    public void Auto_on_cuda_without_a_gated_fp16_variant_runs_fp32_even_with_int8(VariantState fp16)
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Auto, ExecutionProvider.Cuda, VariantState.Passed, fp16));
        Assert.Equal(ModelPrecision.Fp32, plan.Precision);
        Assert.Contains("auto on CUDA", plan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Auto_on_the_cpu_times_a_gated_int8_variant_against_fp32()
    {
        var plan = Assert.IsType<PrecisionPlan.TimeAgainstFp32>(Plan(ModelPrecision.Auto, ExecutionProvider.Cpu, VariantState.Passed, VariantState.Passed));
        Assert.Equal(ModelPrecision.Int8, plan.Candidate);
    }

    [Theory]
    [InlineData(VariantState.Missing)]
    [InlineData(VariantState.NotListed)]
    [InlineData(VariantState.HashMismatch)]
    [InlineData(VariantState.GateNotRun)]
    [InlineData(VariantState.GateFailed)]
    public void Auto_on_the_cpu_runs_fp32_unless_int8_passed_the_gate(VariantState int8)
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Auto, ExecutionProvider.Cpu, int8, VariantState.Passed));
        Assert.Equal(ModelPrecision.Fp32, plan.Precision);
    }

    [Fact]
    public void Auto_on_the_cpu_never_picks_fp16()
    {
        var plan = Assert.IsType<PrecisionPlan.Use>(Plan(ModelPrecision.Auto, ExecutionProvider.Cpu, VariantState.Missing, VariantState.Passed));
        Assert.Equal(ModelPrecision.Fp32, plan.Precision);
    }

    [Theory]
    [InlineData(100.0, 80.0, 1.1, ModelPrecision.Int8)]
    [InlineData(100.0, 90.0, 1.1, ModelPrecision.Int8)]
    [InlineData(100.0, 95.0, 1.1, ModelPrecision.Fp32)]
    [InlineData(100.0, 120.0, 1.1, ModelPrecision.Fp32)]
    [InlineData(100.0, 95.0, 1.0, ModelPrecision.Int8)]
    public void Timing_keeps_int8_only_when_faster_by_the_margin(double fp32Ms, double int8Ms, double margin, ModelPrecision expected)
    {
        var (precision, reason) = PrecisionSelector.DecideByTiming(ModelPrecision.Int8, fp32Ms, int8Ms, margin);
        Assert.Equal(expected, precision);
        Assert.Contains($"fp32 {fp32Ms:F1} ms", reason, StringComparison.Ordinal);
        Assert.Contains($"int8 {int8Ms:F1} ms", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Median_of_odd_and_even_counts()
    {
        Assert.Equal(3, PrecisionSelector.Median([5, 1, 3]));
        Assert.Equal(2.5, PrecisionSelector.Median([4, 1, 3, 2]));
        Assert.Throws<ArgumentException>(() => PrecisionSelector.Median([]));
    }

    [Fact]
    public void A_model_setting_overrides_the_global_one_and_is_named()
    {
        var options = new OcrEngineOptions { Precision = ModelPrecision.Int8, RecognizerPrecision = ModelPrecision.Fp32 };
        Assert.Equal((ModelPrecision.Fp32, "Ocr:RecognizerPrecision"), options.PrecisionFor(ModelRole.Recognizer));
        Assert.Equal((ModelPrecision.Int8, "Ocr:Precision"), options.PrecisionFor(ModelRole.Detector));
        Assert.Equal((ModelPrecision.Int8, "Ocr:Precision"), options.PrecisionFor(ModelRole.Classifier));
    }

    [Fact]
    public void Precision_defaults_to_auto()
    {
        Assert.Equal(ModelPrecision.Auto, new OcrEngineOptions().Precision);
    }

    [Fact]
    public void Variant_files_sit_beside_the_fp32_model()
    {
        Assert.Equal("ch_PP-OCRv4_rec_infer.int8.onnx", ModelPrecisionNames.VariantFileName("ch_PP-OCRv4_rec_infer.onnx", ModelPrecision.Int8));
        Assert.Equal(Path.Combine("/m", "det.fp16.onnx"), ModelPrecisionNames.VariantFileName("/m/det.onnx", ModelPrecision.Fp16));
        Assert.Equal("det.onnx", ModelPrecisionNames.VariantFileName("det.onnx", ModelPrecision.Fp32));
    }
}
