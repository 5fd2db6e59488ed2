using ScipixWorker.Ocr.Detection;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Puts detected boxes in reading order: top to bottom, left to right.</summary>
internal static class ReadingOrder
{
    public static IReadOnlyList<DetectedBox> Sort(IReadOnlyList<DetectedBox> boxes) => throw new NotImplementedException();
}
