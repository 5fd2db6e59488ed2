using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.Formats.Tiff.Constants;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The measurement behind <see cref="ImageLoader.DecodeBytesPerPixel"/> (docs/benchmarks.md, "A memory cap on every
/// decode"): the most one decode holds per page pixel, for the SROIE receipt re-encoded in every supported format.
/// Runs only with SCIPIX_MEASURE=1; writes its table to the test output.
/// </summary>
public sealed class DecodePeakMeasurement
{
    [Fact]
    public void Measure_decode_peak_bytes_per_pixel()
    {
        if (Environment.GetEnvironmentVariable("SCIPIX_MEASURE") != "1")
        {
            return;
        }

        using var receipt = Image.Load<Rgba32>(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        var loader = new ImageLoader(new OcrEngineOptions());
        foreach (var (name, save) in Encoders())
        {
            using var encoded = new MemoryStream();
            save(receipt, encoded);
            using var image = loader.Load(encoded.ToArray());
            var page = image.Page(0);
            var perPixel = image.DecodePeakBytes!.Value / ((double)page.Width * page.Height);
            TestContext.Current.TestOutputHelper?.WriteLine($"| {name} | {page.Width} x {page.Height} | {image.DecodePeakBytes} | {perPixel:F2} |");
            page.Release();
            Assert.True(perPixel < ImageLoader.DecodeBytesPerPixel, $"{name}: {perPixel:F2} bytes per pixel");
        }
    }

    private static IEnumerable<(string Name, Action<Image<Rgba32>, Stream> Save)> Encoders() =>
    [
        ("JPEG", (image, stream) => image.SaveAsJpeg(stream)),
        ("JPEG, EXIF orientation 6", (image, stream) =>
        {
            using var rotated = image.Clone();
            rotated.Metadata.ExifProfile = new ExifProfile();
            rotated.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
            rotated.SaveAsJpeg(stream);
        }),
        ("PNG", (image, stream) => image.SaveAsPng(stream)),
        ("PNG, RGB without alpha", (image, stream) => image.SaveAsPng(stream, new PngEncoder { ColorType = PngColorType.Rgb })),
        ("BMP", (image, stream) => image.SaveAsBmp(stream)),
        ("GIF", (image, stream) => image.SaveAsGif(stream)),
        ("TIFF, LZW", (image, stream) => image.SaveAsTiff(stream, new TiffEncoder { Compression = TiffCompression.Lzw })),
        ("TIFF, deflate", (image, stream) => image.SaveAsTiff(stream, new TiffEncoder { Compression = TiffCompression.Deflate })),
        ("WebP, lossy", (image, stream) => image.SaveAsWebp(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossy })),
        ("WebP, lossless", (image, stream) => image.SaveAsWebp(stream, new WebpEncoder { FileFormat = WebpFileFormatType.Lossless })),
    ];
}
