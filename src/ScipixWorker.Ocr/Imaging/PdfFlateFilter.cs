using System.Buffers;
using System.IO.Compression;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PDF's FlateDecode inflated once, bounded as it goes, into an array of the size expected: an image's from its
/// dictionary (rows, bytes a row, PNG's filter bytes; capped by deflate's largest expansion of the data, so a dictionary
/// that lies cannot reserve more), any other stream's four times its size. A stream that holds more is counted to its
/// end without being kept (refused with <see cref="Engine.OcrErrorCode.ImageTooLarge"/> once past the limit) and inflated
/// again into an array of the size counted. Before, every Flate stream was inflated twice, once to count its size
/// (<see cref="DecodedSize.Flate"/>) and once by PdfPig 0.1's filter into a stream that doubled as it grew. The
/// predictors are undone in place (<see cref="PdfPredictor"/>). Damaged data (a stream that fails to inflate part way),
/// a stream shorter than zlib's header, or predictor parameters <see cref="PdfPredictor"/> does not take go the old
/// way: counted, then PdfPig's filter.
/// </summary>
internal sealed class PdfFlateFilter(long maxDecodedBytes) : IFilter
{
    // The most deflate expands: a 258-byte match for a code of a few bits (RFC 1951), about 1032 to 1.
    private const int MaxExpansion = 1032;

    // A stream that is not an image starts at four times its size (content streams inflate three to five times).
    private const int GrowthFactor = 4;

    private const int MinCapacity = 4096;

    private readonly FlateFilter _pdfPig = new();

    public bool IsSupported => true;

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
    {
        var predictor = PdfPredictor.Of(streamDictionary, filterIndex);
        if (input.Length < 2 || !predictor.IsHandled)
        {
            return Counted(input, streamDictionary, filterProvider, filterIndex);
        }

        var capacity = ImageBytes(streamDictionary, filterIndex, predictor) is > 0 and var image
            ? Math.Min(image, (long)input.Length * MaxExpansion)
            : (long)input.Length * GrowthFactor;
        var output = GC.AllocateUninitializedArray<byte>((int)Math.Min(Math.Max(capacity, MinCapacity), Math.Min(maxDecodedBytes + 1, Array.MaxLength)));
        int length;
        try
        {
            var (filled, more) = Inflate(input, output, maxDecodedBytes);
            if (filled + more > maxDecodedBytes)
            {
                throw BoundedPdfFilters.TooLarge(input.Length, maxDecodedBytes);
            }

            if (more > 0)
            {
                // Larger than the estimate: the rest was counted without keeping it, and the stream is inflated again
                // into an array of the size counted (as every stream was before).
                if (filled + more > Array.MaxLength)
                {
                    return Counted(input, streamDictionary, filterProvider, filterIndex);
                }

                output = GC.AllocateUninitializedArray<byte>((int)(filled + more));
                (filled, _) = Inflate(input, output, maxDecodedBytes);
            }

            length = filled;
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // Damaged part way: the old way, which keeps what PdfPig's filter keeps of such a stream.
            return Counted(input, streamDictionary, filterProvider, filterIndex);
        }

        return output.AsMemory(0, predictor.Undo(output.AsSpan(0, length)));
    }

