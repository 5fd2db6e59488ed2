using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>A barcode or QR code read from a page (<see cref="OcrPage.Barcodes"/>).</summary>
/// <param name="Format">ZXing's name of the symbology: QR_CODE, DATA_MATRIX, PDF_417, AZTEC, CODE_128, CODE_39, EAN_13, ...</param>
/// <param name="Text">What the code holds, as decoded.</param>
/// <param name="Box">
/// Where it lies, in the page's pixels as stored: a linear code's bars from the first to the last and as high as they
/// read; a 2D code's box is drawn round its finder patterns, so it may be a little smaller or larger than the code.
/// </param>
public readonly record struct RecognizedBarcode(string Format, string Text, Quad Box);
