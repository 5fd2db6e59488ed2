using System.Globalization;
using System.IO.Compression;
using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PdfPig's stream filters (its default set, by the same names), with every filter that can expand its input beyond
/// a fixed ratio bounded: before LZW or run-length data is decoded, its decoded size is counted without keeping it (a
/// CCITT fax image's is its declared size; Flate data is counted as it inflates, <see cref="PdfFlateFilter"/>), and a
/// stream that would decode to more than the limit fails with <see cref="OcrErrorCode.ImageTooLarge"/>.
/// PdfPig itself inflates whatever a stream holds: 400 KB of deflated zeros in a PDF became 400 MB in memory, and a
/// 50 MB file could ask for 50 GB. LZW is the engine's own filter (<see cref="PdfLzwFilter"/>), which decodes into an
/// array of the size counted; so is Flate (<see cref="PdfFlateFilter"/>), which inflates once and stops at the limit
/// instead of counting first.
/// </summary>
internal sealed class BoundedPdfFilters(long maxDecodedBytes) : BaseFilterProvider(Create(maxDecodedBytes))
{
    private static Dictionary<string, IFilter> Create(long maxDecodedBytes)
    {
        IFilter ascii85 = new Ascii85Filter(), asciiHex = new AsciiHexDecodeFilter(), dct = new DctDecodeFilter();
        IFilter ccitt = new Bounded(new CcittFaxDecodeFilter(), maxDecodedBytes, DecodedSize.CcittFax);
        IFilter flate = new PdfFlateFilter(maxDecodedBytes);
        IFilter lzw = new Bounded(new PdfLzwFilter(), maxDecodedBytes, DecodedSize.Lzw);
        IFilter runLength = new Bounded(new RunLengthFilter(), maxDecodedBytes, DecodedSize.RunLength);
        return new Dictionary<string, IFilter>(StringComparer.Ordinal)
        {
            ["ASCII85Decode"] = ascii85, ["A85"] = ascii85,
            ["ASCIIHexDecode"] = asciiHex, ["AHx"] = asciiHex,
            ["CCITTFaxDecode"] = ccitt, ["CCF"] = ccitt,
            ["DCTDecode"] = dct, ["DCT"] = dct,
            ["FlateDecode"] = flate, ["Fl"] = flate,
            ["JBIG2Decode"] = new Jbig2DecodeFilter(),
            ["JPXDecode"] = new JpxDecodeFilter(),
            ["RunLengthDecode"] = runLength, ["RL"] = runLength,
            ["LZWDecode"] = lzw, ["LZW"] = lzw,
        };
    }

    // Counts what the inner filter would produce (up to one byte past the limit), then lets it decode.
    private sealed class Bounded(IFilter inner, long maxDecodedBytes, Func<ReadOnlyMemory<byte>, DictionaryToken, int, long, long> count) : IFilter
    {
        public bool IsSupported => inner.IsSupported;

        public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex)
        {
            var size = count(input, streamDictionary, filterIndex, maxDecodedBytes + 1);
            if (size > maxDecodedBytes)
            {
                throw TooLarge(input.Length, maxDecodedBytes);
            }

            return inner is ISizedFilter sized
                ? sized.Decode(input, streamDictionary, filterProvider, filterIndex, size)
                : inner.Decode(input, streamDictionary, filterProvider, filterIndex);
        }
    }

    /// <summary>The refusal of a stream of <paramref name="inputBytes"/> that decodes to more than <paramref name="maxDecodedBytes"/>.</summary>
    internal static OcrException TooLarge(int inputBytes, long maxDecodedBytes) =>
        new(OcrErrorCode.ImageTooLarge, string.Create(CultureInfo.InvariantCulture,
            $"A stream of the PDF ({inputBytes} bytes) decodes to more than {maxDecodedBytes / (1024.0 * 1024):0.#} MiB " +
            $"(4 bytes per pixel of the largest page allowed, Ocr:MaxPixels)."));

    /// <summary>A filter that decodes into an array of the size counted for it (counted once, not twice).</summary>
    internal interface ISizedFilter
    {
        Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex, long decodedSize);
    }
}

