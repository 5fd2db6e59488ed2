using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp.Formats;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Decodes JPEG 2000 (a PDF's <c>/JPXDecode</c> images, as archives, libraries and some scanners write them) with
/// OpenJPEG, the reference decoder poppler and PDFium use, loaded from the system at run time (Debian's
/// <c>libopenjp2-7</c>; the worker's image installs it). A JP2 file or a bare codestream; its size is read from the header
/// and checked before anything is decoded. The result is 8 bits a sample, grey or RGB: YCC and CMYK are turned into RGB,
/// alpha is left out, other precisions scaled.
/// </summary>
internal static unsafe class Jpeg2000Codec
{
    private static readonly Lazy<Library?> Loaded = new(Library.Load);

    /// <summary>Whether OpenJPEG was found on this machine.</summary>
    public static bool IsAvailable => Loaded.Value is not null;

    /// <summary>What to install where OpenJPEG is missing.</summary>
    public const string Missing = "JPEG 2000 images need OpenJPEG's library (libopenjp2.so.7; Debian and Ubuntu: apt-get install libopenjp2-7)";

    /// <summary>Bytes OpenJPEG holds a decoded pixel in, a sample (a 32-bit integer), besides the code stream's own.</summary>
    private const int DecodeBytesPerSample = 4;

    private static ReadOnlySpan<byte> Jp2Signature => [0, 0, 0, 0x0C, (byte)'j', (byte)'P', 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A];

    private static ReadOnlySpan<byte> CodestreamSignature => [0xFF, 0x4F, 0xFF, 0x51];

    /// <summary>The format JPEG 2000 files are reported as (lower-cased: <c>jpeg2000</c>).</summary>
    public static IImageFormat Format { get; } = new Jpeg2000Format();

    /// <summary>Whether the bytes start as a JP2 file or a JPEG 2000 codestream does.</summary>
    public static bool HasSignature(ReadOnlySpan<byte> data) => data.StartsWith(Jp2Signature) || data.StartsWith(CodestreamSignature);

    /// <summary>The size the header of <paramref name="data"/> gives, nothing decoded.</summary>
    /// <exception cref="OcrException">The library is missing, or the header is damaged or not JPEG 2000.</exception>
    public static (int Width, int Height) Identify(ReadOnlySpan<byte> data, string name)
    {
        var size = (0, 0);
        Decode(data, cmyk: false, name, long.MaxValue, (width, height) =>
        {
            size = (width, height);
            return false;
        });
        return size;
    }

    /// <summary>
    /// Decodes <paramref name="data"/>. <paramref name="accept"/> sees the size from the header before anything is decoded,
    /// and throws to refuse it, or answers false to stop there (null is returned); then an image whose samples OpenJPEG
    /// would hold in more than <paramref name="maxBytes"/> is refused as too large.
    /// </summary>
    /// <param name="data">A JP2 file or a codestream.</param>
    /// <param name="cmyk">The samples are CMYK whatever the file says (a PDF's <c>/DeviceCMYK</c>).</param>
    /// <param name="name">The image as messages name it ("The JPEG 2000 image on page 2 of the PDF").</param>
    /// <param name="maxBytes">The most the decoded samples may take (4 bytes each).</param>
    /// <param name="accept">Checks the size: throws to refuse it; false: decode nothing.</param>
    /// <exception cref="OcrException">The library is missing, the data is damaged or not JPEG 2000, or it is too large.</exception>
    public static Pixels? Decode(ReadOnlySpan<byte> data, bool cmyk, string name, long maxBytes, Func<int, int, bool> accept)
    {
        var library = Loaded.Value ?? throw new OcrException(OcrErrorCode.UnsupportedFormat, $"{name} cannot be decoded: {Missing}, and it is not installed here.");
        var codecFormat = data.StartsWith(Jp2Signature) ? 2 : data.StartsWith(CodestreamSignature) ? 0
            : throw new OcrException(OcrErrorCode.CorruptImage, $"{name} is neither a JP2 file nor a JPEG 2000 codestream.");

        var messages = new List<string>();
        var handle = GCHandle.Alloc(messages);
        IntPtr codec = 0, stream = 0;
        Image* image = null;
        var parameters = NativeMemory.AllocZeroed(ParametersBytes);
        fixed (byte* bytes = data)
        {
            var source = new Source { Data = bytes, Length = data.Length };
            try
            {
                codec = library.CreateDecompress(codecFormat);
                if (codec == 0)
                {
                    throw Failed(name, messages, "its decoder could not be made");
                }

                library.SetErrorHandler(codec, &OnMessage, GCHandle.ToIntPtr(handle));
                library.SetDefaultParameters(parameters);
                if (library.SetupDecoder(codec, parameters) == 0)
                {
                    throw Failed(name, messages, "its decoder could not be set up");
                }

                library.SetThreads(codec, 1);
                stream = library.CreateStream(&source);
                if (stream == 0 || library.ReadHeader(stream, codec, &image) == 0 || image == null)
                {
                    throw Failed(name, messages, "its header cannot be read");
                }

                var width = checked((int)(image->X1 - image->X0));
                var height = checked((int)(image->Y1 - image->Y0));
                if (width <= 0 || height <= 0 || image->NumComps == 0)
                {
                    throw Failed(name, messages, $"its header says {width} x {height} pixels of {image->NumComps} samples");
                }

                if (!accept(width, height))
                {
                    return null;
                }

                if ((long)width * height * image->NumComps * DecodeBytesPerSample > maxBytes)
                {
                    throw new OcrException(OcrErrorCode.ImageTooLarge,
                        $"{name} ({width} x {height} pixels of {image->NumComps} samples) needs more than {maxBytes / (1024 * 1024)} MiB to decode " +
                        "(16 bytes per pixel of the largest page allowed, Ocr:MaxPixels).");
                }

                if (library.Decode(codec, stream, image) == 0 || library.EndDecompress(codec, stream) == 0)
                {
                    throw Failed(name, messages, "it is damaged");
                }

                return Convert(image, cmyk) ?? throw Failed(name, messages, "its samples do not make an image");
            }
            finally
            {
                if (stream != 0)
                {
                    library.DestroyStream(stream);
                }

                if (codec != 0)
                {
                    library.DestroyCodec(codec);
                }

                if (image != null)
                {
                    library.DestroyImage(image);
                }

                NativeMemory.Free(parameters);
                handle.Free();
            }
        }
    }

    /// <summary>Decoded pixels: 8 bits a sample, <see cref="Channels"/> (1: grey, 3: RGB) samples a pixel, rows one after another.</summary>
    internal sealed record Pixels(int Width, int Height, int Channels, byte[] Samples);

    // The colour samples (alpha left out) as 8-bit grey or RGB, at the first sample's size (the others, subsampled,
    // stretched to it); null where a sample has no data or a precision past 31 bits.
    private static Pixels? Convert(Image* image, bool cmyk)
    {
        var colours = new List<int>();
        for (var c = 0; c < image->NumComps; c++)
        {
            var comp = image->Comps[c];
            if (comp.Data == null || comp.W == 0 || comp.H == 0 || comp.Prec is 0 or > 31)
            {
                return null;
            }

            if (comp.Alpha == 0)
            {
                colours.Add(c);
            }
        }

        if (colours.Count == 0)
        {
            return null;
        }

        var first = image->Comps[colours[0]];
        int width = (int)first.W, height = (int)first.H;
        var isCmyk = colours.Count >= 4 && (cmyk || image->ColorSpace == ColourSpaceCmyk);
        var channels = colours.Count >= 3 ? 3 : 1;
        var samples = new byte[(long)width * height * channels];
        var used = isCmyk ? 4 : channels;
        var comps = new Component[used];
        var rows = new int[used][];
        var columns = new int[used][];
        for (var i = 0; i < used; i++)
        {
            var comp = comps[i] = image->Comps[colours[i]];
            rows[i] = [.. Enumerable.Range(0, height).Select(y => (int)Math.Min(comp.H - 1, (long)y * comp.H / height))];
            columns[i] = [.. Enumerable.Range(0, width).Select(x => (int)Math.Min(comp.W - 1, (long)x * comp.W / width))];
        }

        Span<byte> value = stackalloc byte[4];
        for (var y = 0; y < height; y++)
        {
            for (var x = 0; x < width; x++)
            {
                for (var i = 0; i < used; i++)
                {
                    var comp = comps[i];
                    value[i] = Eight(comp.Data[((long)rows[i][y] * comp.W) + columns[i][x]], (int)comp.Prec, comp.Sgnd != 0);
                }

                var at = ((long)y * width + x) * channels;
                if (channels == 1)
                {
                    samples[at] = value[0];
                }
                else if (isCmyk)
                {
                    var k = 255 - value[3];
                    samples[at] = (byte)((255 - value[0]) * k / 255);
                    samples[at + 1] = (byte)((255 - value[1]) * k / 255);
                    samples[at + 2] = (byte)((255 - value[2]) * k / 255);
                }
                else if (image->ColorSpace == ColourSpaceSycc)
                {
                    double luma = value[0], cb = value[1] - 128, cr = value[2] - 128;
                    samples[at] = Clamp(luma + (1.402 * cr));
                    samples[at + 1] = Clamp(luma - (0.344136 * cb) - (0.714136 * cr));
                    samples[at + 2] = Clamp(luma + (1.772 * cb));
                }
                else
                {
                    samples[at] = value[0];
                    samples[at + 1] = value[1];
                    samples[at + 2] = value[2];
                }
            }
        }

        return new Pixels(width, height, channels, samples);
    }

    // A sample of `precision` bits (signed ones offset to start at 0) as 8 bits.
    private static byte Eight(int sample, int precision, bool signed)
    {
        long v = sample + (signed ? 1L << (precision - 1) : 0);
        var max = (1L << precision) - 1;
        v = Math.Clamp(v, 0, max);
        return (byte)(precision == 8 ? v : (v * 255 + (max / 2)) / max);
    }

    private static byte Clamp(double v) => (byte)Math.Clamp(Math.Round(v), 0, 255);

    private const int ColourSpaceSycc = 3, ColourSpaceCmyk = 5;

    // opj_dparameters_t is 8,272 bytes with OpenJPEG 2.5's 4,096-byte path buffers; the buffer leaves room for more.
    private const int ParametersBytes = 16 * 1024;

    // opj_image_t and opj_image_comp_t (OpenJPEG 2.x).
    [StructLayout(LayoutKind.Sequential)]
    private struct Image
    {
        public uint X0, Y0, X1, Y1;
        public uint NumComps;
        public int ColorSpace;
        public Component* Comps;
        public byte* IccProfile;
        public uint IccProfileLength;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Component
    {
        public uint Dx, Dy, W, H, X0, Y0, Prec, Bpp, Sgnd, ResnoDecoded, Factor;
        public int* Data;
        public ushort Alpha;
    }

    // The bytes OpenJPEG reads through the stream's callbacks.
    [StructLayout(LayoutKind.Sequential)]
    private struct Source
    {
        public byte* Data;
        public long Length;
        public long Position;
    }

    [UnmanagedCallersOnly]
    private static nuint Read(void* buffer, nuint count, Source* source)
    {
        var left = source->Length - source->Position;
        if (left <= 0)
        {
            return unchecked((nuint)(-1));
        }

        var n = (long)Math.Min((ulong)left, count);
        Buffer.MemoryCopy(source->Data + source->Position, buffer, (long)count, n);
        source->Position += n;
        return (nuint)n;
    }

    [UnmanagedCallersOnly]
    private static long Skip(long count, Source* source)
    {
        if (count > 0 && source->Position >= source->Length)
        {
            return -1;
        }

        var to = Math.Clamp(source->Position + count, 0, source->Length);
        var skipped = to - source->Position;
        source->Position = to;
        return skipped;
    }

    [UnmanagedCallersOnly]
    private static int Seek(long offset, Source* source)
    {
        if (offset < 0 || offset > source->Length)
        {
            return 0;
        }

        source->Position = offset;
        return 1;
    }

    [UnmanagedCallersOnly]
    private static void OnMessage(byte* message, IntPtr data)
    {
        if (data != 0 && GCHandle.FromIntPtr(data).Target is List<string> messages && messages.Count < 8)
        {
            messages.Add((Marshal.PtrToStringUTF8((IntPtr)message) ?? "").Trim());
        }
    }

    private static OcrException Failed(string name, List<string> messages, string what) =>
        new(OcrErrorCode.CorruptImage,
            $"{name} cannot be decoded: {what}{(messages.Count == 0 ? "" : $" (OpenJPEG: {string.Join("; ", messages)})")}.");

    // The library's entry points, found once.
    private sealed class Library
    {
        private const int StreamBufferBytes = 64 * 1024;

        private readonly delegate* unmanaged<int, IntPtr> _createDecompress;
        private readonly delegate* unmanaged<IntPtr, void> _destroyCodec;
        private readonly delegate* unmanaged<void*, void> _setDefaultParameters;
        private readonly delegate* unmanaged<IntPtr, void*, int> _setupDecoder;
        private readonly delegate* unmanaged<IntPtr, int, int> _setThreads;
        private readonly delegate* unmanaged<IntPtr, delegate* unmanaged<byte*, IntPtr, void>, IntPtr, int> _setErrorHandler;
        private readonly delegate* unmanaged<IntPtr, IntPtr, Image**, int> _readHeader;
        private readonly delegate* unmanaged<IntPtr, IntPtr, Image*, int> _decode;
        private readonly delegate* unmanaged<IntPtr, IntPtr, int> _endDecompress;
        private readonly delegate* unmanaged<Image*, void> _destroyImage;
        private readonly delegate* unmanaged<nuint, int, IntPtr> _createStream;
        private readonly delegate* unmanaged<IntPtr, void> _destroyStream;
        private readonly delegate* unmanaged<IntPtr, delegate* unmanaged<void*, nuint, Source*, nuint>, void> _setRead;
        private readonly delegate* unmanaged<IntPtr, delegate* unmanaged<long, Source*, long>, void> _setSkip;
        private readonly delegate* unmanaged<IntPtr, delegate* unmanaged<long, Source*, int>, void> _setSeek;
        private readonly delegate* unmanaged<IntPtr, void*, IntPtr, void> _setUserData;
        private readonly delegate* unmanaged<IntPtr, ulong, void> _setUserDataLength;

        private Library(IntPtr h)
        {
            _createDecompress = (delegate* unmanaged<int, IntPtr>)NativeLibrary.GetExport(h, "opj_create_decompress");
            _destroyCodec = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(h, "opj_destroy_codec");
            _setDefaultParameters = (delegate* unmanaged<void*, void>)NativeLibrary.GetExport(h, "opj_set_default_decoder_parameters");
            _setupDecoder = (delegate* unmanaged<IntPtr, void*, int>)NativeLibrary.GetExport(h, "opj_setup_decoder");
            _setThreads = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(h, "opj_codec_set_threads");
            _setErrorHandler = (delegate* unmanaged<IntPtr, delegate* unmanaged<byte*, IntPtr, void>, IntPtr, int>)NativeLibrary.GetExport(h, "opj_set_error_handler");
            _readHeader = (delegate* unmanaged<IntPtr, IntPtr, Image**, int>)NativeLibrary.GetExport(h, "opj_read_header");
            _decode = (delegate* unmanaged<IntPtr, IntPtr, Image*, int>)NativeLibrary.GetExport(h, "opj_decode");
            _endDecompress = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(h, "opj_end_decompress");
            _destroyImage = (delegate* unmanaged<Image*, void>)NativeLibrary.GetExport(h, "opj_image_destroy");
            _createStream = (delegate* unmanaged<nuint, int, IntPtr>)NativeLibrary.GetExport(h, "opj_stream_create");
            _destroyStream = (delegate* unmanaged<IntPtr, void>)NativeLibrary.GetExport(h, "opj_stream_destroy");
            _setRead = (delegate* unmanaged<IntPtr, delegate* unmanaged<void*, nuint, Source*, nuint>, void>)NativeLibrary.GetExport(h, "opj_stream_set_read_function");
            _setSkip = (delegate* unmanaged<IntPtr, delegate* unmanaged<long, Source*, long>, void>)NativeLibrary.GetExport(h, "opj_stream_set_skip_function");
            _setSeek = (delegate* unmanaged<IntPtr, delegate* unmanaged<long, Source*, int>, void>)NativeLibrary.GetExport(h, "opj_stream_set_seek_function");
            _setUserData = (delegate* unmanaged<IntPtr, void*, IntPtr, void>)NativeLibrary.GetExport(h, "opj_stream_set_user_data");
            _setUserDataLength = (delegate* unmanaged<IntPtr, ulong, void>)NativeLibrary.GetExport(h, "opj_stream_set_user_data_length");
        }

        // The library by its Linux, macOS and Windows names; null where none loads.
        public static Library? Load()
        {
            foreach (var name in (string[])["libopenjp2.so.7", "libopenjp2.so", "libopenjp2.7.dylib", "libopenjp2.dylib", "openjp2"])
            {
                if (NativeLibrary.TryLoad(name, typeof(Jpeg2000Codec).Assembly, null, out var handle))
                {
                    try
                    {
                        return new Library(handle);
                    }
                    catch (EntryPointNotFoundException)
                    {
                        return null;
                    }
                }
            }

            return null;
        }

        public IntPtr CreateDecompress(int format) => _createDecompress(format);

        public void DestroyCodec(IntPtr codec) => _destroyCodec(codec);

        public void SetDefaultParameters(void* parameters) => _setDefaultParameters(parameters);

        public int SetupDecoder(IntPtr codec, void* parameters) => _setupDecoder(codec, parameters);

        public void SetThreads(IntPtr codec, int threads) => _setThreads(codec, threads);

        public void SetErrorHandler(IntPtr codec, delegate* unmanaged<byte*, IntPtr, void> handler, IntPtr data) => _setErrorHandler(codec, handler, data);

        public int ReadHeader(IntPtr stream, IntPtr codec, Image** image) => _readHeader(stream, codec, image);

        public int Decode(IntPtr codec, IntPtr stream, Image* image) => _decode(codec, stream, image);

        public int EndDecompress(IntPtr codec, IntPtr stream) => _endDecompress(codec, stream);

        public void DestroyImage(Image* image) => _destroyImage(image);

        // An input stream over `source`, which outlives it.
        public IntPtr CreateStream(Source* source)
        {
            var stream = _createStream(StreamBufferBytes, 1);
            if (stream == 0)
            {
                return 0;
            }

            _setRead(stream, &Read);
            _setSkip(stream, &Skip);
            _setSeek(stream, &Seek);
            _setUserData(stream, source, 0);
            _setUserDataLength(stream, (ulong)source->Length);
            return stream;
        }

        public void DestroyStream(IntPtr stream) => _destroyStream(stream);
    }

    private sealed class Jpeg2000Format : IImageFormat
    {
        public string Name => "JPEG2000";

        public string DefaultMimeType => "image/jp2";

        public IEnumerable<string> MimeTypes => [DefaultMimeType, "image/jpx", "image/j2c"];

        public IEnumerable<string> FileExtensions => ["jp2", "jpx", "jpf", "j2k", "j2c", "jpc"];
    }
}
