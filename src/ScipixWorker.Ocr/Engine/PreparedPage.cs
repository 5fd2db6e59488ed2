using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A page after stage 1. <see cref="Boxes"/> is null for a single-line page; <see cref="QuarterTurns"/>: the clockwise
/// quarter turns that make the page upright, 2 for a page scanned upside down (its crops upright, boxes named as their
/// text reads, boxes and crops in the upright page's reading order). <see cref="Ready"/>: a page read
/// from a PDF's text layer, complete already (no crops).
/// </summary>
internal sealed record PreparedPage(
    int PageNumber, int Width, int Height, IReadOnlyList<Quad>? Boxes, IReadOnlyList<RgbBuffer> Crops,
    TimeSpan Decode, TimeSpan Detect, TimeSpan Classify, int QuarterTurns = 0)
{
    public OcrPage? Ready { get; init; }

    /// <summary>A PDF's visible text drawn over the page's scan, in its pixels (<see cref="PdfPages.TextOverScan"/>).</summary>
    public IReadOnlyList<TextLayerLine> OverScan { get; init; } = [];

    /// <summary>An image of one line, its one crop the whole image set upright as detected, to be read turned half a turn when unsure (<see cref="OcrEngine"/> reads it again).</summary>
    public bool LineImage { get; init; }

    /// <summary>
    /// The last this many boxes and crops are colon candidates (<see cref="Detection.LoneMarks"/>, then
    /// <see cref="GapColons"/>), kept only if they read as a colon.
    /// </summary>
    public int LoneMarks { get; init; }

    /// <summary>The last of those candidates, found in the gaps after lines (<see cref="Detection.GapColons"/>).</summary>
    public IReadOnlyList<GapColon> GapColons { get; init; } = [];

    /// <summary>
    /// Second crops of the boxes about a character in size, fitted to their ink (<see cref="Detection.LoneGlyphs"/>): read
    /// where the box's own crop read below the drop score.
    /// </summary>
    public IReadOnlyList<GlyphRefit> Refits { get; init; } = [];

    /// <summary>The glyphs the detector missed that read as one (<see cref="Detection.LoneGlyphs.Missed"/>), lines of their own.</summary>
    public IReadOnlyList<RecognizedLine> Found { get; init; } = [];

    /// <summary>The page's barcodes and QR codes, when asked for (<see cref="OcrExtras.Barcodes"/>).</summary>
    public IReadOnlyList<RecognizedBarcode> Barcodes { get; init; } = [];

    /// <summary>
    /// Where this "page" lies on the born-digital PDF page before it when it is a picture on that page
    /// (<see cref="PagePictures"/>): its lines join that page's.
    /// </summary>
    public PictureFrame? Picture { get; init; }

    /// <summary>That picture as <see cref="PictureReadings"/> knows it, when readings are kept.</summary>
    public PictureKey? PictureKey { get; init; }

    /// <summary>
    /// The same picture as one read earlier in the same call (<see cref="PictureKey"/>): nothing of its own to read,
    /// its reading is that one's.
    /// </summary>
    public bool SameAs { get; init; }
}
/// <summary>
/// A second crop of line <paramref name="Line"/> of a page (a glyph's box), fitted to its ink, and the box it fills; line -1
/// for a glyph the detector missed.
/// </summary>
internal sealed record GlyphRefit(int Line, Quad Box, RgbBuffer Crop);
