using System.Buffers.Binary;
using System.Text;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>
/// Font programs written by hand for the font checks (<c>Type1Programs</c>, <c>CffPrograms</c>): Type 1 programs (PFA
/// with a binary or a hex eexec part, or PFB) and CFF font sets (one font, or a CID font with an FDArray), bare or in an
/// OpenType wrapper, from glyph programs given as numbers and operator names.
/// </summary>
internal static class HandMadeFonts
{
    public enum Type1Form
    {
        Binary,
        Hex,
        Pfb,
    }

    private static readonly Dictionary<string, byte[]> Type1Operators = new()
    {
        ["hstem"] = [1], ["vstem"] = [3], ["rlineto"] = [5], ["closepath"] = [9], ["callsubr"] = [10], ["return"] = [11],
        ["hsbw"] = [13], ["endchar"] = [14], ["rmoveto"] = [21], ["seac"] = [12, 6], ["div"] = [12, 12],
        ["callothersubr"] = [12, 16], ["pop"] = [12, 17], ["setcurrentpoint"] = [12, 33],
    };

    private static readonly Dictionary<string, byte[]> Type2Operators = new()
    {
        ["rlineto"] = [5], ["callsubr"] = [10], ["return"] = [11], ["endchar"] = [14], ["hstemhm"] = [18], ["hintmask"] = [19],
        ["rmoveto"] = [21], ["vstemhm"] = [23], ["callgsubr"] = [29],
    };

    /// <summary>A Type 1 charstring (unencrypted): integers as numbers, strings as operators, byte arrays as they are.</summary>
    public static byte[] Type1CharString(params object[] parts) => CharString(parts, Type1Operators, type2: false);

    /// <summary>A Type 2 (CFF) charstring: integers as numbers, strings as operators, byte arrays as they are (hint masks).</summary>
    public static byte[] Type2CharString(params object[] parts) => CharString(parts, Type2Operators, type2: true);

    /// <summary>The number a Type 2 charstring gives callsubr or callgsubr for subroutine <paramref name="index"/> of an INDEX of <paramref name="count"/>.</summary>
    public static int Biased(int index, int count) => index - (count < 1240 ? 107 : count < 33900 ? 1131 : 32768);

