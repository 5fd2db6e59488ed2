using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Puts detected boxes in reading order: top to bottom, left to right.</summary>
internal static class ReadingOrder
{
    public static IReadOnlyList<DetectedBox> Sort(IReadOnlyList<DetectedBox> boxes) => throw new NotImplementedException();

    public static IReadOnlyList<IReadOnlyList<int>> GroupIntoRows(IReadOnlyList<Quad> boxesInReadingOrder) => throw new NotImplementedException();
}
