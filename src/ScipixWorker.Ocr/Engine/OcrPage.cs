namespace ScipixWorker.Ocr.Engine;

/// <summary>The recognized text of one page (one image frame).</summary>
/// <param name="PageNumber">1-based page number within the document.</param>
/// <param name="Width">Page width in pixels, after EXIF orientation.</param>
/// <param name="Height">Page height in pixels, after EXIF orientation.</param>
/// <param name="Lines">Detected lines in reading order (top to bottom, left to right).</param>
/// <param name="Text">The page's text: lines on the same visual row joined by a space, rows by newlines.</param>
/// <param name="Timings">Time spent per stage.</param>
public sealed record OcrPage(int PageNumber, int Width, int Height, IReadOnlyList<RecognizedLine> Lines, string Text, OcrTimings Timings);
