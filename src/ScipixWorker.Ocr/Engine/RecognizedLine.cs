using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>One line of recognized text.</summary>
/// <param name="Text">The text, as decoded by the recognizer.</param>
/// <param name="Confidence">Mean probability of the decoded characters, 0..1.</param>
/// <param name="Box">Where the line is in the original image (after EXIF orientation).</param>
public readonly record struct RecognizedLine(string Text, float Confidence, Quad Box);
