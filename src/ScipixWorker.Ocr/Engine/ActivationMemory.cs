using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Estimates of the memory a run holds at its peak, for <see cref="MemoryBudget"/> leases. ONNX Runtime's
/// intermediate tensors grow linearly with the input's pixels. The factors are the peak resident growth of one
/// run of the PP-OCRv4 FP32 models on the CPU (arena off, input included), as <c>scipix bench memory</c> measures
/// it over input sizes, with about half again on top for the allocator's slack between runs (docs/benchmarks.md,
/// "Pages"). Quantized variants keep float activations between their quantized operators, so the FP32 factors
/// bound them too.
/// </summary>
public static class ActivationMemory
{
    /// <summary>Detector run: bytes per pixel of its input (measured 194-210, 448x960 to 960x960).</summary>
    public const long DetectorBytesPerPixel = 320;

    /// <summary>Recognizer run: bytes per pixel of its 48-high input (measured 179-502, 1x320 to 32x640).</summary>
    public const long RecognizerBytesPerPixel = 640;

    /// <summary>
    /// A decoded page: ImageSharp's RGBA frame plus the engine's RGB copy. A JPEG, a PNG without alpha or a TIFF page
    /// without extra samples is decoded straight into its RGB buffer (3 bytes a pixel, <see cref="Imaging.DecodeAllocator.TakePage"/>); the estimate,
    /// made from the header alone, stays the bound for every format.
    /// </summary>
    public const long DecodedBytesPerPixel = 4 + 3;

    /// <summary>The detection stage of one page: the decoded page and the detector's run on its resized input.</summary>
    public static long Detection(int pageWidth, int pageHeight, int inputWidth, int inputHeight) =>
        (DecodedBytesPerPixel * pageWidth * pageHeight) + (DetectorBytesPerPixel * inputWidth * inputHeight);

    /// <summary>
    /// A barcode scan (<see cref="BarcodeScanner"/>): its grey copy, ZXing's and the strips, per pixel of the page as it
    /// looks at it (measured 11.5-15.5, BarcodeScanPeakMeasurement).
    /// </summary>
    public const long BarcodeScanBytesPerPixel = 16;

    /// <summary>
    /// A barcode scan of a page of this size, the page's own buffer aside: <see cref="BarcodeScanBytesPerPixel"/> for each
    /// pixel it looks at (a page over <see cref="BarcodeScanner.MaxPixels"/> is looked at shrunk to it) and, for such a
    /// page, the full-size grey copy it is shrunk from.
    /// </summary>
    public static long BarcodeScan(int pageWidth, int pageHeight)
    {
        var pixels = (long)pageWidth * pageHeight;
        return (BarcodeScanBytesPerPixel * Math.Min(pixels, BarcodeScanner.MaxPixels)) + (pixels > BarcodeScanner.MaxPixels ? pixels : 0);
    }

    /// <summary>One recognizer call on <paramref name="batch"/> crops padded to <paramref name="tensorWidth"/>.</summary>
    public static long Recognition(int batch, int tensorWidth) =>
        RecognizerBytesPerPixel * batch * tensorWidth * TextRecognizer.InputHeight;

    /// <summary>
    /// The largest batch of <paramref name="tensorWidth"/>-wide crops whose estimate fits in <paramref name="bytes"/>;
    /// at least 1 (a single crop runs whatever it needs).
    /// </summary>
    public static int RecognitionBatchWithin(long bytes, int tensorWidth) =>
        (int)Math.Clamp(bytes / Math.Max(1, Recognition(1, tensorWidth)), 1, int.MaxValue);
}
