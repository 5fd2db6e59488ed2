namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// LZW as TIFF 6 (section 13) and PDF's LZWDecode define it, written here to test the decoders against: codes highest bit
/// first, a clear code first, the end code last.
/// </summary>
internal static class LzwStreams
{
    /// <summary>
    /// <paramref name="data"/> encoded as libtiff writes it: the width one bit wider once the next free code reaches
    /// 2^width (with <paramref name="earlyChange"/> 0, PDF's other setting, once it passes it), a clear code when the table
    /// is about to fill (or never: the table then stays as it is), the end code at the width of the entry its last code made.
    /// </summary>
    public static byte[] Encode(byte[] data, bool clearWhenFull, int earlyChange = 1)
    {
        var output = new List<byte>();
        ulong bits = 0;
        var held = 0;
        void Put(int code, int width)
        {
            bits = (bits << width) | (uint)code;
            held += width;
            for (; held >= 8; held -= 8)
            {
                output.Add((byte)(bits >> (held - 8)));
            }
        }

        var table = new Dictionary<int, int>();
        var (codeWidth, next) = (9, 258);

        // The decoder makes each entry one code after the encoder, so it widens when its next free code plus the early
        // change reaches 2^width: the encoder one code sooner.
        void Added()
        {
            if (next < 4096)
            {
                next++;
                codeWidth = next - 1 + earlyChange >= 1 << codeWidth && codeWidth < 12 ? codeWidth + 1 : codeWidth;
            }
        }

        Put(256, codeWidth);
        int current = data[0];
        for (var i = 1; i < data.Length; i++)
        {
            var key = (current << 8) | data[i];
            if (table.TryGetValue(key, out var longer))
            {
                current = longer;
                continue;
            }

            Put(current, codeWidth);
            if (next < 4096)
            {
                table[key] = next;
            }

            Added();
            if (clearWhenFull && next == 4094)
            {
                Put(256, codeWidth);
                table.Clear();
                (codeWidth, next) = (9, 258);
            }

            current = data[i];
        }

        Put(current, codeWidth);
        Added();
        Put(257, codeWidth);
        if (held > 0)
        {
            output.Add((byte)(bits << (8 - held)));
        }

        return [.. output];
    }
}
