using System.Buffers;
using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The glyph programs (Type 2 charstrings) of a CFF font program (a PDF's <c>/FontFile3</c>: Type1C, CIDFontType0C, or
/// the <c>CFF </c> table of an OpenType font), checked before PdfPig reads them. PdfPig reads every charstring of the
/// font when it loads it, copying each subroutine a charstring calls into the charstring in place of the call, as it
/// reads, with no limit: a subroutine that calls itself (three bytes) has it read for ever (a core held, the job never
/// answered), and subroutines that each call the next twice have it read 2^n bytes. This reads the charstrings as PdfPig
/// does (the same bytes taken as numbers, operators and hint masks, the same subroutine numbers, the same biases), in
/// PdfPig's order, and judges the font damaged where one glyph's copies come to more than <see cref="MaxGlyphBytes"/> or
/// the whole font's reading to more than <see cref="MaxFontWork"/> steps. A charstring PdfPig would fail on ends the
/// reading as it ends PdfPig's: a font that fails to load loops nowhere. Real glyphs come to hundreds of bytes (the format
/// nests subroutines at most 10 deep, a charstring is at most 65,535 bytes).
/// </summary>
internal static class CffPrograms
{
    /// <summary>More bytes than this, with the subroutines copied in, for one glyph: the font is refused.</summary>
    public const int MaxGlyphBytes = 65_536;

    /// <summary>More steps than this (bytes read, hint-mask bookkeeping) for the whole font: the font is refused.</summary>
    public const long MaxFontWork = 64L << 20;

    private const byte HintMask = 19;
    private const byte CounterMask = 20;

    // The escaped (12 x) operators PdfPig knows; any other is read as an unknown operator (255).
    private static readonly SearchValues<byte> KnownEscapes = SearchValues.Create([3, 4, 5, 9, 10, 11, 12, 14, 15, 18, 20, 21, 22, 23, 24, 26, 27, 28, 29, 30, 34, 35, 36, 37]);

    // The one-byte operators PdfPig knows; any other byte under 32 (but 28, a number) is read as unknown (255).
    private static readonly SearchValues<byte> KnownOperators = SearchValues.Create([1, 3, 4, 5, 6, 7, 8, 10, 11, 14, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 29, 30, 31]);

    /// <summary>
    /// What is wrong with the font program <paramref name="program"/> (a bare CFF font set, or an OpenType font with a
    /// CFF table): a glyph whose subroutines copy past the limits; null when none does, or when the program is not CFF or
    /// cannot be read far enough to be judged (PdfPig fails on it as well).
    /// </summary>
    public static string? Damage(ReadOnlySpan<byte> program)
    {
        if (program.StartsWith("OTTO"u8))
        {
            if (!TrueTypeComposites.TryTable(program, "CFF "u8, out var table))
            {
                return null;
            }

            program = table;
        }

        if (program.Length < 4 || program[0] != 1)
        {
            return null;
        }

        var at = (int)program[2];
        if (!CffIndex.TryRead(program, ref at, out _) || !CffIndex.TryRead(program, ref at, out var tops)
            || !CffIndex.TryRead(program, ref at, out _) || !CffIndex.TryRead(program, ref at, out var globals))
        {
            return null;
        }

        var reading = new Reading(globals);
        for (var font = 0; font < tops.Count; font++)
        {
            if (reading.Font(program, tops.Item(program, font)) is { } damage)
            {
                return damage;
            }
        }

        return null;
    }

    // One font program's reading: its work so far, and the lists reused from glyph to glyph.
    private sealed class Reading(CffIndex globals)
    {
        private readonly List<float> _values = [];
        private readonly List<Command> _byPlace = []; // the operators read, stably sorted by the number of values before each
        private readonly Stack<(int At, int End)> _callers = [];
        private long _work;

        // What is wrong with the font whose Top DICT is `top`; null when nothing is, or PdfPig could not load it.
        public string? Font(ReadOnlySpan<byte> cff, Range top)
        {
            var dict = CffDict.Read(cff[top]);
            if (dict.CharStrings is not { } charStringsAt || charStringsAt < 0 || dict.CharStringType is { } type && type != 2)
            {
                return null; // PdfPig reads Type 2 charstrings only
            }

            var at = charStringsAt;
            if (!CffIndex.TryRead(cff, ref at, out var charStrings))
            {
                return null;
            }

            // The local subroutines as PdfPig picks them: the Private DICT's (at any Subrs offset); in a CID font each
            // glyph's font DICT's (at a positive offset), else the Private DICT's again.
            if (Locals(cff, dict.Private, atZero: true) is not { } locals)
            {
                return null;
            }

            CffIndex?[]? fdLocals = null;
            FdSelect? fdSelect = null;
            if (dict.Cid)
            {
                var fdAt = dict.FdArray ?? -1;
                if (!CffIndex.TryRead(cff, ref fdAt, out var fdArray) || (fdSelect = FdSelect.Read(cff, dict.FdSelect ?? -1, charStrings.Count)) is null)
                {
                    return null;
                }

                fdLocals = new CffIndex?[fdArray.Count];
                for (var fd = 0; fd < fdArray.Count; fd++)
                {
                    if (CffDict.Read(cff[fdArray.Item(cff, fd)]).Private is not { } fdPrivate)
                    {
                        return null;
                    }

                    fdLocals[fd] = Locals(cff, fdPrivate, atZero: false);
                }
            }

            for (var glyph = 0; glyph < charStrings.Count; glyph++)
            {
                var glyphLocals = locals;
                if (fdLocals is not null)
                {
                    var fd = fdSelect!.Of(glyph, ref _work);
                    glyphLocals = fd >= 0 && fd < fdLocals.Length && fdLocals[fd] is { } own ? own : glyphLocals;
                }

                switch (Glyph(cff, charStrings.Item(cff, glyph), glyphLocals))
                {
                    case Outcome.Fails:
                        return null; // PdfPig's reading of the font stops here: no glyph after it is read
                    case Outcome.TooLong:
                        return $"glyph {glyph} of its program calls subroutines that copy past {MaxGlyphBytes:N0} bytes (subroutines calling themselves)";
                    case Outcome.TooCostly:
                        return $"its program takes more than {MaxFontWork:N0} steps to read";
                }
            }

            return null;
        }

        // One charstring read as PdfPig reads it.
        private Outcome Glyph(ReadOnlySpan<byte> cff, Range charString, CffIndex locals)
        {
            _values.Clear();
            _byPlace.Clear();
            _callers.Clear();
            var (at, end) = (charString.Start.Value, charString.End.Value);
            var read = 0;

            // The next byte of the charstring as PdfPig has copied it: the rest of a subroutine, then the rest of its caller.
            bool Next(ReadOnlySpan<byte> bytes, out byte value)
            {
                while (at >= end)
                {
                    if (!_callers.TryPop(out var caller))
                    {
                        value = 0;
                        return false;
                    }

                    (at, end) = caller;
                }

                value = bytes[at++];
                read++;
                _work++;
                return true;
            }

            while (Next(cff, out var b))
            {
                if (read > MaxGlyphBytes)
                {
                    return Outcome.TooLong;
                }

                if (_work > MaxFontWork)
                {
                    return Outcome.TooCostly;
                }

                if (b > 31 || b == 28)
                {
                    if (!Number(cff, b, out var number))
                    {
                        return Outcome.Fails;
                    }

                    _values.Add(number);
                    continue;
                }

                if (b == 12)
                {
                    if (!Next(cff, out var escaped))
                    {
                        return Outcome.Fails;
                    }

                    Add(KnownEscapes.Contains(escaped) ? new Command(_values.Count, true, escaped) : new Command(_values.Count, false, 255));
                    continue;
                }

                if (b is 10 or 29)
                {
                    // The subroutine numbered by the last value read, with the bias of its INDEX's size; it is read next.
                    if (_values.Count == 0)
                    {
                        return Outcome.Fails;
                    }

                    var subroutines = b == 10 ? locals : globals;
                    var index = unchecked((int)_values[^1] + Bias(subroutines.Count));
                    if (index < 0 || index >= subroutines.Count)
                    {
                        return Outcome.Fails;
                    }

                    _values.RemoveAt(_values.Count - 1);
                    _callers.Push((at, end));
                    var called = subroutines.Item(cff, index);
                    (at, end) = (called.Start.Value, called.End.Value);
                    continue;
                }

                if (b is HintMask or CounterMask)
                {
                    // PdfPig skips the mask's bytes: as many as its count of the stems before it needs.
                    var skip = MaskBytes();
                    for (var i = 0; i < skip; i++)
                    {
                        if (!Next(cff, out _))
                        {
                            break; // past the end: PdfPig's reading ends there too
                        }
                    }
                }

                if (b == 11)
                {
                    continue; // return: PdfPig drops it and reads on
                }

                Add(new Command(_values.Count, false, KnownOperators.Contains(b) ? b : (byte)255));
            }

            return Outcome.Read;

            // A number's further bytes, as PdfPig reads them.
            bool Number(ReadOnlySpan<byte> bytes, byte first, out float number)
            {
                number = 0;
                switch (first)
                {
                    case 28:
                        if (!Next(bytes, out var high) || !Next(bytes, out var low))
                        {
                            return false;
                        }

                        number = (short)((high << 8) | low);
                        return true;
                    case <= 246:
                        number = CharStringIntegers.OneByte(first);
                        return true;
                    case <= 254:
                        if (!Next(bytes, out var second))
                        {
                            return false;
                        }

                        number = CharStringIntegers.TwoBytes(first, second);
                        return true;
                    default:
                        Span<byte> fixedBytes = stackalloc byte[4];
                        for (var i = 0; i < 4; i++)
                        {
                            if (!Next(bytes, out fixedBytes[i]))
                            {
                                return false;
                            }
                        }

                        number = (short)(fixedBytes[0] << 8) + fixedBytes[1] + (((fixedBytes[2] << 8) + fixedBytes[3]) / 65535.0f);
                        return true;
                }
            }
        }

        private void Add(Command command)
        {
            var place = _byPlace.Count;
            while (place > 0 && _byPlace[place - 1].Values > command.Values)
            {
                place--;
                _work++;
            }

            _byPlace.Insert(place, command);
        }

        // The bytes of a hint mask as PdfPig counts them: the stems declared (pairs of values before the hint operators)
        // up to its first mask, walking the values in order and the operators read after each.
        private int MaskBytes()
        {
            var stems = 0;
            var numbers = 0;
            var masked = false;
            var last = 0;
            foreach (var command in _byPlace)
            {
                _work++;
                if (command.Values > _values.Count)
                {
                    break; // after the values PdfPig walks
                }

                numbers += command.Values - last;
                last = command.Values;
                if (!command.Escaped && command.Id is HintMask or CounterMask)
                {
                    masked = true;
                    stems += numbers / 2;
                    break;
                }

                if (command.Escaped ? command.Id > 35 : command.Id is not (1 or 3 or 18 or 23))
                {
                    numbers = 0;
                }
                else
                {
                    stems += numbers / 2;
                    numbers = 0;
                }
            }

            if (!masked)
            {
                numbers += _values.Count - last;
                stems += numbers / 2;
            }

            return (stems + 7) / 8;
        }

        private static int Bias(int count) => count < 1240 ? 107 : count < 33900 ? 1131 : 32768;

        // The local subroutines a Private DICT (size, offset) names: none (an empty INDEX) where it names none; null where
        // its INDEX cannot be read (PdfPig fails there). A font DICT's Subrs at offset 0 or less are no subroutines of its own.
        private static CffIndex? Locals(ReadOnlySpan<byte> cff, (int Size, int Offset)? privateDict, bool atZero)
        {
            if (privateDict is not var (size, offset) || size <= 0)
            {
                return atZero ? default(CffIndex) : null;
            }

            if (offset < 0 || offset > cff.Length - size)
            {
                return null;
            }

            if (CffDict.Read(cff.Slice(offset, size)).Subrs is not { } subrs || (!atZero && subrs <= 0))
            {
                return atZero ? default(CffIndex) : null;
            }

            var at = offset + subrs;
            return CffIndex.TryRead(cff, ref at, out var locals) ? locals : null;
        }
    }

    private enum Outcome
    {
        Read,
        Fails,
        TooLong,
        TooCostly,
    }

    // A CID font's FDSelect (formats 0 and 3), giving each glyph's font DICT as PdfPig looks it up.
    private sealed class FdSelect(byte[]? each, (int First, int Fd)[] ranges, int sentinel)
    {
        public static FdSelect? Read(ReadOnlySpan<byte> cff, int at, int glyphs)
        {
            if (at < 0 || at >= cff.Length)
            {
                return null;
            }

            if (cff[at] == 0)
            {
                return at + 1 + glyphs <= cff.Length ? new FdSelect(cff.Slice(at + 1, glyphs).ToArray(), [], 0) : null;
            }

            if (cff[at] != 3 || at + 3 > cff.Length)
            {
                return null;
            }

            var count = BinaryPrimitives.ReadUInt16BigEndian(cff[(at + 1)..]);
            if (at + 3 + (count * 3) + 2 > cff.Length)
            {
                return null;
            }

            var ranges = new (int First, int Fd)[count];
            for (var r = 0; r < count; r++)
            {
                ranges[r] = (BinaryPrimitives.ReadUInt16BigEndian(cff[(at + 3 + (r * 3))..]), cff[at + 3 + (r * 3) + 2]);
            }

            return new FdSelect(null, ranges, BinaryPrimitives.ReadUInt16BigEndian(cff[(at + 3 + (count * 3))..]));
        }

        // A glyph's font DICT: format 0's byte (0 past its end); format 3's range, in PdfPig's walk (-1 past the sentinel).
        public int Of(int glyph, ref long work)
        {
            if (each is not null)
            {
                return glyph < each.Length ? each[glyph] : 0;
            }

            for (var r = 0; r < ranges.Length; r++)
            {
                work++;
                if (ranges[r].First <= glyph)
                {
                    if (r + 1 < ranges.Length)
                    {
                        if (ranges[r + 1].First > glyph)
                        {
                            return ranges[r].Fd;
                        }
                    }
                    else
                    {
                        return sentinel > glyph ? ranges[r].Fd : -1;
                    }
                }
            }

            return 0;
        }
    }

    // An operator as PdfPig records it: the number of values read before it, and its code (255: unknown).
    private readonly record struct Command(int Values, bool Escaped, byte Id);
}
