using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Png;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Decodes PNG, JPEG, TIFF, BMP, GIF and WebP with ImageSharp, JPEG 2000 with OpenJPEG (<see cref="Jpeg2000Codec"/>),
/// a TIFF page in strips or tiles, uncompressed, LZW, deflate or PackBits, of 8-bit grey, palette or RGB samples, or a
/// CCITT fax, itself (<see cref="TiffStrips"/>),
/// and the scans of a PDF (<see cref="PdfPages"/>; a PDF
/// page without a scan gives its text layer instead),
/// honours EXIF orientation, flattens alpha onto white and enforces the configured limits, turning every failure
/// into a typed <see cref="OcrException"/>.
/// </summary>
internal sealed class ImageLoader(OcrEngineOptions options)
{
    /// <summary>
    /// ImageSharp's settings for decoding: one thread a decode, and pixel memory from ImageSharp's allocator without its
    /// pool of large blocks.
    /// </summary>
    /// <remarks>
    /// ImageSharp's default allocator keeps the 4 MiB blocks of large images for reuse, up to an eighth of the memory
    /// the process may use (2.9 GiB on a 24 GB host, 256 MiB under a 2 GiB container limit), and trims them only about a
    /// minute after they were last used: during a burst of pages, the blocks of the largest pages decoded at once stayed
    /// resident. A decoded page lives only until it is copied into an <see cref="RgbBuffer"/> (the pixels of a JPEG or a
    /// PNG without alpha become the buffer itself: <see cref="DecodeAllocator.TakePage"/>), so nothing gains from keeping
    /// its blocks: without the pool they go back to the native allocator as the image is disposed, where the detector's
    /// activations reuse them (the stage-1 threads share the model threads' jemalloc arena,
    /// <see cref="Engine.ModelArena"/>). Images of up to 1 MiB still come from the shared array pool. Bursts of receipt
    /// pages peak about 38 MiB lower, no slower (docs/benchmarks.md, "Decoded pages without ImageSharp's pool").
    /// </remarks>
    internal static readonly Configuration Decoding = CreateConfiguration();

    /// <summary>Checks the header and the limits without decoding: the format and the (first) page's size.</summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public (IImageFormat Format, int Width, int Height) Identify(ReadOnlyMemory<byte> encoded)
    {
        using var opened = Open(encoded);
        var (width, height) = opened.PageSize(0);
        return (opened.Format, width, height);
    }

    /// <summary>
    /// Checks the header and the limits and opens the file without decoding any pixels: an image's header is read, a
    /// PDF's cross-reference table and catalogue (its pages are parsed when asked for). The caller sizes what decoding
    /// will need from <see cref="OpenedImage.PageSize"/>, then decodes with <see cref="OpenedImage.Load"/>: a PDF is
    /// opened once for both.
    /// </summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public OpenedImage Open(ReadOnlyMemory<byte> encoded)
    {
        CheckBytes(encoded);
        if (IsPdf(encoded.Span))
        {
            return new OpenedImage(this, encoded, OpenPdf(encoded));
        }

        var stored = IdentifyImage(encoded);
        return new OpenedImage(this, encoded, stored);
    }

    // An image format ImageSharp reads: its header and size.
    private StoredImage IdentifyImage(ReadOnlyMemory<byte> encoded)
    {
        var bytes = encoded.Span;
        var format = Image.DetectFormat(Decoding, bytes);
        if (format is null && Jpeg2000Codec.HasSignature(bytes))
        {
            var (jpxWidth, jpxHeight) = Jpeg2000Codec.Identify(bytes, Jpeg2000Name);
            CheckSize(jpxWidth, jpxHeight);
            return new StoredImage(Jpeg2000Codec.Format, jpxWidth, jpxHeight, Opaque: false);
        }

        if (format is null)
        {
            throw new OcrException(OcrErrorCode.UnsupportedFormat,
                "The data is not a supported image format (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP, or a PDF).");
        }

        IImageInfo? info;
        try
        {
            using var header = MemoryBytes.AsStream(encoded);
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
        return new StoredImage(format, info.Width, info.Height, IsOpaque(format, info, bytes));
    }

    // A PDF header, and no image signature: an image is never taken for a PDF.
    /// <summary>Whether the bytes are a PDF (and no image format ImageSharp knows).</summary>
    internal static bool IsPdf(ReadOnlySpan<byte> bytes) => Image.DetectFormat(Decoding, bytes) is null && PdfPages.HasHeader(bytes);

    private void CheckBytes(ReadOnlyMemory<byte> encoded)
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
    }

