using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PDF's LZWDecode with the engine's LZW tables (<see cref="TiffStrips.LzwTables"/>) into an array of the decoded size,
/// counted beforehand (<see cref="DecodedSize.Lzw"/>, which <see cref="BoundedPdfFilters"/> checks against the limit):
/// PdfPig 0.1's filter made an array for every code it read: an 8.7-megapixel LZW scan's load allocated 410 MB and took
/// 0.7-0.9 s with it, 81 MB and 0.6 s with this (docs/benchmarks.md, "LZW scans in PDFs"). /EarlyChange 0 or 1, and the
/// predictors PDF borrows (/Predictor 2, TIFF's horizontal differencing of 8-bit samples; 10-15, PNG's filters, chosen
/// row by row) are undone in place. Other parameters (TIFF's predictor on samples of other depths) go to PdfPig's own
/// filter.
/// </summary>
internal sealed class PdfLzwFilter : IFilter, BoundedPdfFilters.ISizedFilter
{
    private readonly LzwFilter _pdfPig = new();

    public bool IsSupported => true;

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex) =>
        Decode(input, streamDictionary, filterProvider, filterIndex, DecodedSize.Lzw(input, streamDictionary, filterIndex, long.MaxValue));

    public Memory<byte> Decode(Memory<byte> input, DictionaryToken streamDictionary, IFilterProvider filterProvider, int filterIndex, long decodedSize)
    {
        var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
        int Parameter(NameToken name, int absent) => parameters.TryGet(name, out NumericToken value) && value is not null ? value.Int : absent;
        var earlyChange = Parameter(NameToken.EarlyChange, 1);
        var predictor = Parameter(NameToken.Predictor, 1);
        var colors = Parameter(NameToken.Colors, 1);
        var bits = Parameter(NameToken.BitsPerComponent, 8);
        var columns = Parameter(NameToken.Columns, 1);
        var png = predictor >= 10;
        if (earlyChange is not (0 or 1) || colors is < 1 or > 32 || bits is not (1 or 2 or 4 or 8 or 16) || columns is < 1 or > 1 << 24
            || !(predictor == 1 || png || (predictor == 2 && bits == 8)) || decodedSize > int.MaxValue)
        {
            return _pdfPig.Decode(input, streamDictionary, filterProvider, filterIndex);
        }

        var output = new byte[decodedSize];
        var written = new TiffStrips.LzwTables(earlyChange).Decode(input.Span, output, strip: 0, stopAtInvalid: true);
        var decoded = output.AsSpan(0, written);
        if (png)
        {
            return output.AsMemory(0, UndoPng(decoded, Math.Max(1, ((colors * bits) + 7) / 8), (int)((((long)colors * bits * columns) + 7) / 8)));
        }

        if (predictor == 2)
        {
            TiffStrips.UndoHorizontalPredictor(decoded, colors * columns, colors);
        }

        return output.AsMemory(0, written);
    }

    // PNG's filters: each row starts with its filter's byte (0 none, 1 sub, 2 up, 3 average, 4 Paeth; others read as none).
    // The rows are moved up over those bytes in place (row r's bytes go r + 1 places back, onto bytes already read) and
    // unfiltered from the bytes to their left and the row above, already done. A last row cut short keeps what it has.
    private static int UndoPng(Span<byte> data, int bytesPerPixel, int rowBytes)
    {
        var length = 0;
        for (var from = 0; from < data.Length; from += rowBytes + 1)
        {
            var filter = data[from];
            var count = Math.Min(rowBytes, data.Length - from - 1);
            var row = data.Slice(length, count);
            data.Slice(from + 1, count).CopyTo(row);
            var up = length >= rowBytes ? data.Slice(length - rowBytes, rowBytes) : [];
            for (var i = 0; i < count; i++)
            {
                int left = i >= bytesPerPixel ? row[i - bytesPerPixel] : 0;
                int above = up.IsEmpty ? 0 : up[i];
                int corner = i >= bytesPerPixel && !up.IsEmpty ? up[i - bytesPerPixel] : 0;
                row[i] += filter switch
                {
                    1 => (byte)left,
                    2 => (byte)above,
                    3 => (byte)((left + above) / 2),
                    4 => Paeth(left, above, corner),
                    _ => 0,
                };
            }

            length += count;
        }

        return length;
    }

    private static byte Paeth(int left, int above, int corner)
    {
        var estimate = left + above - corner;
        var (toLeft, toAbove, toCorner) = (Math.Abs(estimate - left), Math.Abs(estimate - above), Math.Abs(estimate - corner));
        return (byte)(toLeft <= toAbove && toLeft <= toCorner ? left : toAbove <= toCorner ? above : corner);
    }
}
