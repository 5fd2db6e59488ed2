namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The cross-reference streams of a PDF (<c>/Type /XRef</c>), read from the file's bytes before PdfPig opens it. PdfPig
/// lists every object number a cross-reference stream's <c>/Size</c> or <c>/Index</c> names, one by one, before it reads
/// the stream's entries: <c>/Size 2000000000</c> in a 600-byte file filled 5 GB in 10 s. A PDF holds at most 8,388,607
/// objects (PDF 32000-1, annex C), so a stream naming more is damage.
/// </summary>
internal static class PdfXrefStreams
{
    /// <summary>The most objects a PDF may hold.</summary>
    public const long MaxObjects = 8_388_607;

    // The most bytes read around a /XRef name for its object's dictionary.
    private const int Window = 16_384;

    /// <summary>
    /// The entry (<c>/Size N</c>, <c>/Index [...]</c>) of the first cross-reference stream that names more than
    /// <see cref="MaxObjects"/> objects, as read; null when none does.
    /// </summary>
    public static string? Oversized(ReadOnlySpan<byte> file)
    {
        for (var from = 0; file[from..].IndexOf("/XRef"u8) is var found and >= 0; from += found + 5)
        {
            var at = from + found;
            if (at + 5 < file.Length && !PdfSyntax.IsDelimiterOrSpace(file[at + 5]))
            {
                continue; // /XRefStm, a hybrid file's trailer key
            }

            // The object's dictionary: from its `obj` keyword before the name to its `stream` keyword after it.
            var start = Math.Max(0, at - Window);
            start += file[start..at].LastIndexOf("obj"u8) is var obj and >= 0 ? obj : 0;
            var end = Math.Min(file.Length, at + Window);
            end = file[at..end].IndexOf("stream"u8) is var stream and >= 0 ? at + stream : end;
            if (Named(file[start..end]) is { } oversized)
            {
                return oversized;
            }
        }

        return null;
    }

    // A /Size above the limit, or /Index pairs counting more than it.
    private static string? Named(ReadOnlySpan<byte> dictionary)
    {
        if (Key(dictionary, "/Size"u8) is { } sizeAt && Number(dictionary, ref sizeAt) is { } size && size > MaxObjects)
        {
            return $"/Size {size}";
        }

        if (Key(dictionary, "/Index"u8) is not { } at)
        {
            return null;
        }

        PdfSyntax.SkipSpaceAndComments(dictionary, ref at);
        if (at >= dictionary.Length || dictionary[at] != (byte)'[')
        {
            return null;
        }

        at++;
        long total = 0;
        var open = at;
        while (Number(dictionary, ref at) is not null && Number(dictionary, ref at) is { } count)
        {
            total += Math.Max(0, count);
            if (total > MaxObjects)
            {
                var close = dictionary[open..].IndexOf((byte)']');
                return $"/Index [{System.Text.Encoding.ASCII.GetString(dictionary[open..(close >= 0 ? open + close : dictionary.Length)]).Trim()}]";
            }
        }

        return null;
    }

    // Where the value of a key starts (just after the key, which a delimiter must end); null when there is no such key.
    private static int? Key(ReadOnlySpan<byte> dictionary, ReadOnlySpan<byte> key)
    {
        for (var from = 0; dictionary[from..].IndexOf(key) is var found and >= 0; from += found + key.Length)
        {
            var end = from + found + key.Length;
            if (end >= dictionary.Length || PdfSyntax.IsDelimiterOrSpace(dictionary[end]))
            {
                return end;
            }
        }

        return null;
    }

    // An integer at `at` (after white space), moving past it; null where there is none. Digits past 18 saturate.
    private static long? Number(ReadOnlySpan<byte> data, ref int at)
    {
        PdfSyntax.SkipSpaceAndComments(data, ref at);
        var negative = false;
        if (at < data.Length && data[at] is (byte)'-' or (byte)'+')
        {
            negative = data[at++] == (byte)'-';
        }

        var start = at;
        long value = 0;
        while (at < data.Length && data[at] is >= (byte)'0' and <= (byte)'9')
        {
            value = value < 100_000_000_000_000_000 ? (value * 10) + (data[at] - '0') : value;
            at++;
        }

        return at > start ? (negative ? -value : value) : null;
    }
}
