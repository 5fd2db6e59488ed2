namespace ScipixWorker.Ocr.Imaging;

/// <summary>Resizes as OpenCV's cv2.resize with INTER_LINEAR does (PaddleOCR's pre-processing).</summary>
internal static class CvResize
{
    public static RgbBuffer Bilinear(RgbBuffer source, int width, int height) => throw new NotImplementedException();
}
