namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The <c>bfrange</c> entries of a font's ToUnicode CMap, read as PdfPig reads them: a low code, a high code, then a
/// destination (a hex string, or an array). PdfPig 0.1.16 enumerates every code of a range, adding each to a dictionary,
/// from the low code up until it is no lower than the high one, comparing them over the low code's length; a damaged
/// map whose low code is six bytes and high code one (a hex string run together with its neighbours) is a range of
/// trillions of codes, which filled 20 GB and had the process killed. A range is refused when PdfPig would enumerate
/// more than 65,536 codes from it (PDF 32000-1, 9.10.3, lets only the last byte vary: 256), counted as it counts them.
/// </summary>
internal static class CMapRanges
{
    /// <summary>The most codes one range may hold.</summary>
    public const long MaxCodes = 65_536;

    /// <summary>The first range PdfPig would not enumerate in bounds, as written (<c>&lt;lo&gt; &lt;hi&gt;</c>); null when none.</summary>
    public static string? Unbounded(ReadOnlySpan<byte> cmap)
    {
        var at = 0;
        while (Next(cmap, ref at) is { } token)
        {
            if (token.Kind != Kind.Word || !cmap[token.Start..token.End].SequenceEqual("beginbfrange"u8))
            {
                continue;
            }

            while (Next(cmap, ref at) is { } low && low.Kind == Kind.Hex)
            {
                if (Next(cmap, ref at) is not { Kind: Kind.Hex } high || Next(cmap, ref at) is not { Kind: Kind.Hex or Kind.Array })
                {
                    break; // PdfPig fails on it: the page is refused as damaged there
                }

                if (Codes(Bytes(cmap[low.Start..low.End]), Bytes(cmap[high.Start..high.End])) > MaxCodes)
                {
                    return $"<{Text(cmap[low.Start..low.End])}> <{Text(cmap[high.Start..high.End])}>";
                }
            }
        }

        return null;
    }

    private enum Kind
    {
        Hex,
        Array,
        Word,
        Other,
    }

    // A token's kind and where its text lies in the map.
    private readonly record struct Token(Kind Kind, int Start, int End);

    // The next token: a hex string (its digits), an array (skipped whole), a word, or anything else (one byte, a string
    // skipped, a dictionary's angle brackets); null at the end.
    private static Token? Next(ReadOnlySpan<byte> cmap, ref int at)
    {
        PdfSyntax.SkipSpaceAndComments(cmap, ref at);
        if (at >= cmap.Length)
        {
            return null;
        }

        var start = at;
        switch (cmap[at])
        {
            case (byte)'<' when at + 1 < cmap.Length && cmap[at + 1] == (byte)'<':
                at += 2;
                return new Token(Kind.Other, start, at);
            case (byte)'<':
                var end = cmap[(at + 1)..].IndexOf((byte)'>');
                if (end < 0)
                {
                    at = cmap.Length;
                    return new Token(Kind.Other, start, cmap.Length);
                }

                at += end + 2;
                return new Token(Kind.Hex, start + 1, at - 1);
            case (byte)'[':
                var close = cmap[at..].IndexOf((byte)']');
                at = close < 0 ? cmap.Length : at + close + 1;
                return new Token(Kind.Array, start, at);
            case (byte)'(':
                var shut = cmap[at..].IndexOf((byte)')');
                at = shut < 0 ? cmap.Length : at + shut + 1;
                return new Token(Kind.Other, start, at);
            default:
                if (PdfSyntax.IsDelimiterOrSpace(cmap[at]))
                {
                    at++;
                    return new Token(Kind.Other, start, at);
                }

                while (at < cmap.Length && !PdfSyntax.IsDelimiterOrSpace(cmap[at]))
                {
                    at++;
                }

                return new Token(Kind.Word, start, at);
        }
    }

    // A hex string's bytes as PdfPig reads them: white space ignored, an odd last digit followed by 0.
    private static byte[] Bytes(ReadOnlySpan<byte> digits)
    {
        var hex = new List<int>();
        foreach (var d in digits)
        {
            if (char.IsAsciiHexDigit((char)d))
            {
                hex.Add(d <= '9' ? d - '0' : (d | 0x20) - 'a' + 10);
            }
        }

        if (hex.Count % 2 == 1)
        {
            hex.Add(0);
        }

        var bytes = new byte[hex.Count / 2];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (byte)((hex[2 * i] << 4) | hex[(2 * i) + 1]);
        }

        return bytes;
    }

    // How many codes PdfPig adds for the range: it counts the low code up (as an integer of its own length) until, compared
    // over the low code's bytes with the high code's, it is no lower. Where the high code is shorter, the bytes past it
    // run through all their values for each step of those it has (or PdfPig fails reading past it: one).
    internal static double Codes(byte[] low, byte[] high)
    {
        if (low.Length > 8 || high.Length > 8)
        {
            return double.PositiveInfinity;
        }

        var common = Math.Min(low.Length, high.Length);
        var span = Value(high.AsSpan(0, common)) - Value(low.AsSpan(0, common));
        return span < 0 ? 1 : (span + 1) * Math.Pow(256, low.Length - common);
    }

    private static long Value(ReadOnlySpan<byte> code)
    {
        long value = 0;
        foreach (var b in code)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    private static string Text(ReadOnlySpan<byte> digits) => System.Text.Encoding.ASCII.GetString(digits[..Math.Min(digits.Length, 32)]);
}
