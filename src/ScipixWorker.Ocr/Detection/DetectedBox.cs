using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// A text region found by the detector, in original image coordinates. <paramref name="Lone"/> marks a lone small mark
/// beside a row of text that the detector's size filter would drop (<see cref="LoneMarks"/>): a candidate, kept only
/// if it reads as a colon.
/// </summary>
internal readonly record struct DetectedBox(Quad Box, float Score, bool Lone = false);
