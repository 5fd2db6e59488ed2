using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Which models the engine runs, at what precision, on which execution provider.</summary>
/// <param name="Detector">Detector model file name (the variant's file when a variant runs).</param>
/// <param name="Recognizer">Recognizer model file name (the variant's file when a variant runs).</param>
/// <param name="Classifier">Angle classifier model file name, or empty when disabled.</param>
/// <param name="Precision">Numeric precision the recognizer runs at (fp32, fp16, int8), after any auto choice.</param>
/// <param name="ExecutionProvider">The provider actually in use (after any fallback): cpu or cuda.</param>
public sealed record OcrModelInfo(string Detector, string Recognizer, string Classifier, string Precision, string ExecutionProvider)
{
    /// <summary>Numeric precision the detector runs at.</summary>
    public string DetectorPrecision { get; init; } = "fp32";

    /// <summary>Numeric precision the classifier runs at, or empty when disabled.</summary>
    public string ClassifierPrecision { get; init; } = string.Empty;

    /// <summary>Each model's precision and why it was chosen (the numbers of any start-up timing included).</summary>
    public IReadOnlyList<ModelChoice> Choices { get; init; } = [];

    /// <summary>The precisions in one short label, e.g. <c>det=fp32 rec=int8 cls=fp32</c>.</summary>
    public string PrecisionSummary =>
        $"det={DetectorPrecision} rec={Precision}" + (string.IsNullOrEmpty(ClassifierPrecision) ? string.Empty : $" cls={ClassifierPrecision}");
}

/// <summary>The precision chosen for one model, and why.</summary>
/// <param name="Role">Which model.</param>
/// <param name="File">The file that runs.</param>
/// <param name="Precision">fp32, int8 or fp16.</param>
/// <param name="Reason">The setting, the variant's gate state and any timing that decided it.</param>
public sealed record ModelChoice(ModelRole Role, string File, string Precision, string Reason);
