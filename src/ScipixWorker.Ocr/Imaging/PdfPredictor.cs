using System.Numerics;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The predictors PDF's Flate and LZW filters borrow (/DecodeParms): /Predictor 2, TIFF's horizontal differencing (of
/// 8-bit samples here), and 10-15, PNG's filters chosen row by row; undone in place on the decoded bytes.
/// </summary>
internal readonly record struct PdfPredictor(int Predictor, int Colors, int BitsPerComponent, int Columns)
{
    /// <summary>The predictor parameters of filter <paramref name="filterIndex"/> of a stream, with PDF's defaults.</summary>
    public static PdfPredictor Of(DictionaryToken streamDictionary, int filterIndex)
    {
        var parameters = DecodeParameterResolver.GetFilterParameters(streamDictionary, filterIndex);
        int Parameter(NameToken name, int absent) => parameters.TryGet(name, out NumericToken value) && value is not null ? value.Int : absent;
        return new(Parameter(NameToken.Predictor, 1), Parameter(NameToken.Colors, 1), Parameter(NameToken.BitsPerComponent, 8), Parameter(NameToken.Columns, 1));
    }

    /// <summary>
    /// Whether <see cref="Undo"/> takes these parameters: no predictor, PNG's at any sample depth, TIFF's on 8-bit samples
    /// (others go to PdfPig's filters).
    /// </summary>
    public bool IsHandled =>
        Colors is >= 1 and <= 32 && BitsPerComponent is 1 or 2 or 4 or 8 or 16 && Columns is >= 1 and <= 1 << 24
        && (Predictor == 1 || IsPng || (Predictor == 2 && BitsPerComponent == 8));

    /// <summary>PNG's filters, a byte before each row.</summary>
    public bool IsPng => Predictor >= 10;

    /// <summary>Bytes a row of samples takes, without PNG's filter byte.</summary>
    public int RowBytes => (int)((((long)Colors * BitsPerComponent * Columns) + 7) / 8);

    /// <summary>
    /// Undoes the predictor on <paramref name="decoded"/> in place and returns the length of the samples (PNG's filter
    /// bytes taken out: the rows move up over them). A last row cut short keeps what it has.
    /// </summary>
    public int Undo(Span<byte> decoded)
    {
        if (IsPng)
        {
            return UndoPng(decoded, Math.Max(1, ((Colors * BitsPerComponent) + 7) / 8), RowBytes);
        }

        if (Predictor == 2)
        {
            TiffStrips.UndoHorizontalPredictor(decoded, Colors * Columns, Colors);
        }

        return decoded.Length;
    }

    // PNG's filters: each row starts with its filter's byte (0 none, 1 sub, 2 up, 3 average, 4 Paeth; others read as none).
    // The rows are moved up over those bytes in place (row r's bytes go r + 1 places back, onto bytes already read) and
    // unfiltered from the bytes to their left and the row above, already done: a loop for each filter, Up (what PDF
    // writers mostly choose) a vector at a time.
    private static int UndoPng(Span<byte> data, int bytesPerPixel, int rowBytes)
    {
        var length = 0;
        for (var from = 0; from < data.Length; from += rowBytes + 1)
        {
            var filter = data[from];
            var count = Math.Min(rowBytes, data.Length - from - 1);
            var row = data.Slice(length, count);
            data.Slice(from + 1, count).CopyTo(row);
            var up = length >= rowBytes ? data.Slice(length - rowBytes, count) : [];
            var left = Math.Min(bytesPerPixel, count);
            switch (filter)
            {
                case 1:
                case 4 when up.IsEmpty: // Paeth with nothing above is Sub
                    for (var i = left; i < count; i++)
                    {
                        row[i] += row[i - bytesPerPixel];
                    }

                    break;
                case 2 when !up.IsEmpty:
                    AddUp(row, up);
                    break;
                case 3:
                    for (var i = 0; i < count; i++)
                    {
                        var sum = (i >= bytesPerPixel ? row[i - bytesPerPixel] : 0) + (up.IsEmpty ? 0 : up[i]);
                        row[i] += (byte)(sum / 2);
                    }

                    break;
                case 4:
                    for (var i = 0; i < left; i++)
                    {
                        row[i] += up[i]; // nothing to the left: Paeth picks the byte above
                    }

                    for (var i = left; i < count; i++)
                    {
                        row[i] += Paeth(row[i - bytesPerPixel], up[i], up[i - bytesPerPixel]);
                    }

                    break;
            }

            length += count;
        }

        return length;
    }

    private static void AddUp(Span<byte> row, ReadOnlySpan<byte> up)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= row.Length - Vector<byte>.Count; i += Vector<byte>.Count)
            {
                (new Vector<byte>(row[i..]) + new Vector<byte>(up[i..])).CopyTo(row[i..]);
            }
        }

        for (; i < row.Length; i++)
        {
            row[i] += up[i];
        }
    }

    private static byte Paeth(int left, int above, int corner)
    {
        var estimate = left + above - corner;
        var (toLeft, toAbove, toCorner) = (Math.Abs(estimate - left), Math.Abs(estimate - above), Math.Abs(estimate - corner));
        return (byte)(toLeft <= toAbove && toLeft <= toCorner ? left : toAbove <= toCorner ? above : corner);
    }
}