    // A PDF with at least one page and no more than the limit; the caller disposes it.
    private PdfPages OpenPdf(ReadOnlyMemory<byte> encoded)
    {
        var pdf = PdfPages.Open(
            encoded, MaxPdfStreamBytes, new PageContent(options.MaxPdfPageCharacters, options.MaxPdfPageOperations),
            options.PdfPictures || options.PdfDrawnText ? options.MaxPixels : 0, imagePictures: options.PdfPictures, drawnText: options.PdfDrawnText);
        try
        {
            if (pdf.Count == 0)
            {
                throw new OcrException(OcrErrorCode.CorruptImage, "The PDF has no pages.");
            }

            CheckPageCount(pdf.Count);
            return pdf;
        }
        catch
        {
            pdf.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Checks the header, then decodes (<see cref="Open"/>, then <see cref="OpenedImage.Load"/>).
    /// </summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public DecodedImage Load(ReadOnlyMemory<byte> encoded)
    {
        using var opened = Open(encoded);
        return opened.Load();
    }

    // A PDF opened by Open: its pages decoded one at a time; the document is disposed with the result.
    private DecodedImage LoadPdf(PdfPages pdf) =>
        new(PdfPages.Format, pdf.Count, index => pdf.Tiles(index, CheckSize) is { } tiles ? ToRgb(Compose(tiles)) : DecodeScanRgb(pdf.Scan(index, CheckSize)), pdf)
        {
            ReadTextLayer = pdf.TextLayer,
            ReadTextOverScan = pdf.TextOverScan,
            ReadPictures = pdf.Pictures,
            ReadDrawnCodes = pdf.DrawnCodes,
            DecodePicture = DecodeScanRgb,
        };

    // An image whose header Open read: a multi-page TIFF page by page, any other format decoded whole (JPEG 2000 by
    // OpenJPEG, its samples copied straight into the page's buffer).
    private DecodedImage LoadImage(ReadOnlyMemory<byte> encoded, StoredImage stored)
    {
        var format = stored.Format;
        if (format == Jpeg2000Codec.Format)
        {
            return new DecodedImage(ToRgb(Jpeg2000Pixels(encoded.Span)), format);
        }

        if (format.Name == "TIFF" && TiffPages.TryRead(encoded, options.MaxPages) is { Count: > 1 } pages)
        {
            CheckPageCount(pages.Count);
            // A page TiffStrips reads is decoded in place; any other is presented as a file of its own (the file copied once).
            return new DecodedImage(format, pages.Count, index =>
                TiffStrips.TryDecode(encoded.Span, CheckSize, pages.DirectoryOf(index)) ?? pages.WithPage(index, DecodePage), owner: null);
        }

        if (stored.Opaque)
        {
            var page = DecodeRgb(encoded.Span, format, out var rgbPeakBytes);
            return new DecodedImage(page, format) { DecodePeakBytes = rgbPeakBytes };
        }

        var image = Decode<Rgba32>(encoded.Span, format, out var peakBytes);
        try
        {
            CheckPageCount(image.Frames.Count);
            return new DecodedImage(image, format) { DecodePeakBytes = peakBytes };
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private const string Jpeg2000Name = "The JPEG 2000 image";

    // A JPEG 2000 file or codestream as 8-bit grey or RGB samples; its size checked again (as the header gave it) and its
    // samples within the decode's memory cap before anything is decoded.
    private Jpeg2000Codec.Pixels Jpeg2000Pixels(ReadOnlySpan<byte> data) =>
        Jpeg2000Codec.Decode(data, cmyk: false, Jpeg2000Name, DecodeLimitBytes, (width, height) =>
        {
            CheckSize(width, height);
            return true;
        })!;

    /// <summary>
    /// Bytes per page pixel one decode may hold: the decoded RGBA page (4) plus what the decoders need beside it.
    /// Measured peaks per pixel of one page: BMP, GIF and PNG with alpha 4.0-4.3, lossy WebP 8.1, lossless WebP 12.4
    /// (docs/benchmarks.md, "A memory cap on every decode"); decoded straight to RGB, a JPEG 3.2 (6.0 turned upright by its
    /// EXIF orientation), a PNG without alpha 3.3 (docs/benchmarks.md, "JPEG pages decoded straight into their RGB
    /// buffer") and a TIFF page without extra samples 3.0 (4.0 before; "TIFF pages decoded straight"); 16 leaves room
    /// above the largest.
    /// </summary>
    public const int DecodeBytesPerPixel = 16;

    /// <summary>
    /// The most one stream of a PDF may decode to: 4 bytes per pixel of the largest page allowed (Ocr:MaxPixels), what a
    /// CMYK scan of that size needs.
    /// </summary>
    public long MaxPdfStreamBytes => options.MaxPixels > long.MaxValue / 4 ? long.MaxValue : options.MaxPixels * 4;

    /// <summary>
    /// The most one decode may hold at once: <see cref="DecodeBytesPerPixel"/> per pixel of the largest page
    /// allowed (Ocr:MaxPixels), whatever the number of frames.
    /// </summary>
    public long DecodeLimitBytes =>
        options.MaxPixels > long.MaxValue / DecodeBytesPerPixel ? long.MaxValue : options.MaxPixels * DecodeBytesPerPixel;

    // Pixels without alpha, decoded straight to RGB (DecodeRgb): a JPEG, a PNG of RGB or grey samples without a
    // transparent colour (its header says so), and a TIFF of one page without extra samples (TIFF's only way to carry
    // alpha; a multi-page TIFF is presented page by page as such files). Any other image may carry alpha, composed onto
    // white (ToRgb); a PNG palette's transparency is left to that path too.
    private static bool IsOpaque(IImageFormat format, IImageInfo info, ReadOnlySpan<byte> bytes) =>
        format.Name == "JPEG"
        || (format.Name == "PNG" && info.Metadata.GetPngMetadata() is { HasTransparency: false, ColorType: PngColorType.Rgb or PngColorType.Grayscale })
        || (format.Name == "TIFF" && TiffPages.IsOnePageWithoutExtraSamples(bytes));

    // An image's header as IdentifyImage read it.
    internal readonly record struct StoredImage(IImageFormat Format, int Width, int Height, bool Opaque);

    // An image without alpha (IsOpaque) decoded to RGB, turned and checked as Decode does, in memory the page
    // keeps (DecodeAllocator.TakePage): the decode holds 3 bytes a pixel, and the page is not copied. A small image (its
    // rows from a pool) is copied. A TIFF page in strips or tiles, uncompressed, LZW, deflate or PackBits, of 8-bit grey,
    // palette or RGB samples, or a CCITT fax (a scanner's usual output) is decoded without ImageSharp (TiffStrips).
    private RgbBuffer DecodeRgb(ReadOnlySpan<byte> bytes, IImageFormat format, out long peakBytes, int clockwiseTurn = -1)
    {
        if (format.Name == "TIFF" && clockwiseTurn <= 0 && TiffStrips.TryDecode(bytes, CheckSize) is { } strips)
        {
            peakBytes = (long)strips.Stride * strips.Height;
            return strips;
        }

        var allocator = new DecodeAllocator(Decoding.MemoryAllocator, DecodeLimitBytes, rgbPages: true);
        using var image = Decode<Rgb24>(bytes, format, out peakBytes, clockwiseTurn, allocator);
        return allocator.TakePage(image) ?? ToRgb(image.Frames.RootFrame);
    }

    // Decodes (every frame), turns it upright and checks the limits again (EXIF rotation swaps the sides). The
    // decode's allocations are counted and capped (DecodeAllocator): a file whose frames together need more than
    // the largest allowed page fails as too large instead of exhausting memory.
    // A PDF's scan is shown as the page places it: the page's turn, and no EXIF orientation (PDF viewers ignore it).
    private Image<TPixel> Decode<TPixel>(
        ReadOnlySpan<byte> bytes, IImageFormat format, out long peakBytes, int clockwiseTurn = -1, DecodeAllocator? allocator = null)
        where TPixel : unmanaged, IPixel<TPixel>
    {
        if (format.Name == "TIFF" && (TiffPages.SampleDamage(bytes) ?? TiffPages.JpegDamage(bytes)) is { } damage)
        {
            throw new OcrException(OcrErrorCode.CorruptImage, $"The TIFF image is damaged: {damage}.");
        }

        var configuration = Decoding.Clone();
        allocator ??= new DecodeAllocator(Decoding.MemoryAllocator, DecodeLimitBytes);
        configuration.MemoryAllocator = allocator;
        configuration.PreferContiguousImageBuffers = typeof(TPixel) == typeof(Rgb24);
        Image<TPixel> image;
        try
        {
            image = Image.Load<TPixel>(configuration, bytes);
        }
        catch (Exception ex) when (IsLimitExceeded(ex))
        {
            throw TooLargeToDecode(format, allocator);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            throw Corrupt(format, ex);
        }

        try
        {
            if (clockwiseTurn < 0)
            {
                image.Mutate(x => x.AutoOrient());
            }
            else if (clockwiseTurn > 0)
            {
                image.Mutate(x => x.Rotate(clockwiseTurn));
            }

            CheckSize(image.Width, image.Height);
            peakBytes = allocator.PeakBytes;
            return image;
        }
        catch (Exception ex) when (IsLimitExceeded(ex))
        {
            image.Dispose();
            throw TooLargeToDecode(format, allocator);
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    // ImageSharp may wrap the allocator's refusal (InvalidImageContentException around it).
    private static bool IsLimitExceeded(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is DecodeLimitExceededException)
            {
                return true;
            }
        }

        return false;
    }

    private OcrException TooLargeToDecode(IImageFormat format, DecodeAllocator allocator) =>
        new(OcrErrorCode.ImageTooLarge,
            $"Decoding the {format.Name} image needs more than {allocator.LimitBytes / (1024 * 1024)} MiB ({DecodeBytesPerPixel} bytes per pixel " +
            $"of the largest page allowed, Ocr:MaxPixels = {options.MaxPixels}): its frames together are larger than one page may be.");

    // One page of a multi-page TIFF: its own header is checked before it is decoded, straight to RGB when it has no
    // extra samples.
    private RgbBuffer DecodePage(byte[] singlePage)
    {
        var stored = IdentifyImage(singlePage);
        return stored.Opaque ? DecodeRgb(singlePage, stored.Format, out _) : ToRgb(Decode<Rgba32>(singlePage, stored.Format, out _));
    }

    // A PDF's scan or picture as RGB: one without alpha or a soft mask decoded straight to RGB, any other composed onto
    // white.
    private RgbBuffer DecodeScanRgb(PageScan scan)
    {
        if (scan.Samples is { } samples)
        {
            return samples.ToRgb(scan.ClockwiseTurn);
        }

        var stored = IdentifyImage(scan.Encoded);
        if (!scan.SoftMask.IsEmpty || !stored.Opaque)
        {
            return ToRgb(DecodeScan(scan, stored));
        }

        CheckDeclaredSize(scan, stored);
        return DecodeRgb(scan.Encoded.Span, stored.Format, out _, scan.ClockwiseTurn);
    }

    // A piece of a scan in strips or tiles (Compose); one given as samples is written out and copied to an image.
    private Image<Rgba32> DecodeScan(PageScan scan)
    {
        if (scan.Samples is not { } samples)
        {
            return DecodeScan(scan, IdentifyImage(scan.Encoded));
        }

        var rgb = samples.ToRgb(scan.ClockwiseTurn);
        try
        {
            using var image = Image.LoadPixelData<Rgb24>(Decoding, rgb.Data[..(rgb.Stride * rgb.Height)], rgb.Width, rgb.Height);
            return image.CloneAs<Rgba32>(Decoding);
        }
        finally
        {
            rgb.Release();
        }
    }

    // One page of a PDF: the scan's own header is checked (its size was checked before it was extracted), then
    // it is decoded and turned as the page shows it.
    // A JPEG whose own header makes it larger than the PDF says is refused before it is decoded: the limits and the memory
    // lease were reckoned from the PDF's size (a 60-megapixel JPEG filed as 100 x 100 would otherwise be decoded under a
    // lease for 10,000 pixels).
    private Image<Rgba32> DecodeScan(PageScan scan, StoredImage stored)
    {
        var format = stored.Format;
        CheckDeclaredSize(scan, stored);
        if (scan.SoftMask.IsEmpty)
        {
            return Decode<Rgba32>(scan.Encoded.Span, format, out _, scan.ClockwiseTurn);
        }

        // The mask is in the stored image's pixels: applied before the turn.
        var image = Decode<Rgba32>(scan.Encoded.Span, format, out _, clockwiseTurn: 0);
        try
        {
            WithOpacity(image, scan.SoftMask);
            if (scan.ClockwiseTurn > 0)
            {
                image.Mutate(x => x.Rotate(scan.ClockwiseTurn));
            }

            return image;
        }
        catch
        {
            image.Dispose();
            throw;
        }
    }

    private static void CheckDeclaredSize(PageScan scan, StoredImage stored)
    {
        if (scan.Declared is var (declaredWidth, declaredHeight) && declaredWidth > 0 && declaredHeight > 0
            && (long)stored.Width * stored.Height > (long)declaredWidth * declaredHeight)
        {
            throw new OcrException(OcrErrorCode.CorruptImage,
                $"An image on page {scan.PageNumber} of the PDF holds {stored.Width} x {stored.Height} pixels where the file says {declaredWidth} x {declaredHeight}: the PDF is damaged.");
        }
    }

    // A soft mask (a greyscale PNG, 255 opaque) as the image's alpha, stretched to it where its size differs: the page is
    // then composed onto white as any picture with alpha (ToRgb). A mask that cannot be decoded leaves the image opaque.
    private void WithOpacity(Image<Rgba32> image, ReadOnlyMemory<byte> mask)
    {
        Image<L8> opacity;
        try
        {
            opacity = Image.Load<L8>(Decoding, mask.Span);
        }
        catch (Exception ex) when (IsDecodeFailure(ex))
        {
            return;
        }

        using (opacity)
        {
            if (opacity.Width != image.Width || opacity.Height != image.Height)
            {
                opacity.Mutate(x => x.Resize(image.Width, image.Height, KnownResamplers.NearestNeighbor));
            }

            image.ProcessPixelRows(opacity, (colours, alphas) =>
            {
                for (var y = 0; y < colours.Height; y++)
                {
                    var row = colours.GetRowSpan(y);
                    var alpha = alphas.GetRowSpan(y);
                    for (var x = 0; x < row.Length; x++)
                    {
                        row[x].A = alpha[x].PackedValue;
                    }
                }
            });
        }
    }

    // A scan stored in pieces: each piece decoded (one at a time), scaled to its place and drawn onto a white page of the
    // size already checked.
    private Image<Rgba32> Compose(TiledScan tiles)
    {
        var page = new Image<Rgba32>(Decoding, tiles.Width, tiles.Height, Color.White);
        try
        {
            foreach (var piece in tiles.Pieces)
            {
                if (piece.X >= tiles.Width || piece.Y >= tiles.Height || piece.X + piece.Width <= 0 || piece.Y + piece.Height <= 0)
                {
                    continue; // off the page (a damaged file's placement): it would draw nothing, and ImageSharp refuses to try
                }

                using var tile = DecodeScan(piece.Scan);
                if (tile.Width != piece.Width || tile.Height != piece.Height)
                {
                    tile.Mutate(x => x.Resize(piece.Width, piece.Height));
                }

                // A stencil mask paints in its ink (black here, the colour it is drawn in not being known) and leaves the rest:
                // multiplied, its white leaves the page under it as it is.
                page.Mutate(x => x.DrawImage(tile, new Point(piece.X, piece.Y), piece.Stencil ? PixelColorBlendingMode.Multiply : PixelColorBlendingMode.Normal, 1f));
            }

            return page;
        }
        catch
        {
            page.Dispose();
            throw;
        }
    }

    private void CheckPageCount(int pages)
    {
        if (pages > options.MaxPages)
        {
            throw new OcrException(OcrErrorCode.ImageTooLarge,
                pages == options.MaxPages + 1
                    ? $"The image has more than {options.MaxPages} pages; the limit is Ocr:MaxPages."
                    : $"The image has {pages} pages; the limit (Ocr:MaxPages) is {options.MaxPages}.");
        }
    }

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

    // ImageSharp 2.1 also fails on some damaged files with what its own code trips over (found by DamagedFileTests): a
    // null frame in the JPEG header reader (NullReferenceException from JpegDecoderCore.Identify), a BMP palette of no
    // colours (DivideByZeroException), a TIFF strip's damaged deflate data (InvalidDataException from the inflater, which
    // its TIFF decoder lets through). Only its calls are inside these catches.
    internal static bool IsDecodeFailure(Exception ex) =>
        ex is ImageFormatException or InvalidImageContentException or NotSupportedException
            or InvalidOperationException or IndexOutOfRangeException or ArgumentException or EndOfStreamException
            or NullReferenceException or ArithmeticException or InvalidDataException;

    private static OcrException Corrupt(IImageFormat format, Exception ex) =>
        new(OcrErrorCode.CorruptImage, $"The {format.Name} image is damaged or truncated: {ex.Message}", ex);

    private static Configuration CreateConfiguration()
    {
        NestedTiffGuard.Install();
        var configuration = Configuration.Default.Clone();
        // Decoding runs on many jobs at once; one decode fanning out over every core only adds contention.
        configuration.MaxDegreeOfParallelism = 1;
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions { MaximumPoolSizeMegabytes = 0 });
        return configuration;
    }

    /// <summary>
    /// A file whose header and limits are checked and nothing decoded yet (<see cref="Open"/>): its format, the size of
    /// a page, and <see cref="Load"/>, which decodes it. A PDF stays open from one to the other; disposing this closes
    /// it unless <see cref="Load"/> handed it on.
    /// </summary>
    internal sealed class OpenedImage : IDisposable
    {
        private readonly ImageLoader _loader;
        private readonly ReadOnlyMemory<byte> _encoded;
        private readonly (int Width, int Height) _size;
        private readonly StoredImage _stored;
        private PdfPages? _pdf;
        private bool _loaded;

        public OpenedImage(ImageLoader loader, ReadOnlyMemory<byte> encoded, PdfPages pdf)
        {
            (_loader, _encoded, _pdf, Format) = (loader, encoded, pdf, PdfPages.Format);
        }

        public OpenedImage(ImageLoader loader, ReadOnlyMemory<byte> encoded, StoredImage stored)
        {
            (_loader, _encoded, _stored, Format, _size) = (loader, encoded, stored, stored.Format, (stored.Width, stored.Height));
        }

        public IImageFormat Format { get; }

        /// <summary>
        /// The size of page <paramref name="index"/> (0-based) as it will be decoded, limits checked: a PDF page's scan as
        /// the page shows it (past the last page, the last page's); for an image, the first frame's, whatever the index.
        /// </summary>
        /// <exception cref="OcrException">The page is damaged or over the limits.</exception>
        public (int Width, int Height) PageSize(int index)
        {
            if (_pdf is null)
            {
                return _size;
            }

            var (width, height) = _pdf.ShownSize(Math.Clamp(index, 0, _pdf.Count - 1));
            _loader.CheckSize(width, height);
            return (width, height);
        }

        /// <summary>
        /// The size of the largest picture read on page <paramref name="index"/> (0-based) of a PDF when the page has no scan
        /// (<see cref="PdfPages.Pictures"/>), read without decoding anything; (0, 0) when there is none.
        /// </summary>
        /// <exception cref="OcrException">The page is damaged.</exception>
        public (int Width, int Height) LargestPicture(int index) =>
            _pdf is null || index >= _pdf.Count || _pdf.Pictures(index).MaxBy(p => (long)p.Width * p.Height) is not { } largest
                ? (0, 0)
                : (largest.Width, largest.Height);

        /// <summary>Decodes the file (once); the result owns what this held.</summary>
        /// <exception cref="OcrException">The image is corrupt, over the limits or unreadable.</exception>
        public DecodedImage Load()
        {
            if (_loaded)
            {
                throw new InvalidOperationException("The image was loaded already.");
            }

            _loaded = true;
            if (_pdf is { } pdf)
            {
                _pdf = null;
                return _loader.LoadPdf(pdf);
            }

            return _loader.LoadImage(_encoded, _stored);
        }

        public void Dispose()
        {
            _pdf?.Dispose();
            _pdf = null;
        }
    }

    /// <summary>
    /// A decoded, upright image whose frames are pages; or a multi-page TIFF or a PDF whose pages are decoded one at
    /// a time by <see cref="Page"/> (not thread-safe).
    /// </summary>
    internal sealed class DecodedImage : IDisposable
    {
        private readonly Image<Rgba32>? _image;
        private readonly Func<int, RgbBuffer>? _decodePage;
        private readonly IDisposable? _owner;
        private RgbBuffer? _page;
        private bool _pageTaken;

        /// <summary>A file decoded whole: its frames are the pages.</summary>
        public DecodedImage(Image<Rgba32> image, IImageFormat format)
        {
            _image = image;
            FormatName = format.Name;
            PageCount = image.Frames.Count;
        }

        /// <summary>A file of one page decoded straight to RGB (a JPEG, a PNG without alpha): <see cref="Page"/> hands <paramref name="page"/> on.</summary>
        public DecodedImage(RgbBuffer page, IImageFormat format)
        {
            _page = page;
            FormatName = format.Name;
            PageCount = 1;
        }

        /// <summary>A file decoded page by page: <paramref name="decodePage"/> decodes one; <paramref name="owner"/> is disposed with this.</summary>
        public DecodedImage(IImageFormat format, int pageCount, Func<int, RgbBuffer> decodePage, IDisposable? owner)
        {
            _decodePage = decodePage;
            _owner = owner;
            FormatName = format.Name;
            PageCount = pageCount;
        }

        public string FormatName { get; }

        public int PageCount { get; }

        /// <summary>A PDF's: page index to its text layer, or null for a page with a scan (<see cref="PdfPages.TextLayer"/>).</summary>
        public Func<int, TextLayerPage?>? ReadTextLayer { private get; init; }

        /// <summary>
        /// The text layer of page <paramref name="index"/> when it is a PDF page without a scan (read it instead of decoding
        /// the page); null for every other page.
        /// </summary>
        /// <exception cref="OcrException">The PDF page is damaged, or has neither a scan nor readable text.</exception>
        public TextLayerPage? TextLayer(int index) => ReadTextLayer?.Invoke(index);

        /// <summary>A PDF's: page index to the visible text drawn over its scan (<see cref="PdfPages.TextOverScan"/>).</summary>
        public Func<int, IReadOnlyList<TextLayerLine>>? ReadTextOverScan { private get; init; }

        /// <summary>
        /// The visible text drawn over page <paramref name="index"/>'s scan when it is a PDF page, in the scan's pixels as
        /// shown; empty for every other page.
        /// </summary>
        public IReadOnlyList<TextLayerLine> TextOverScan(int index) => ReadTextOverScan?.Invoke(index) ?? [];

        /// <summary>A PDF's: page index to the pictures on it when it has no scan (<see cref="PdfPages.Pictures"/>).</summary>
        public Func<int, IReadOnlyList<PagePicture>>? ReadPictures { private get; init; }

        /// <summary>A PDF's: page index to the codes drawn on it with vectors when it has no scan (<see cref="PdfPages.DrawnCodes"/>).</summary>
        public Func<int, CancellationToken, IReadOnlyList<RecognizedBarcode>>? ReadDrawnCodes { private get; init; }

        /// <summary>
        /// The barcodes and QR codes drawn with vectors on page <paramref name="index"/> when it is a PDF page without a scan
        /// (<see cref="PdfDrawnCodes"/>), in points from its top-left corner as shown. Empty for every other page.
        /// </summary>
        /// <exception cref="OcrException">The PDF page is damaged.</exception>
        public IReadOnlyList<RecognizedBarcode> DrawnCodes(int index, CancellationToken cancellationToken = default) =>
            ReadDrawnCodes?.Invoke(index, cancellationToken) ?? [];

        /// <summary>A PDF's: decodes one of its pictures' encoded images, shown as the page shows it.</summary>
        public Func<PageScan, RgbBuffer>? DecodePicture { private get; init; }

        /// <summary>
        /// The pictures on page <paramref name="index"/> when it is a PDF page without a scan (<see cref="PdfPages.Pictures"/>),
        /// still encoded: each one's <see cref="PagePicture.Encode"/> gives its image as stored, <see cref="Picture"/> decodes that.
        /// Empty for every other page.
        /// </summary>
        /// <exception cref="OcrException">The PDF page is damaged.</exception>
        public IReadOnlyList<PagePicture> Pictures(int index) => ReadPictures?.Invoke(index) ?? [];

        /// <summary>
        /// The encoded image of one of <see cref="Pictures"/> as RGB, as the page shows it, alpha composed onto white, in a
        /// rented buffer (release it, as a page's).
        /// </summary>
        /// <exception cref="OcrException">The picture is corrupt, over the limits or unreadable.</exception>
        public RgbBuffer Picture(PageScan picture)
        {
            var pixels = (DecodePicture ?? throw new InvalidOperationException("Not a PDF."))(picture);
            pixels.Drawn = picture.Drawn;
            return pixels;
        }

        /// <summary>
        /// The most the decode held at once, turning upright included (<see cref="DecodeAllocator.PeakBytes"/>); null for a
        /// multi-page TIFF or a PDF, whose pages are decoded one at a time later, and for JPEG 2000 (OpenJPEG's memory).
        /// </summary>
        public long? DecodePeakBytes { get; init; }

        /// <summary>
        /// Page <paramref name="index"/> as RGB, alpha composed onto white, in a rented buffer: release it
        /// (<see cref="RgbBuffer.Release"/>) when done; one that is not is freed when it is collected. A file decoded straight
        /// to RGB (a JPEG, a PNG without alpha) hands its one page on: it is asked for once.
        /// </summary>
        /// <exception cref="OcrException">A page of a multi-page TIFF or a PDF is corrupt, over the limits or unreadable.</exception>
        public RgbBuffer Page(int index)
        {
            if (_decodePage is not null)
            {
                return _decodePage(index);
            }

            if (_image is not null)
            {
                return ToRgb(_image.Frames[index]);
            }

            ArgumentOutOfRangeException.ThrowIfNotEqual(index, 0);
            var page = _page;
            _page = null;
            if (page is null)
            {
                throw new ObjectDisposedException(nameof(DecodedImage), _pageTaken
                    ? "The page was handed on already: a file decoded straight to RGB gives its page once."
                    : "The decoded pixels were released.");
            }

            _pageTaken = true;
            return page;
        }

        /// <summary>
        /// Frees a file decoded whole (a PNG, a GIF's frames) once the pages wanted are RGB: its pixels are four bytes
        /// each, more than the page's own copy, and would otherwise be held while the page is read. <see cref="Page"/> is
        /// not to be called after it for such a file; a page decoded straight to RGB and not yet handed on is released; a file decoded page by
        /// page (a multi-page TIFF, a PDF) holds no pixels between pages, and is untouched.
        /// </summary>
        public void ReleasePixels()
        {
            _image?.Dispose();
            _page?.Release();
            _page = null;
        }

        public void Dispose()
        {
            ReleasePixels();
            _owner?.Dispose();
        }
    }

    // An image decoded with alpha, as RGB composed onto white (ToRgb), then freed.
    private static RgbBuffer ToRgb(Image<Rgba32> image)
    {
        using (image)
        {
            return ToRgb(image.Frames.RootFrame);
        }
    }

    // OpenJPEG's grey or RGB samples in a rented buffer (before, they were written out as a PNG and decoded again).
    private static RgbBuffer ToRgb(Jpeg2000Codec.Pixels pixels)
    {
        var buffer = RgbBuffer.Rent(pixels.Width, pixels.Height);
        var samples = pixels.Samples.AsSpan();
        if (pixels.Channels == 3)
        {
            samples[..(pixels.Width * pixels.Height * 3)].CopyTo(buffer.Data);
            return buffer;
        }

        for (var y = 0; y < pixels.Height; y++)
        {
            var grey = samples.Slice(y * pixels.Width, pixels.Width);
            var row = buffer.Row(y);
            for (var x = 0; x < grey.Length; x++)
            {
                row[(x * 3) + 2] = row[(x * 3) + 1] = row[x * 3] = grey[x];
            }
        }

        return buffer;
    }

    // An RGB image's rows copied into a rented buffer (one too small for DecodeAllocator.TakePage).
    private static RgbBuffer ToRgb(ImageFrame<Rgb24> frame)
    {
        var buffer = RgbBuffer.Rent(frame.Width, frame.Height);
        frame.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                MemoryMarshal.AsBytes(rows.GetRowSpan(y)).CopyTo(buffer.Row(y));
            }
        });
        return buffer;
    }

    // A decoded frame as RGB, alpha composed onto white.
    private static RgbBuffer ToRgb(ImageFrame<Rgba32> frame)
    {
        var buffer = RgbBuffer.Rent(frame.Width, frame.Height);
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
}
