using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Decodes PNG, JPEG, TIFF, BMP, GIF and WebP with ImageSharp, honours EXIF orientation, flattens alpha
/// onto white and enforces the configured limits, turning every failure into a typed <see cref="OcrException"/>.
/// </summary>
internal sealed class ImageLoader(OcrEngineOptions options)
{
    private static readonly Configuration Decoding = CreateConfiguration();

    /// <summary>Checks the header and the limits without decoding: the format and the (first) page's size.</summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public (IImageFormat Format, int Width, int Height) Identify(ReadOnlyMemory<byte> encoded)
    {
        if (encoded.IsEmpty)
        {
            throw new OcrException(OcrErrorCode.EmptyImage, "The image is empty (0 bytes).");
        }

        if (encoded.Length > options.MaxImageBytes)
        {
            throw new OcrException(OcrErrorCode.ImageTooLarge,
                $"The image is {encoded.Length} bytes; the limit (Ocr:MaxImageBytes) is {options.MaxImageBytes}.");
        }

        var bytes = encoded.Span;
        var format = Image.DetectFormat(Decoding, bytes)
            ?? throw new OcrException(OcrErrorCode.UnsupportedFormat,
                "The data is not a supported image format (PNG, JPEG, TIFF, BMP, GIF, WebP).");

        IImageInfo? info;
        try
        {
            using var header = AsStream(encoded);
            info = Image.Identify(Decoding, header);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw Corrupt(format, ex);
        }

        if (info is null)
        {
            throw new OcrException(OcrErrorCode.CorruptImage, $"The {format.Name} header could not be read.");
        }

        CheckSize(info.Width, info.Height);
        return (format, info.Width, info.Height);
    }

    /// <summary>Checks the header, then decodes. Frames are converted one at a time as the caller iterates.</summary>
    public DecodedImage Load(ReadOnlyMemory<byte> encoded)
    {
        var (format, _, _) = Identify(encoded);
        var bytes = encoded.Span;
        Image<Rgba32> image;
        try
        {
            image = Image.Load<Rgba32>(Decoding, bytes);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw Corrupt(format, ex);
        }

        try
        {
            if (image.Frames.Count > options.MaxPages)
            {
                throw new OcrException(OcrErrorCode.ImageTooLarge,
                    $"The image has {image.Frames.Count} pages; the limit (Ocr:MaxPages) is {options.MaxPages}.");
            }

            image.Mutate(x => x.AutoOrient());
            CheckSize(image.Width, image.Height);
            return new DecodedImage(image, format.Name);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static Stream AsStream(ReadOnlyMemory<byte> memory) =>
        MemoryMarshal.TryGetArray(memory, out var segment) && segment.Array is not null
            ? new MemoryStream(segment.Array, segment.Offset, segment.Count, writable: false)
            : new MemoryStream(memory.ToArray(), writable: false);

    private void CheckSize(int width, int height)
    {
        if (width <= 0 || height <= 0)
        {
            throw new OcrException(OcrErrorCode.CorruptImage, $"The image has no pixels ({width}x{height}).");
        }

        if (Math.Max(width, height) > options.MaxSide)
        {
            throw new OcrException(OcrErrorCode.ImageTooLarge,
                $"The image is {width}x{height}; the longest side may be at most {options.MaxSide} (Ocr:MaxSide).");
        }

        if ((long)width * height > options.MaxPixels)
        {
            throw new OcrException(OcrErrorCode.ImageTooLarge,
                $"The image is {width}x{height} = {(long)width * height} pixels; the limit (Ocr:MaxPixels) is {options.MaxPixels}.");
        }
    }

    private static bool IsDecodeFailure(Exception ex) =>
        ex is ImageFormatException or InvalidImageContentException or NotSupportedException
            or InvalidOperationException or IndexOutOfRangeException or ArgumentException or EndOfStreamException;

    private static OcrException Corrupt(IImageFormat format, Exception ex) =>
        new(OcrErrorCode.CorruptImage, $"The {format.Name} image is damaged or truncated: {ex.Message}", ex);

    private static Configuration CreateConfiguration()
    {
        var configuration = Configuration.Default.Clone();
        // Decoding runs on many jobs at once; one decode fanning out over every core only adds contention.
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }

    /// <summary>A decoded, upright image whose frames are pages.</summary>
    internal sealed class DecodedImage(Image<Rgba32> image, string formatName) : IDisposable
    {
        public string FormatName { get; } = formatName;

        public int PageCount => image.Frames.Count;

        public int Width => image.Width;

        public int Height => image.Height;

        /// <summary>
        /// Page <paramref name="index"/> as RGB, alpha composed onto white, in a pooled buffer (the caller may
        /// <see cref="RgbBuffer.ReturnToPool"/> it when done).
        /// </summary>
        public RgbBuffer Page(int index)
        {
            var frame = image.Frames[index];
            var buffer = RgbBuffer.RentPage(frame.Width, frame.Height);
            frame.ProcessPixelRows(rows =>
            {
                for (var y = 0; y < rows.Height; y++)
                {
                    var source = rows.GetRowSpan(y);
                    var target = buffer.Row(y);
                    for (var x = 0; x < source.Length; x++)
                    {
                        var p = source[x];
                        var o = x * 3;
                        if (p.A == 255)
                        {
                            target[o] = p.R;
                            target[o + 1] = p.G;
                            target[o + 2] = p.B;
                        }
                        else
                        {
                            var a = p.A;
                            var white = 255 * (255 - a);
                            target[o] = (byte)(((p.R * a) + white + 127) / 255);
                            target[o + 1] = (byte)(((p.G * a) + white + 127) / 255);
                            target[o + 2] = (byte)(((p.B * a) + white + 127) / 255);
                        }
                    }
                }
            });
            return buffer;
        }

        public void Dispose() => image.Dispose();
    }
}