    /// <summary>
    /// A Type 1 font program with these subroutines and glyphs (lenIV 4), in the form given; <paramref name="clearTextEntry"/>
    /// is one more entry of the font dictionary, in its clear text.
    /// </summary>
    public static byte[] Type1(IReadOnlyList<byte[]> subrs, IReadOnlyList<(string Name, byte[] Program)> glyphs, Type1Form form = Type1Form.Binary, string clearTextEntry = "")
    {
        var clear = Encoding.ASCII.GetBytes(
            $"%!PS-AdobeFont-1.0: HandMade 001\n12 dict begin\n/FontInfo 1 dict dup begin end readonly def\n/FontName /HandMade def\n{clearTextEntry}" +
            "/Encoding StandardEncoding def\n/PaintType 0 def\n/FontType 1 def\n/FontMatrix [0.001 0 0 0.001 0 0] readonly def\n" +
            "/FontBBox {0 0 600 700} readonly def\ncurrentdict end\ncurrentfile eexec\n");
        using var plain = new MemoryStream();
        void Text(string text) => plain.Write(Encoding.ASCII.GetBytes(text));
        Text("dup /Private 8 dict dup begin\n/RD {string currentfile exch readstring pop} executeonly def\n/ND {noaccess def} executeonly def\n" +
             "/NP {noaccess put} executeonly def\n/lenIV 4 def\n/BlueValues [] def\n/MinFeature {16 16} def\n/password 5839 def\n");
        Text($"/Subrs {subrs.Count} array\n");
        for (var i = 0; i < subrs.Count; i++)
        {
            var encrypted = Encrypt([0, 0, 0, 0, .. subrs[i]], 4330);
            Text($"dup {i} {encrypted.Length} RD ");
            plain.Write(encrypted);
            Text(" NP\n");
        }

        Text($"ND\n2 index /CharStrings {glyphs.Count} dict dup begin\n");
        foreach (var (name, program) in glyphs)
        {
            var encrypted = Encrypt([0, 0, 0, 0, .. program], 4330);
            Text($"/{name} {encrypted.Length} RD ");
            plain.Write(encrypted);
            Text(" ND\n");
        }

        Text("end\nend\nreadonly put\nnoaccess put\ndup /FontName get exch definefont pop\nmark currentfile closefile\n");
        var cipher = Encrypt([0, 0, 0, 0, .. plain.ToArray()], 55665);
        var trailer = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(new string('0', 64) + "\n", 8)) + "cleartomark\n");
        return form switch
        {
            Type1Form.Hex => [.. clear, .. Encoding.ASCII.GetBytes(string.Join('\n', Convert.ToHexString(cipher).Chunk(64).Select(c => new string(c)))), (byte)'\n', .. trailer],
            Type1Form.Pfb => [.. Segment(1, clear), .. Segment(2, cipher), .. Segment(1, trailer), 0x80, 3],
            _ => [.. clear, .. cipher, .. trailer],
        };
    }

    /// <summary>A CFF font set of one font with these global subroutines, local subroutines and charstrings.</summary>
    public static byte[] Cff(IReadOnlyList<byte[]> globals, IReadOnlyList<byte[]> locals, IReadOnlyList<byte[]> charStrings) =>
        Cff(globals, [locals], fdOfGlyph: null, charStrings);

    /// <summary>
    /// A CFF font set: one font, or (with <paramref name="fdOfGlyph"/>) a CID font whose FDArray has a font DICT per list of
    /// local subroutines, each glyph's chosen by an FDSelect of format 3.
    /// </summary>
    public static byte[] Cff(IReadOnlyList<byte[]> globals, IReadOnlyList<IReadOnlyList<byte[]>> locals, byte[]? fdOfGlyph, IReadOnlyList<byte[]> charStrings)
    {
        // Every offset is written as a 5-byte integer, so the sizes are known before the offsets are.
        byte[] Top(int charStringsAt, int privateSize, int privateAt, int fdArrayAt, int fdSelectAt) => fdOfGlyph is null
            ? [.. Int5(charStringsAt), 17, .. Int5(privateSize), .. Int5(privateAt), 18]
            : [.. Int5(0), .. Int5(0), .. Int5(0), 12, 30, .. Int5(charStringsAt), 17, .. Int5(fdArrayAt), 12, 36, .. Int5(fdSelectAt), 12, 37];

        // A Private DICT: nominalWidthX 0, then Subrs at its own end (the local INDEX follows it).
        byte[] Private(bool hasLocals) => hasLocals ? [139, 21, .. Int5(8), 19] : [139, 21];

        var head = (byte[])[1, 0, 4, 4];
        var names = Index([Encoding.ASCII.GetBytes("HandMade")]);
        var strings = Index([]);
        var globalIndex = Index(globals);
        var charStringIndex = Index(charStrings);
        var topSize = Index([Top(0, 0, 0, 0, 0)]).Length;
        var charStringsAt = head.Length + names.Length + topSize + strings.Length + globalIndex.Length;
        using var tail = new MemoryStream();
        tail.Write(charStringIndex);
        int privateAt, privateSize, fdArrayAt = 0, fdSelectAt = 0;
        if (fdOfGlyph is null)
        {
            var privateDict = Private(locals[0].Count > 0);
            (privateAt, privateSize) = (charStringsAt + (int)tail.Length, privateDict.Length);
            tail.Write(privateDict);
            tail.Write(locals[0].Count > 0 ? Index(locals[0]) : []);
        }
        else
        {
            // The FDSelect, then the FDArray (font DICTs naming their Private DICTs), then each Private DICT and its subroutines.
            (privateAt, privateSize) = (0, 0);
            fdSelectAt = charStringsAt + (int)tail.Length;
            var ranges = fdOfGlyph.Select((fd, glyph) => (fd, glyph)).Where(g => g.glyph == 0 || fdOfGlyph[g.glyph - 1] != g.fd).ToList();
            tail.Write([3, .. U16(ranges.Count), .. ranges.SelectMany(r => (byte[])[.. U16(r.glyph), r.fd]), .. U16(fdOfGlyph.Length)]);
            fdArrayAt = charStringsAt + (int)tail.Length;
            var fdDictSize = 5 + 5 + 1;
            var fdArraySize = Index([.. locals.Select(_ => new byte[fdDictSize])]).Length;
            var at = fdArrayAt + fdArraySize;
            var fdDicts = new List<byte[]>();
            var privates = new MemoryStream();
            foreach (var fdLocals in locals)
            {
                var privateDict = Private(fdLocals.Count > 0);
                fdDicts.Add([.. Int5(privateDict.Length), .. Int5(at + (int)privates.Length), 18]);
                privates.Write(privateDict);
                privates.Write(fdLocals.Count > 0 ? Index(fdLocals) : []);
            }

            tail.Write(Index(fdDicts));
            tail.Write(privates.ToArray());
        }

        return [.. head, .. names, .. Index([Top(charStringsAt, privateSize, privateAt, fdArrayAt, fdSelectAt)]), .. strings, .. globalIndex, .. tail.ToArray()];
    }

    /// <summary>An OpenType font whose one table is this CFF font set (the table directory PDF readers look it up in).</summary>
    public static byte[] OpenType(byte[] cff)
    {
        var header = (byte[])[.. "OTTO"u8, .. U16(1), .. U16(16), .. U16(0), .. U16(0)];
        var record = (byte[])[.. "CFF "u8, 0, 0, 0, 0, .. U32(12 + 16), .. U32(cff.Length)];
        return [.. header, .. record, .. cff];
    }

    private static byte[] CharString(object[] parts, Dictionary<string, byte[]> operators, bool type2)
    {
        var bytes = new List<byte>();
        foreach (var part in parts)
        {
            switch (part)
            {
                case int number:
                    bytes.AddRange(Number(number, type2));
                    break;
                case string name:
                    bytes.AddRange(operators[name]);
                    break;
                case byte[] raw:
                    bytes.AddRange(raw);
                    break;
                default:
                    throw new ArgumentException($"Not a number, operator or bytes: {part}");
            }
        }

        return [.. bytes];
    }

    private static byte[] Number(int value, bool type2) => value switch
    {
        >= -107 and <= 107 => [(byte)(value + 139)],
        >= 108 and <= 1131 => [(byte)(247 + ((value - 108) >> 8)), (byte)((value - 108) & 0xff)],
        >= -1131 and <= -108 => [(byte)(251 + ((-value - 108) >> 8)), (byte)((-value - 108) & 0xff)],
        _ when type2 => [28, .. U16(value)],
        _ => [255, .. U32(value)],
    };

    private static byte[] Encrypt(byte[] plain, int key)
    {
        var cipher = new byte[plain.Length];
        for (var i = 0; i < plain.Length; i++)
        {
            cipher[i] = (byte)(plain[i] ^ (key >> 8));
            key = (((cipher[i] + key) * 52845) + 22719) & 0xffff;
        }

        return cipher;
    }

    private static byte[] Segment(byte type, byte[] data)
    {
        var header = new byte[6];
        (header[0], header[1]) = (0x80, type);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(2), data.Length);
        return [.. header, .. data];
    }

    private static byte[] Index(IReadOnlyList<byte[]> items)
    {
        if (items.Count == 0)
        {
            return [0, 0];
        }

        // Offsets count from 1: the first is 1, each next one the previous plus the item's length.
        var offsets = new List<byte>(U32(1));
        var offset = 1;
        foreach (var item in items)
        {
            offset += item.Length;
            offsets.AddRange(U32(offset));
        }

        return [.. U16(items.Count), 4, .. offsets, .. items.SelectMany(i => i)];
    }

    private static byte[] Int5(int value) => [29, .. U32(value)];

    private static byte[] U16(int value) => [(byte)(value >> 8), (byte)value];

    private static byte[] U32(int value) => [(byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value];
}
