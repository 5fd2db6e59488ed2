namespace ScipixWorker.Ocr.Engine;

/// <summary>The recognized text of one page (one image frame).</summary>
/// <param name="PageNumber">1-based page number within the document.</param>
/// <param name="Width">Page width in pixels, after EXIF orientation; in points (1/72 inch) for a PDF page read from its text layer.</param>
/// <param name="Height">Page height in pixels, after EXIF orientation; in points for a PDF page read from its text layer.</param>
/// <param name="Lines">Detected lines in reading order (top to bottom, left to right).</param>
/// <param name="Text">The page's text: lines on the same visual row joined by a space, rows by newlines.</param>
/// <param name="Timings">Time spent per stage.</param>
public sealed record OcrPage(int PageNumber, int Width, int Height, IReadOnlyList<RecognizedLine> Lines, string Text, OcrTimings Timings)
{
    /// <summary>Where the text came from: the page's pixels, or a born-digital PDF page's own text.</summary>
    public PageSource Source { get; init; } = PageSource.Image;

    /// <summary>
    /// Degrees clockwise (0, 90, 180 or 270) the page's image was turned to read it: 180 for a page scanned upside down,
    /// 90 or 270 for one scanned or photographed sideways. Boxes stay in the image's pixels, their corners named as the
    /// text reads. Always 0 for a single line and for a PDF page read from its text layer.
    /// </summary>
    public int Rotation { get; init; }

    /// <summary>
    /// The page's paragraphs: runs of <see cref="Lines"/> in reading order that a reader sees as one block of text (a
    /// paragraph, a heading, a receipt's address or totals), each with the box round its lines (<see cref="ParagraphLayout"/>).
    /// Derived from the lines each time it is read.
    /// </summary>
    public IReadOnlyList<TextParagraph> Paragraphs => ParagraphLayout.Find(Lines);

    /// <summary>The page's barcodes and QR codes in reading order, when asked for (<see cref="OcrExtras.Barcodes"/>); else empty.</summary>
    public IReadOnlyList<RecognizedBarcode> Barcodes { get; init; } = [];

    /// <summary>
    /// The pictures on a born-digital PDF page that the models read (<see cref="OcrEngineOptions.PdfPictures"/>), whether
    /// they held text or not, and the blocks of text drawn on it as shapes, rendered and read (<see cref="OcrEngineOptions.PdfDrawnText"/>);
    /// 0 for every other page.
    /// </summary>
    public int Pictures { get; init; }

    /// <summary>
    /// Of <see cref="Pictures"/>, those the models did not read again: the same picture (a letterhead logo, a stamp) was read
    /// before, earlier in the document or in another, and its reading was kept (<see cref="OcrEngineOptions.PictureCacheBytes"/>).
    /// </summary>
    public int PicturesReadBefore { get; init; }

    /// <summary>A picture's reading kept from an earlier time the same picture came (<see cref="PictureReadings"/>).</summary>
    internal bool ReadBefore { get; init; }
}

/// <summary>Where a page's text came from.</summary>
public enum PageSource
{
    /// <summary>Recognized by the models from the page's pixels (an image, a TIFF page, a PDF page's scan).</summary>
    Image = 0,

    /// <summary>
    /// Read from the text a born-digital PDF page carries (no models ran for it): sizes and boxes are in points, confidences
    /// 1, one line per text line, blocks in reading order; and from its pictures by the models
    /// (<see cref="OcrEngineOptions.PdfPictures"/>), their lines in points with the recognizer's confidences.
    /// </summary>
    TextLayer = 1,
}
