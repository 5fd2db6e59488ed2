using System.Globalization;

namespace ScipixWorker.Ocr.Precision;

/// <summary>The outcome of comparing a variant with FP32 on one set.</summary>
/// <param name="Fp32Cer">CER of the FP32 models.</param>
/// <param name="VariantCer">CER with the variant in place.</param>
/// <param name="RelativeDelta">(variant - fp32) / fp32; 0 when both are 0, +infinity when only FP32 is 0.</param>
/// <param name="BoxAgreement">On pages: F1 of the variant's boxes against FP32's (IoU at least 0.5); null on line sets.</param>
/// <param name="Passed">Whether the variant may be used.</param>
/// <param name="Reason">Why it passed or failed, with the numbers.</param>
public sealed record GateVerdict(double Fp32Cer, double VariantCer, double RelativeDelta, double? BoxAgreement, bool Passed, string Reason);

/// <summary>
/// The accuracy gate a quantized variant must pass before the engine runs it: its CER on a set may be at most
/// 5% (relative) above FP32's on the same set, and on full pages the detector's boxes must agree with FP32's.
/// </summary>
public static class AccuracyGate
{
    /// <summary>The largest allowed relative CER increase over FP32 (5%).</summary>
    public const double MaxRelativeCerIncrease = 0.05;

    /// <summary>The smallest allowed box agreement (F1 at IoU 0.5) with FP32 on pages.</summary>
    public const double MinBoxAgreement = 0.95;

    /// <summary>
    /// Judges a variant. <paramref name="absoluteSlack"/> (CER points, 0 by default) is for tiny fixtures
    /// only, where one character is already more than 5% of FP32's errors; the real gate runs with none.
    /// </summary>
    public static GateVerdict Judge(double fp32Cer, double variantCer, double? boxAgreement = null, double absoluteSlack = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(fp32Cer);
        ArgumentOutOfRangeException.ThrowIfNegative(variantCer);
        ArgumentOutOfRangeException.ThrowIfNegative(absoluteSlack);
        var relative = RelativeDelta(fp32Cer, variantCer);
        // A tiny tolerance so that a CER written to variants.json with rounding still judges the same.
        var limit = (fp32Cer * (1 + MaxRelativeCerIncrease)) + absoluteSlack + 1e-12;
        var cerOk = variantCer <= limit;
        var boxesOk = boxAgreement is not { } agreement || agreement >= MinBoxAgreement;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"CER {variantCer:P2} vs FP32 {fp32Cer:P2} ({FormatDelta(relative)}, limit +{MaxRelativeCerIncrease:P0})");
        if (boxAgreement is { } a)
        {
            reason += string.Create(CultureInfo.InvariantCulture, $"; box agreement {a:F3} (min {MinBoxAgreement:F2})");
        }

        return new GateVerdict(fp32Cer, variantCer, relative, boxAgreement, cerOk && boxesOk, reason);
    }

    /// <summary>(variant - fp32) / fp32, with 0/0 = 0 and x/0 = +infinity.</summary>
    public static double RelativeDelta(double fp32Cer, double variantCer) =>
        fp32Cer > 0 ? (variantCer - fp32Cer) / fp32Cer
        : variantCer > 0 ? double.PositiveInfinity
        : 0;

    /// <summary>A relative delta as text: "+2.1%", "-0.5%", "+inf".</summary>
    public static string FormatDelta(double relative) =>
        double.IsPositiveInfinity(relative) ? "+inf" : relative.ToString("+0.0%;-0.0%;+0.0%", CultureInfo.InvariantCulture);
}
