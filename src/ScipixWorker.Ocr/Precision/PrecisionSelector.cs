using System.Globalization;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.Precision;

/// <summary>What to do for one model before any timing: run a precision, or time a candidate against FP32.</summary>
public abstract record PrecisionPlan(string Reason)
{
    /// <summary>Run <paramref name="Precision"/>.</summary>
    public sealed record Use(ModelPrecision Precision, string Reason) : PrecisionPlan(Reason);

    /// <summary>Time <paramref name="Candidate"/> against FP32 on this machine and keep the faster by the margin.</summary>
    public sealed record TimeAgainstFp32(ModelPrecision Candidate, string Reason) : PrecisionPlan(Reason);
}

/// <summary>A precision setting that cannot be honoured: the message names the setting.</summary>
public sealed class PrecisionConfigurationException(string setting, string message) : InvalidOperationException(message)
{
    /// <summary>The configuration key at fault, e.g. <c>Ocr:Precision</c>.</summary>
    public string Setting { get; } = setting;
}

/// <summary>
/// The precision decisions, as pure functions (the engine supplies the variant states and the timings):
/// <list type="bullet">
/// <item>fp32: always FP32.</item>
/// <item>int8/fp16: that variant, which must exist, be listed in variants.json with its SHA-256 and have passed
/// the accuracy gate (unless ungated variants are allowed, as <c>scipix eval</c> does to measure them);
/// otherwise the engine refuses to start, naming the setting.</item>
/// <item>auto on CUDA: the FP16 variant if it passed the gate, else FP32.</item>
/// <item>auto on the CPU: the INT8 variant only if it passed the gate and, timed against FP32 on this machine at
/// start-up, is faster by at least the configured margin; else FP32. FP16 brings nothing on CPUs (measured).</item>
/// </list>
/// </summary>
public static class PrecisionSelector
{
    /// <summary>Plans the precision of one model.</summary>
    /// <exception cref="PrecisionConfigurationException">An explicit int8/fp16 request that cannot be honoured.</exception>
    public static PrecisionPlan Plan(ModelRole role, ModelPrecision requested, string setting, ExecutionProvider provider,
        VariantStatus int8, VariantStatus fp16, bool allowUngated = false)
    {
        switch (requested)
        {
            case ModelPrecision.Fp32:
                return new PrecisionPlan.Use(ModelPrecision.Fp32, $"{setting}=fp32");
            case ModelPrecision.Int8:
            case ModelPrecision.Fp16:
                var status = requested == ModelPrecision.Int8 ? int8 : fp16;
                var error = ExplicitRequestError(role, requested, setting, status, allowUngated);
                if (error is not null)
                {
                    throw new PrecisionConfigurationException(setting, error);
                }

                return new PrecisionPlan.Use(requested, status.State == VariantState.Passed
                    ? $"{setting}={requested.Label()}; {status.Describe()}"
                    : $"{setting}={requested.Label()}; UNGATED, allowed for evaluation: {status.Describe()}");
            default:
                if (provider == ExecutionProvider.Cuda)
                {
                    return fp16.State == VariantState.Passed
                        ? new PrecisionPlan.Use(ModelPrecision.Fp16, $"auto on CUDA: {fp16.Describe()}")
                        : new PrecisionPlan.Use(ModelPrecision.Fp32, $"auto on CUDA: no usable FP16 variant ({fp16.Describe()})");
                }

                return int8.State == VariantState.Passed
                    ? new PrecisionPlan.TimeAgainstFp32(ModelPrecision.Int8, $"auto on the CPU: {int8.Describe()}")
                    : new PrecisionPlan.Use(ModelPrecision.Fp32, $"auto on the CPU: no usable INT8 variant ({int8.Describe()})");
        }
    }

    /// <summary>
    /// Why an explicit int8/fp16 request cannot be honoured, as a message that names the setting; null when it can.
    /// </summary>
    public static string? ExplicitRequestError(ModelRole role, ModelPrecision requested, string setting, VariantStatus status, bool allowUngated)
    {
        if (requested is ModelPrecision.Auto or ModelPrecision.Fp32 || status.State == VariantState.Passed)
        {
            return null;
        }

        if (allowUngated && status.State is not VariantState.Missing)
        {
            return null;
        }

        var fix = status.State switch
        {
            VariantState.Missing => "make one with models/quantize.py (docs/quantization.md)",
            VariantState.GateFailed => "it is less accurate than allowed",
            _ => "run `scipix eval <set> --gate --record` with it",
        };
        return $"{setting}={requested.Label()}: the {role.ToString().ToLowerInvariant()} cannot run {requested.Label()}: {status.Describe()}; {fix}, or set {setting} to fp32 or auto.";
    }

    /// <summary>
    /// The auto choice on the CPU once both were timed: the candidate only if FP32's median time is at least
    /// <paramref name="minSpeedup"/> times the candidate's.
    /// </summary>
    public static (ModelPrecision Precision, string Reason) DecideByTiming(ModelPrecision candidate, double fp32MedianMs, double candidateMedianMs, double minSpeedup)
    {
        var speedup = candidateMedianMs > 0 ? fp32MedianMs / candidateMedianMs : 0;
        var faster = speedup >= minSpeedup;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"timed on this machine: fp32 {fp32MedianMs:F1} ms, {candidate.Label()} {candidateMedianMs:F1} ms (median), speed-up {speedup:F2}x, needs {minSpeedup:F2}x");
        return faster ? (candidate, reason) : (ModelPrecision.Fp32, reason);
    }

    /// <summary>The median of a non-empty list of timings.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0)
        {
            throw new ArgumentException("No values.", nameof(values));
        }

        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
