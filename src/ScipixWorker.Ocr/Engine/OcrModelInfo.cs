namespace ScipixWorker.Ocr.Engine;

/// <summary>Which models the engine runs, at what precision, on which execution provider.</summary>
/// <param name="Detector">Detector model file name.</param>
/// <param name="Recognizer">Recognizer model file name.</param>
/// <param name="Classifier">Angle classifier model file name, or empty when disabled.</param>
/// <param name="Precision">Numeric precision of the recognizer (fp32, fp16, int8).</param>
/// <param name="ExecutionProvider">The provider actually in use (after any fallback): cpu or cuda.</param>
public sealed record OcrModelInfo(string Detector, string Recognizer, string Classifier, string Precision, string ExecutionProvider);
