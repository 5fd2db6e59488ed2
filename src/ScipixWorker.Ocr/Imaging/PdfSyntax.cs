namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// PDF's lexical classes of bytes (PDF 32000-1, 7.2.2), for the readers that scan a PDF's bytes before PdfPig parses
/// them: content streams (<see cref="PdfContentCount"/>), objects at their cross-reference offsets
/// (<see cref="PdfReferenceLoops"/>) and fonts' ToUnicode maps (<see cref="CMapRanges"/>).
/// </summary>
internal static class PdfSyntax
{
    /// <summary>White space: space, line feed, carriage return, tab, form feed, NUL.</summary>
    public static bool IsSpace(byte c) => c is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t' or (byte)'\f' or 0;

    /// <summary>White space or a delimiter: what ends a keyword, a number or a name.</summary>
    public static bool IsDelimiterOrSpace(byte c) =>
        IsSpace(c) || c is (byte)'(' or (byte)')' or (byte)'<' or (byte)'>' or (byte)'[' or (byte)']' or (byte)'{' or (byte)'}' or (byte)'/' or (byte)'%';

    /// <summary>Moves <paramref name="at"/> past white space and comments (a <c>%</c> to the end of its line).</summary>
    public static void SkipSpaceAndComments(ReadOnlySpan<byte> data, ref int at)
    {
        while (at < data.Length)
        {
            if (IsSpace(data[at]))
            {
                at++;
            }
            else if (data[at] == (byte)'%')
            {
                while (at < data.Length && data[at] is not ((byte)'\r' or (byte)'\n'))
                {
                    at++;
                }
            }
            else
            {
                return;
            }
        }
    }
}
