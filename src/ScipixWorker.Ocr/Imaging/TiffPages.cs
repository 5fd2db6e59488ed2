using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Multi-page TIFF, one page at a time. ImageSharp 2.1 decodes every frame of a TIFF at once (a 100-page scan
/// would be 100 decoded pages in memory); this walks the chain of image file directories (IFDs) and presents
/// each page as a single-page TIFF: the same bytes with the header pointing at that page's IFD and that IFD's
/// next-IFD link cut, so every offset in the file stays valid and nothing is re-encoded. Classic TIFF only
/// (BigTIFF and anything unexpected is left to the whole-file decoder).
/// </summary>
internal sealed class TiffPages
{
    private readonly ReadOnlyMemory<byte> _data;
    private readonly bool _littleEndian;
    private readonly long[] _directories;
    private byte[]? _file;

    private TiffPages(ReadOnlyMemory<byte> data, bool littleEndian, long[] directories)
    {
        _data = data;
        _littleEndian = littleEndian;
        _directories = directories;
    }

    /// <summary>Pages found.</summary>
    public int Count => _directories.Length;

    /// <summary>Where page <paramref name="index"/>'s directory is in the file (for <see cref="TiffStrips"/>, which reads a page in place).</summary>
    public long DirectoryOf(int index) => _directories[index];

    /// <summary>
    /// Lists the pages of a classic TIFF, reading at most <paramref name="maxPages"/> + 1 directories (more pages
    /// than the limit is reported as limit + 1). Null when the data is not a classic TIFF whose directory chain
    /// can be followed (bounds checked, loops refused): the caller then decodes it whole. The data is copied only when a
    /// page is first asked for as a file of its own (<see cref="WithPage{T}"/>): a file of one page is decoded as it is, and
    /// so is every page <see cref="TiffStrips"/> reads in place (<see cref="DirectoryOf"/>).
    /// </summary>
    public static TiffPages? TryRead(ReadOnlyMemory<byte> file, int maxPages)
    {
        var data = file.Span;
        if (!TryHeader(data, out var little, out var offset))
        {
            return null;
        }

        var directories = new List<long>();
        var seen = new HashSet<long>();
        while (offset != 0 && directories.Count <= maxPages)
        {
            var link = LinkOf(data, offset, little);
            if (link < 0 || !seen.Add(offset))
            {
                return null;
            }

            directories.Add(offset);
            offset = ReadUInt32(data, (int)link, little);
        }

        return directories.Count == 0 ? null : new TiffPages(file, little, [.. directories]);
    }

    /// <summary>
    /// Whether the data is a classic TIFF of one page whose directory names no extra samples (tag 338, ExtraSamples).
    /// TIFF carries alpha only as an extra sample, so such a page (bilevel, grey, palette, RGB, CMYK or YCbCr) is opaque
    /// and may be decoded straight to RGB. A page handed on by <see cref="WithPage{T}"/> is such a file of one page.
    /// False for anything else, a file of several pages included (they are decoded one at a time) and a directory
    /// that does not lie within the data (the decoder then decides).
    /// </summary>
    public static bool IsOnePageWithoutExtraSamples(ReadOnlySpan<byte> data)
    {
        if (!TryHeader(data, out var little, out var directory))
        {
            return false;
        }

        var link = LinkOf(data, directory, little);
        if (link < 0 || ReadUInt32(data, (int)link, little) != 0)
        {
            return false;
        }

        return !new Directory(data, (int)directory, little).Has(ExtraSamplesTag);
    }

    /// <summary>The most samples a pixel a TIFF page may have here (ImageSharp reads up to four, and extra samples).</summary>
    public const int MaxSamplesPerPixel = 16;

    /// <summary>
    /// What is wrong with the first directory's samples, when its SamplesPerPixel or BitsPerSample cannot be a page's
    /// (of another type than SHORT or LONG, zero, several values where one belongs, bits outside 1-32 or samples over
    /// <see cref="MaxSamplesPerPixel"/>); null when they can, or when the data is no classic TIFF whose directory lies
    /// within it (the decoder then decides). ImageSharp 2.1 reads such a tag's bytes as a number anyway and sizes its
    /// buffers by it: a 1.9-KB fax whose SamplesPerPixel was made RATIONAL took it 1.4 s and 300 MB to refuse.
    /// </summary>
    public static string? SampleDamage(ReadOnlySpan<byte> data)
    {
        if (!TryFirstDirectory(data, out var reader))
        {
            return null;
        }

        var samples = reader.Has(SamplesPerPixelTag) ? reader.Single(SamplesPerPixelTag) : 1;
        if (samples is 0 or > MaxSamplesPerPixel)
        {
            return samples == 0
                ? "its SamplesPerPixel is not one SHORT or LONG of at least 1"
                : $"its SamplesPerPixel is {samples}; at most {MaxSamplesPerPixel} are read";
        }

        return reader.Has(BitsPerSampleTag) && !reader.AllWithin(BitsPerSampleTag, samples, 1, 32)
            ? $"its BitsPerSample is not {samples} SHORT or LONG values of 1 to 32"
            : null;
    }

    /// <summary>
    /// What is wrong with the first directory's JPEG data (Compression 7), when a strip or tile does not start as a JPEG
    /// stream does (every one is a JPEG datastream of its own, its start-of-image marker first, TIFF Technical Note 2);
    /// null when each does, for other compressions, and when the data is no classic TIFF whose directory lies within it.
    /// ImageSharp 2.1 decodes such a strip, when the page has no JPEGTables, as a file of any format it knows: a strip
    /// that is the TIFF itself (a strip offset of 0, as a writer that failed part way leaves) is decoded again and again
    /// until the stack overflows, which ends the process: a 262-byte file took the worker down.
    /// </summary>
    public static string? JpegDamage(ReadOnlySpan<byte> data)
    {
        if (!TryFirstDirectory(data, out var reader) || reader.Single(CompressionTag, 1) != JpegCompression)
        {
            return null;
        }

        var tiled = reader.Has(TileOffsetsTag);
        var offsets = reader.Values(tiled ? TileOffsetsTag : StripOffsetsTag);
        if (offsets is null)
        {
            return $"its {(tiled ? "tile" : "strip")} offsets cannot be read";
        }

        for (var i = 0; i < offsets.Length; i++)
        {
            if (offsets[i] + 2 > data.Length || data[(int)offsets[i]] != 0xFF || data[(int)offsets[i] + 1] != 0xD8)
            {
                return $"its {(tiled ? "tile" : "strip")} {i} is not JPEG data";
            }
        }

        return null;
    }

    // The first directory of a classic TIFF, when it lies within the data.
    private static bool TryFirstDirectory(ReadOnlySpan<byte> data, out Directory reader)
    {
        reader = default;
        if (!TryHeader(data, out var little, out var directory) || LinkOf(data, directory, little) < 0)
        {
            return false;
        }

        reader = new Directory(data, (int)directory, little);
        return true;
    }

    private const ushort CompressionTag = 259;
    private const ushort StripOffsetsTag = 273;
    private const ushort TileOffsetsTag = 324;
    private const uint JpegCompression = 7;
    private const ushort SamplesPerPixelTag = 277;
    private const ushort BitsPerSampleTag = 258;

    // A classic TIFF's byte order and the offset of its first directory; false for anything else (43 is BigTIFF).
    internal static bool TryHeader(ReadOnlySpan<byte> data, out bool little, out long firstDirectory)
    {
        little = false;
        firstDirectory = 0;
        if (data.Length < 8 || data[0] != data[1] || data[0] is not ((byte)'I' or (byte)'M'))
        {
            return false;
        }

        little = data[0] == (byte)'I';
        if (ReadUInt16(data, 2, little) != 42)
        {
            return false;
        }

        firstDirectory = ReadUInt32(data, 4, little);
        return true;
    }

    // Where a directory's link to the next one is (after its entries); -1 when the directory or its link lies outside the data.
    internal static long LinkOf(ReadOnlySpan<byte> data, long directory, bool little)
    {
        if (directory < 8 || directory + 2 > data.Length)
        {
            return -1;
        }

        var link = directory + 2 + (12L * ReadUInt16(data, (int)directory, little));
        return link + 4 > data.Length ? -1 : link;
    }

    private const ushort ExtraSamplesTag = 338;

    // A classic TIFF directory's entries, read with bounds checked (a value outside the file reads as absent).
    internal readonly ref struct Directory(ReadOnlySpan<byte> data, int offset, bool little)
    {
        private readonly ReadOnlySpan<byte> _data = data;

        public bool Has(ushort tag) => Find(tag) >= 0;

        // A tag of one value, SHORT or LONG; `absent` when missing, 0 when of another type or count.
        public uint Single(ushort tag, uint absent = 0)
        {
            var entry = Find(tag);
            return entry < 0 ? absent : Count(entry) == 1 && Value(entry, 0) is { } value ? value : 0;
        }

        // Whether each of the tag's `count` values is `expected` (a missing tag counts as `absentIs`, one value as all).
        public bool All(ushort tag, uint count, uint expected, uint absentIs = 0) =>
            Find(tag) < 0 ? absentIs == expected : AllWithin(tag, count, expected, expected);

        // Whether each of the tag's values is within min..max, SHORT or LONG, and there are `count` of them or one.
        public bool AllWithin(ushort tag, uint count, uint min, uint max)
        {
            var entry = Find(tag);
            var values = entry < 0 ? 0 : Count(entry);
            if (values != count && values != 1)
            {
                return false;
            }

            for (var i = 0; i < values; i++)
            {
                if (Value(entry, i) is not { } value || value < min || value > max)
                {
                    return false;
                }
            }

            return true;
        }

        // All of a tag's values, however many (at most one for each two bytes of the file); null when missing, of another
        // type or outside the file.
        public long[]? Values(ushort tag)
        {
            var entry = Find(tag);
            return entry < 0 || Count(entry) > (uint)(_data.Length / 2) ? null : Many(tag, (int)Count(entry));
        }

        // A tag's `count` values (strip offsets, byte counts); null when missing, of another count or outside the file.
        public long[]? Many(ushort tag, int count)
        {
            var entry = Find(tag);
            if (entry < 0 || Count(entry) != count)
            {
                return null;
            }

            var values = new long[count];
            for (var i = 0; i < count; i++)
            {
                if (Value(entry, i) is not { } value)
                {
                    return null;
                }

                values[i] = value;
            }

            return values;
        }

        // A tag of BYTE (1) or UNDEFINED (7) values as they lie in the file (JPEGTables); null when missing, of another
        // type or outside the file.
        public byte[]? Bytes(ushort tag)
        {
            var entry = Find(tag);
            if (entry < 0 || Read16(entry + 2) is not (1 or 7))
            {
                return null;
            }

            var count = Count(entry);
            var at = count <= 4 ? entry + 8 : (long)Read32(entry + 8);
            return at + count > _data.Length ? null : _data.Slice((int)at, (int)count).ToArray();
        }

        // ColorMap: 3 x 256 16-bit values (red, green, blue), scaled to 8 bits as ImageSharp scales 16-bit colours.
        public byte[]? Palette()
        {
            var entry = Find(320);
            if (entry < 0 || Count(entry) != 768)
            {
                return null;
            }

            var palette = new byte[768];
            for (var i = 0; i < 768; i++)
            {
                if (Value(entry, i) is not { } value)
                {
                    return null;
                }

                palette[i] = (byte)(((value * 255) + 32895) >> 16);
            }

            return palette;
        }

        private int Find(ushort tag)
        {
            var entries = Read16(offset);
            for (var i = 0; i < entries; i++)
            {
                var entry = offset + 2 + (12 * i);
                if (Read16(entry) == tag)
                {
                    return entry;
                }
            }

            return -1;
        }

        private uint Count(int entry) => Read32(entry + 4);

        // Value i of a SHORT (3) or LONG (4) entry, inline when they fit in four bytes; null for other types or outside the file.
        private uint? Value(int entry, int i)
        {
            var size = Read16(entry + 2) switch
            {
                3 => 2,
                4 => 4,
                _ => 0,
            };
            if (size == 0)
            {
                return null;
            }

            var total = (long)Count(entry) * size;
            var at = (total <= 4 ? entry + 8 : (long)Read32(entry + 8)) + ((long)i * size);
            if (at < 0 || at + size > _data.Length)
            {
                return null;
            }

            return size == 2 ? Read16((int)at) : Read32((int)at);
        }

        private ushort Read16(int at) => ReadUInt16(_data, at, little);

        private uint Read32(int at) => ReadUInt32(_data, at, little);
    }

    /// <summary>
    /// Hands page <paramref name="index"/> as a single-page TIFF to <paramref name="decode"/>. The bytes are this
    /// object's working copy (the caller's are never touched), valid only during the call; not thread-safe.
    /// </summary>
    public T WithPage<T>(int index, Func<byte[], T> decode)
    {
        _file ??= _data.ToArray();
        var directory = _directories[index];
        var link = (int)LinkOf(_file, directory, _littleEndian);
        var header = ReadUInt32(_file, 4, _littleEndian);
        var next = ReadUInt32(_file, link, _littleEndian);
        WriteUInt32(_file, 4, (uint)directory);
        WriteUInt32(_file, link, 0);
        try
        {
            return decode(_file);
        }
        finally
        {
            WriteUInt32(_file, link, next);
            WriteUInt32(_file, 4, header);
        }
    }

    private static ushort ReadUInt16(ReadOnlySpan<byte> data, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data[offset..]) : BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);

    private static uint ReadUInt32(ReadOnlySpan<byte> data, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data[offset..]) : BinaryPrimitives.ReadUInt32BigEndian(data[offset..]);

    private void WriteUInt32(byte[] data, int offset, uint value)
    {
        if (_littleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(data.AsSpan(offset), value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(offset), value);
        }
    }
}