/// <summary>Decoded sizes of compressed PDF streams, counted without keeping the output; each stops past a limit.</summary>
internal static class DecodedSize
{
    /// <summary>
    /// Inflated size of zlib data (or of raw deflate data behind a damaged two-byte header, which PDF readers
    /// accept too). Damaged data counts what inflates before the damage.
    /// </summary>
    public static long Flate(ReadOnlyMemory<byte> input, DictionaryToken streamDictionary, int filterIndex, long limit)
    {
        var zlib = Inflated(input, raw: false, limit);
        return zlib > 0 || input.Length < 2 ? zlib : Inflated(input[2..], raw: true, limit);
    }

    /// <summary>
    /// Decoded size of CCITT fax data, from its declared size: /Columns (default 1728) bits per row, /Rows rows (else
    /// the image's /Height). A row of white costs the encoder a bit, so the data itself bounds nothing; without a row
    /// count the size is unknown and reported as past the limit.
    /// </summary>
    public static long CcittFax(ReadOnlyMemory<byte> input, DictionaryToken streamDictionary, int filterIndex, long limit)
    {
        var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
        long columns = parameters.TryGet(NameToken.Columns, out NumericToken columnsToken) && columnsToken is not null ? columnsToken.Long : 1728;
        long rows = parameters.TryGet(NameToken.Rows, out NumericToken rowsToken) && rowsToken is not null && rowsToken.Long > 0 ? rowsToken.Long
            : streamDictionary.TryGet(NameToken.Height, out NumericToken height) && height is not null ? height.Long : 0;
        if (columns <= 0 || rows <= 0)
        {
            return limit;
        }

        var bytesPerRow = (columns + 7) / 8;
        return rows > limit / bytesPerRow ? limit : bytesPerRow * rows;
    }

    /// <summary>Decoded size of RunLengthDecode data: a length byte n below 128 copies n + 1 bytes, above 128 repeats one byte 257 - n times, 128 ends.</summary>
    public static long RunLength(ReadOnlyMemory<byte> input, DictionaryToken streamDictionary, int filterIndex, long limit)
    {
        var data = input.Span;
        long size = 0;
        for (var i = 0; i < data.Length && size < limit;)
        {
            var n = data[i];
            if (n == 128)
            {
                break;
            }

            if (n < 128)
            {
                size += n + 1;
                i += n + 2;
            }
            else
            {
                size += 257 - n;
                i += 2;
            }
        }

        return size;
    }

    /// <summary>
    /// Decoded size of LZWDecode data: the codes are read as the decoder reads them (<see cref="TiffStrips.LzwTables.Count"/>:
    /// 9 to 12 bits, 256 clears the table, 257 ends) and only the length of each table entry is kept, which is all the
    /// output's size needs. /EarlyChange (default 1) widens the codes one entry early, as PDF writers do.
    /// </summary>
    public static long Lzw(ReadOnlyMemory<byte> input, DictionaryToken streamDictionary, int filterIndex, long limit)
    {
        var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
        var earlyChange = parameters.TryGet(NameToken.EarlyChange, out NumericToken early) && early is not null ? early.Int : 1;
        return new TiffStrips.LzwTables(earlyChange).Count(input.Span, limit);
    }

    private static long Inflated(ReadOnlyMemory<byte> input, bool raw, long limit)
    {
        var buffer = new byte[81920];
        long size = 0;
        try
        {
            using var source = MemoryBytes.AsStream(input);
            using Stream inflater = raw ? new DeflateStream(source, CompressionMode.Decompress) : new ZLibStream(source, CompressionMode.Decompress);
            int read;
            while (size < limit && (read = inflater.Read(buffer)) > 0)
            {
                size += read;
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException)
        {
            // damaged: what inflated so far (zlib reports some damage as an IOException of its own, ZLibException: a stream
            // cut inside a block, found by DamagedFileTests on a deflated content stream)
        }

        return size;
    }
}
