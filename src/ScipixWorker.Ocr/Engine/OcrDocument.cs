namespace ScipixWorker.Ocr.Engine;

/// <summary>The result of recognizing one image file, which may hold several pages (TIFF, GIF, PDF).</summary>
public sealed record OcrDocument(IReadOnlyList<OcrPage> Pages)
{
    /// <summary>The file's format, lower case (<c>jpeg</c>, <c>png</c>, <c>tiff</c>, <c>pdf</c>, ...); empty where unknown.</summary>
    public string Format { get; init; } = string.Empty;

    /// <summary>Pages in the file: more than <see cref="Pages"/> holds when only some were asked for (<see cref="OcrEngine.RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, PageRange, CancellationToken, CancellationToken)"/>).</summary>
    public int SourcePages { get; init; }

    /// <summary>The pages' text joined by a blank line.</summary>
    public string Text => string.Join("\n\n", Pages.Select(p => p.Text));
}
