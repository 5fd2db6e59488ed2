using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The composite glyphs of a TrueType font program (a glyph built from other glyphs: an é from an e and an accent),
/// checked before PdfPig reads them: PdfPig builds a composite's components by recursion, so a damaged font whose
/// composites nest thousands deep overflows the stack, which no catch survives: the process dies (found by
/// <c>DamagedFileTests</c>; 1,500 composites each built from the next do it). Composites built from themselves, through
/// others or directly, are refused too: the font is damaged, and PdfPig's reading of them is not to be relied on. Real
/// fonts nest composites two or three deep (<c>maxp</c>'s maxComponentDepth).
/// </summary>
internal static class TrueTypeComposites
{
    /// <summary>Deeper than this a chain of composites is refused: far past any real font, far short of the stack.</summary>
    public const int MaxDepth = 32;

    private const ushort ArgsAreWords = 0x0001;
    private const ushort HasScale = 0x0008;
    private const ushort MoreComponents = 0x0020;
    private const ushort HasXyScale = 0x0040;
    private const ushort HasTwoByTwo = 0x0080;

    /// <summary>
    /// True when a composite glyph of <paramref name="font"/> (an sfnt: a FontFile2 stream) is built, through its
    /// components, from itself, or its components nest deeper than <see cref="MaxDepth"/>. A font whose tables cannot be
    /// found or read is not judged here (false): PdfPig's own parse reports it.
    /// </summary>
    public static bool Loop(ReadOnlySpan<byte> font)
    {
        if (!TryTable(font, "head"u8, out var head) || head.Length < 54
            || !TryTable(font, "maxp"u8, out var maxp) || maxp.Length < 6
            || !TryTable(font, "loca"u8, out var loca) || !TryTable(font, "glyf"u8, out var glyf))
        {
            return false;
        }

        var longOffsets = BinaryPrimitives.ReadInt16BigEndian(head[50..]) != 0;
        var glyphs = BinaryPrimitives.ReadUInt16BigEndian(maxp[4..]);
        var components = new List<ushort>[glyphs];
        for (var g = 0; g < glyphs; g++)
        {
            if (Glyph(loca, glyf, g, longOffsets) is { Length: >= 10 } data && BinaryPrimitives.ReadInt16BigEndian(data) < 0)
            {
                components[g] = Components(data[10..]);
            }
        }

        // Depth-first from every composite, without recursion: 0 unseen, 1 on the current path, 2 done.
        var state = new byte[glyphs];
        var stack = new Stack<(int Glyph, int Next)>();
        for (var root = 0; root < glyphs; root++)
        {
            if (components[root] is null || state[root] != 0)
            {
                continue;
            }

            stack.Push((root, 0));
            state[root] = 1;
            while (stack.TryPop(out var frame))
            {
                var (glyph, next) = frame;
                var parts = components[glyph];
                if (parts is null || next == parts.Count)
                {
                    state[glyph] = 2;
                    continue;
                }

                stack.Push((glyph, next + 1));
                var part = parts[next];
                if (part >= glyphs || components[part] is null || state[part] == 2)
                {
                    continue; // a simple glyph, or one past the font (PdfPig's to judge)
                }

                if (state[part] == 1 || stack.Count >= MaxDepth)
                {
                    return true;
                }

                state[part] = 1;
                stack.Push((part, 0));
            }
        }

        return false;
    }

    // A glyph's bytes from the loca table's offsets; empty where they fall outside glyf.
    private static ReadOnlySpan<byte> Glyph(ReadOnlySpan<byte> loca, ReadOnlySpan<byte> glyf, int glyph, bool longOffsets)
    {
        long start, end;
        if (longOffsets)
        {
            if ((glyph + 2) * 4 > loca.Length)
            {
                return [];
            }

            (start, end) = (BinaryPrimitives.ReadUInt32BigEndian(loca[(glyph * 4)..]), BinaryPrimitives.ReadUInt32BigEndian(loca[((glyph + 1) * 4)..]));
        }
        else
        {
            if ((glyph + 2) * 2 > loca.Length)
            {
                return [];
            }

            (start, end) = (BinaryPrimitives.ReadUInt16BigEndian(loca[(glyph * 2)..]) * 2L, BinaryPrimitives.ReadUInt16BigEndian(loca[((glyph + 1) * 2)..]) * 2L);
        }

        return start < end && end <= glyf.Length ? glyf[(int)start..(int)end] : [];
    }

    // The glyph numbers a composite's component records name, in order (each: flags, glyph, two arguments, a transform).
    private static List<ushort> Components(ReadOnlySpan<byte> records)
    {
        var parts = new List<ushort>();
        var at = 0;
        while (at + 4 <= records.Length)
        {
            var flags = BinaryPrimitives.ReadUInt16BigEndian(records[at..]);
            parts.Add(BinaryPrimitives.ReadUInt16BigEndian(records[(at + 2)..]));
            at += 4 + ((flags & ArgsAreWords) != 0 ? 4 : 2)
                + ((flags & HasScale) != 0 ? 2 : (flags & HasXyScale) != 0 ? 4 : (flags & HasTwoByTwo) != 0 ? 8 : 0);
            if ((flags & MoreComponents) == 0)
            {
                break;
            }
        }

        return parts;
    }

    /// <summary>A table of an sfnt (TrueType or OpenType) by its tag, from the table directory after the 12-byte header.</summary>
    internal static bool TryTable(ReadOnlySpan<byte> font, ReadOnlySpan<byte> tag, out ReadOnlySpan<byte> table)
    {
        table = [];
        if (font.Length < 12)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(font[4..]);
        for (var i = 0; i < count && 12 + ((i + 1) * 16) <= font.Length; i++)
        {
            var entry = font.Slice(12 + (i * 16), 16);
            if (!entry[..4].SequenceEqual(tag))
            {
                continue;
            }

            var (offset, length) = (BinaryPrimitives.ReadUInt32BigEndian(entry[8..]), BinaryPrimitives.ReadUInt32BigEndian(entry[12..]));
            if (offset > (uint)font.Length || length > (uint)font.Length - offset)
            {
                return false;
            }

            table = font.Slice((int)offset, (int)length);
            return true;
        }

        return false;
    }
}
