using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>Perspective crop of a text quad into an upright rectangle (PaddleOCR's get_rotate_crop_image).</summary>
internal static class QuadCropper
{
    public static RgbBuffer Crop(RgbBuffer source, Quad box) => throw new NotImplementedException();
}
