using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Detection;

/// <summary>A text region found by the detector, in original image coordinates.</summary>
internal readonly record struct DetectedBox(Quad Box, float Score);
