namespace ScipixWorker.Ocr.Engine;

/// <summary>The result of recognizing one image file, which may hold several pages (TIFF, GIF).</summary>
public sealed record OcrDocument(IReadOnlyList<OcrPage> Pages)
{
    /// <summary>The pages' text joined by a blank line.</summary>
    public string Text => string.Join("\n\n", Pages.Select(p => p.Text));
}
