using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Tiff;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// ImageSharp's TIFF decoder, refusing a TIFF decoded inside a TIFF. ImageSharp 2.1 decodes a JPEG-compressed strip
/// without JPEGTables as a file of whatever format it finds there (<c>Image.Load</c> with the default configuration), so a
/// strip that is the TIFF itself (offset 0, as a writer that failed part way leaves it, or a damaged directory) is
/// decoded again inside itself until the stack overflows, which ends the process: one 262-byte file took the worker
/// down. <see cref="TiffPages.JpegDamage"/> refuses such a page before ImageSharp sees it, as its directory reads; a
/// damaged directory can read otherwise to ImageSharp (a doubled tag, an entry count that takes in garbage), so this
/// decoder, set for TIFF in the default configuration (<see cref="Install"/>, which the loader's configurations share),
/// stops the second level. No TIFF holds a TIFF in a strip.
/// </summary>
internal sealed class NestedTiffGuard : IImageDecoder, IImageInfoDetector
{
    [ThreadStatic]
    private static int depth;

    private readonly TiffDecoder _tiff = new();

    /// <summary>Sets the guard as the TIFF decoder of ImageSharp's default configuration (once; later calls do nothing).</summary>
    public static void Install()
    {
        if (Configuration.Default.ImageFormatsManager.FindDecoder(TiffFormat.Instance) is not NestedTiffGuard)
        {
            Configuration.Default.ImageFormatsManager.SetDecoder(TiffFormat.Instance, new NestedTiffGuard());
        }
    }

    public Image<TPixel> Decode<TPixel>(Configuration configuration, Stream stream, CancellationToken cancellationToken)
        where TPixel : unmanaged, IPixel<TPixel> =>
        OneLevel(() => _tiff.Decode<TPixel>(configuration, stream, cancellationToken));

    public Image Decode(Configuration configuration, Stream stream, CancellationToken cancellationToken) =>
        OneLevel(() => _tiff.Decode(configuration, stream, cancellationToken));

    public IImageInfo Identify(Configuration configuration, Stream stream, CancellationToken cancellationToken) =>
        _tiff.Identify(configuration, stream, cancellationToken);

    // The decode, refused when it is a TIFF's inside a TIFF's on this thread.
    private static T OneLevel<T>(Func<T> decode)
    {
        if (depth >= 1)
        {
            throw new InvalidImageContentException("The TIFF holds a TIFF where its JPEG data should be (a strip decoded as the file itself).");
        }

        depth++;
        try
        {
            return decode();
        }
        finally
        {
            depth--;
        }
    }
}
