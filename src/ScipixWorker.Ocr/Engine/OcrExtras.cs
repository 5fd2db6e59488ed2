namespace ScipixWorker.Ocr.Engine;

/// <summary>What the engine reads from a page besides its text, when asked (each costs time of its own).</summary>
[Flags]
public enum OcrExtras
{
    /// <summary>Text only.</summary>
    None = 0,

    /// <summary>
    /// Barcodes and QR codes too (<see cref="OcrPage.Barcodes"/>), from each page's pixels: 70-200 ms for a receipt scan
    /// at its own resolution (docs/benchmarks.md). A PDF page read from its text layer has those in its pictures and those
    /// drawn on it with vectors (<see cref="Imaging.PdfDrawnCodes"/>).
    /// </summary>
    Barcodes = 1,
}
