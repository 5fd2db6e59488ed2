namespace ScipixWorker.Ocr.Geometry;

/// <summary>An integer point: a pixel of a map, or a vertex after OpenCV/Clipper rounding.</summary>
internal readonly record struct PointI(int X, int Y);
