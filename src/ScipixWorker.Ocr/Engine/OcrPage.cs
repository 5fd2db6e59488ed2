namespace ScipixWorker.Ocr.Engine;

/// <summary>The recognized text of one page (one image frame).</summary>
/// <param name="PageNumber">1-based page number within the document.</param>
/// <param name="Width">Page width in pixels, after EXIF orientation.</param>
/// <param name="Height">Page height in pixels, after EXIF orientation.</param>
/// <param name="Lines">Lines in reading order.</param>
/// <param name="Timings">Time spent per stage.</param>
public sealed record OcrPage(int PageNumber, int Width, int Height, IReadOnlyList<RecognizedLine> Lines, OcrTimings Timings)
{
    /// <summary>The lines' text joined by newlines, in reading order.</summary>
    public string Text => string.Join('\n', Lines.Select(l => l.Text));
}