    // Inflates into `output` until it is full or the stream ends; what the stream holds past a full `output` is counted
    // (`more`) without being kept, stopping once the whole passes the limit. PdfPig's filter skips the two bytes of zlib's
    // header and reads the deflate data behind them (no checksum): so does this, for the same bytes from the same streams.
    private static (int Filled, long More) Inflate(Memory<byte> input, byte[] output, long limit)
    {
        using var source = MemoryBytes.AsStream(input[2..]);
        using var inflater = new DeflateStream(source, CompressionMode.Decompress);
        var filled = 0;
        int read;
        while (filled < output.Length && (read = inflater.Read(output, filled, output.Length - filled)) > 0)
        {
            filled += read;
        }

        if (filled < output.Length)
        {
            return (filled, 0);
        }

        var scratch = ArrayPool<byte>.Shared.Rent(81920);
        try
        {
            long more = 0;
            while (filled + more <= limit && (read = inflater.Read(scratch)) > 0)
            {
                more += read;
            }

            return (filled, more);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    // Counted first (stopping past the limit), then decoded by PdfPig's filter.
    private Memory<byte> Counted(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex) =>
        DecodedSize.Flate(input, streamDictionary, filterIndex, maxDecodedBytes + 1) > maxDecodedBytes
            ? throw BoundedPdfFilters.TooLarge(input.Length, maxDecodedBytes)
            : _pdfPig.Decode(input, streamDictionary, filterProvider, filterIndex);

    /// <summary>
    /// The bytes the last filter of an image stream decodes to, from its dictionary (rows times bytes a row, PNG's filter
    /// byte included), or 0 when it does not say (not an image, another filter after this one, a colour space whose
    /// components are not named in it).
    /// </summary>
    internal static long ImageBytes(DictionaryToken dictionary, int filterIndex, PdfPredictor predictor)
    {
        var filters = dictionary.TryGet(NameToken.Filter, out var filter) || dictionary.TryGet(Abbreviated.Filter, out filter)
            ? filter is ArrayToken array ? array.Data.Count : 1
            : 0;
        var height = Number(dictionary, NameToken.Height, Abbreviated.Height);
        if (filterIndex != filters - 1 || height <= 0)
        {
            return 0;
        }

        if (predictor.IsPng || predictor.Predictor == 2)
        {
            return height * (predictor.RowBytes + (predictor.IsPng ? 1 : 0));
        }

        var width = Number(dictionary, NameToken.Width, Abbreviated.Width);
        var bits = Number(dictionary, NameToken.BitsPerComponent, Abbreviated.BitsPerComponent);
        var mask = (dictionary.TryGet(NameToken.ImageMask, out BooleanToken imageMask) && imageMask is { Data: true })
            || (dictionary.TryGet(Abbreviated.ImageMask, out BooleanToken im) && im is { Data: true });
        var components = mask ? 1 : Components(dictionary.TryGet(NameToken.ColorSpace, out var colourSpace) || dictionary.TryGet(Abbreviated.ColorSpace, out colourSpace) ? colourSpace : null);
        if (mask && bits <= 0)
        {
            bits = 1;
        }

        return width is > 0 and <= 1 << 24 && bits is 1 or 2 or 4 or 8 or 16 && components > 0
            ? height * (((width * components * bits) + 7) / 8)
            : 0;
    }

    // Components of a colour space named in the dictionary itself (an indirect one is not followed: 0).
    private static int Components(IToken? colourSpace) => colourSpace switch
    {
        NameToken { Data: "DeviceGray" or "G" or "CalGray" } => 1,
        NameToken { Data: "DeviceRGB" or "RGB" or "CalRGB" or "Lab" } => 3,
        NameToken { Data: "DeviceCMYK" or "CMYK" } => 4,
        ArrayToken { Data: [NameToken { Data: "Indexed" or "I" }, ..] } => 1,
        ArrayToken { Data: [NameToken { Data: "CalGray" }, ..] } => 1,
        ArrayToken { Data: [NameToken { Data: "CalRGB" or "Lab" }, ..] } => 3,
        _ => 0,
    };

    // The abbreviations inline images use (PDF 32000-1, table 93).
    private static class Abbreviated
    {
        public static readonly NameToken Height = NameToken.Create("H"), Width = NameToken.Create("W"), BitsPerComponent = NameToken.Create("BPC"),
            ImageMask = NameToken.Create("IM"), ColorSpace = NameToken.Create("CS"), Filter = NameToken.Create("F");
    }

    private static long Number(DictionaryToken dictionary, NameToken name, NameToken abbreviation) =>
        dictionary.TryGet(name, out NumericToken value) && value is not null ? value.Long
        : dictionary.TryGet(abbreviation, out NumericToken shortValue) && shortValue is not null ? shortValue.Long
        : 0;
}
