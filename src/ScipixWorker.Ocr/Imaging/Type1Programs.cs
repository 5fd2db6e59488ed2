using System.Buffers;
using System.Buffers.Binary;
using System.Runtime.InteropServices;
using UglyToad.PdfPig.Fonts.Encodings;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The glyph programs (Type 1 charstrings) of a Type 1 font program (a PDF's <c>/FontFile</c>), checked before PdfPig runs
/// them. PdfPig runs a glyph's subroutines, and the glyphs an accented glyph is built from (<c>seac</c>), by recursion,
/// with no limit: a subroutine that calls itself, or a glyph built from itself, overflows the stack, which no catch
/// survives (the process ends); subroutines that each call the next twice run 2^n steps. This runs every glyph as PdfPig
/// does, following what decides which subroutine or glyph comes next (the numbers each operator leaves, pops and clears,
/// the other-subroutine results PdfPig gives back), and judges the font damaged where calls nest deeper than
/// <see cref="MaxDepth"/>, a glyph runs more than <see cref="MaxGlyphSteps"/> steps, the font more than
/// <see cref="MaxFontSteps"/>, or a call's number is computed rather than given (no font does that). Real fonts nest
/// subroutines two or three deep (the format allows 10) and run a few hundred steps a glyph.
/// </summary>
internal static class Type1Programs
{
    /// <summary>Calls (subroutines, and the glyphs of accented glyphs) nested deeper than this: the font is refused.</summary>
    public const int MaxDepth = 64;

    /// <summary>More steps than this (numbers and operators run) for one glyph: the font is refused.</summary>
    public const int MaxGlyphSteps = 32_768;

    /// <summary>More steps than this for the whole font: the font is refused.</summary>
    public const long MaxFontSteps = 16L << 20;

    /// <summary>
    /// More <c>dict</c> operators than this in the clear text (before <c>eexec</c>): the font is refused. PdfPig reads a
    /// dictionary inside a dictionary by recursion, so 30,000 nested ones (840 KB) overflow its stack; real fonts have two
    /// or three (the font's, FontInfo's).
    /// </summary>
    public const int MaxClearTextDicts = 64;

    private const ushort EexecKey = 55665;
    private const ushort CharStringKey = 4330;

    // Operators, as PdfPig reads them; escaped ones (12 x) as 100 + x. Any other byte under 32 PdfPig skips.
    private const int CallSubr = 10;
    private const int Return = 11;
    private const int Seac = 106;
    private const int Div = 112;
    private const int CallOtherSubr = 116;
    private const int Pop = 117;
    private static readonly SearchValues<byte> Known = SearchValues.Create([1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 21, 22, 30, 31, 100, 101, 102, 106, 107, 112, 116, 117, 133]);

    /// <summary>
    /// What is wrong with the Type 1 font program <paramref name="program"/> (PFA text, or a PFB file with its segment
    /// headers): its calls loop or nest past the limit, or its glyphs run past the limits; null when nothing is, or when
    /// the program cannot be read far enough to be judged (PdfPig fails on it as well).
    /// </summary>
    public static string? Damage(ReadOnlySpan<byte> program)
    {
        var clear = ClearText(program, out var pfb);
        if (Dicts(clear) > MaxClearTextDicts)
        {
            return $"its clear text holds more than {MaxClearTextDicts} dictionaries (nested, they would be read by recursion)";
        }

        if (Encrypted(program, pfb ? 6 + clear.Length : -1, pfb || clear.Length == program.Length ? -1 : clear.Length) is not { } encrypted)
        {
            return null;
        }

        if (Programs(Decrypt(encrypted, EexecKey, 4)) is not var (subrs, glyphs, order))
        {
            return null;
        }

        var machine = new Machine(subrs, glyphs);
        foreach (var name in order)
        {
            switch (machine.Glyph(name))
            {
                case Outcome.Loops:
                    return $"the glyph /{name} of its program calls subroutines or glyphs nested more than {MaxDepth} deep (calling themselves)";
                case Outcome.TooLong:
                    return $"the glyph /{name} of its program runs more than {MaxGlyphSteps:N0} steps";
                case Outcome.TooCostly:
                    return $"its program's glyphs run more than {MaxFontSteps:N0} steps";
                case Outcome.Computed:
                    return $"the glyph /{name} of its program calls a subroutine or glyph by a computed number";
            }
        }

        return null;
    }

    // The subroutines and glyph programs of the decrypted private part, read into PdfPig's tokens (the glyphs in their
    // order); null where an entry cannot be read (PdfPig fails on the font there).
    private static (Dictionary<int, Token[]> Subrs, Dictionary<string, Token[]> Glyphs, List<string> Order)? Programs(byte[] plain)
    {
        var lenIv = Number(plain, "/lenIV"u8) ?? 4;
        var subrs = new Dictionary<int, Token[]>();
        var at = plain.AsSpan().IndexOf("/Subrs"u8);
        if (at >= 0)
        {
            // `dup index length RD <bytes> NP` entries, up to the `ND` (or `def`) that ends the array.
            at += 6;
            while (NextToken(plain, ref at) is { } token && token != "def" && token != "ND" && token != "|-" && !token.StartsWith('/'))
            {
                if (token == "dup")
                {
                    if (!int.TryParse(NextToken(plain, ref at), out var index) || Entry(plain, ref at, lenIv) is not { } entry)
                    {
                        return null;
                    }

                    subrs[index] = entry;
                }
            }
        }

        var charStrings = plain.AsSpan(Math.Max(at, 0)).IndexOf("/CharStrings"u8);
        if (charStrings < 0)
        {
            return null;
        }

        // `/name length RD <bytes> ND` entries, up to the dictionary's `end`.
        var glyphs = new Dictionary<string, Token[]>(StringComparer.Ordinal);
        var order = new List<string>();
        at = Math.Max(at, 0) + charStrings + 12;
        while (NextToken(plain, ref at) is { } token && token != "end")
        {
            if (token.Length > 1 && token[0] == '/')
            {
                if (Entry(plain, ref at, lenIv) is not { } entry)
                {
                    return null;
                }

                if (glyphs.TryAdd(token[1..], entry))
                {
                    order.Add(token[1..]);
                }
                else
                {
                    glyphs[token[1..]] = entry; // PdfPig keeps the last of two glyphs of one name
                }
            }
        }

        return (subrs, glyphs, order);
    }

    // The clear text: a PFB file's first segment (`pfb`), or what comes before `eexec` (all of it where there is none).
    private static ReadOnlySpan<byte> ClearText(ReadOnlySpan<byte> program, out bool pfb)
    {
        pfb = program.Length > 6 && program[0] == 0x80 && program[1] == 1;
        if (pfb)
        {
            var size = BinaryPrimitives.ReadInt32LittleEndian(program[2..]);
            return size >= 0 && size <= program.Length - 6 ? program.Slice(6, size) : program[6..];
        }

        return program.IndexOf("eexec"u8) is var eexec and >= 0 ? program[..eexec] : program;
    }

    // The `dict` operators in the clear text: the word standing alone.
    private static int Dicts(ReadOnlySpan<byte> text)
    {
        var count = 0;
        for (var from = 0; text[from..].IndexOf("dict"u8) is var found and >= 0; from += found + 4)
        {
            var at = from + found;
            if ((at == 0 || PdfSyntax.IsDelimiterOrSpace(text[at - 1])) && (at + 4 == text.Length || PdfSyntax.IsDelimiterOrSpace(text[at + 4])))
            {
                count++;
            }
        }

        return count;
    }

    // The encrypted part: a PFB file's binary segment (its header at `binaryAt`), or what follows the `eexec` at `eexec`
    // (its white space skipped), hex decoded where its first four bytes are hex digits, up to `cleartomark`; -1: none.
    private static byte[]? Encrypted(ReadOnlySpan<byte> program, long binaryAt, int eexec)
    {
        if (binaryAt >= 0)
        {
            if (binaryAt + 6 > program.Length || program[(int)binaryAt] != 0x80 || program[(int)binaryAt + 1] != 2)
            {
                return null;
            }

            var size = BinaryPrimitives.ReadInt32LittleEndian(program[((int)binaryAt + 2)..]);
            return size >= 0 && binaryAt + 6 + size <= program.Length ? program.Slice((int)binaryAt + 6, size).ToArray() : null;
        }

        if (eexec < 0 || !program.StartsWith("%!"u8))
        {
            return null;
        }

        var rest = program[(eexec + 5)..];
        var start = 0;
        while (start < rest.Length && PdfSyntax.IsSpace(rest[start]))
        {
            start++;
        }

        rest = rest[start..];
        if (rest.IndexOf("cleartomark"u8) is var mark and >= 0)
        {
            rest = rest[..mark];
        }

        if (rest.Length < 4 || !IsHex(rest[0]) || !IsHex(rest[1]) || !IsHex(rest[2]) || !IsHex(rest[3]))
        {
            return rest.ToArray();
        }

        var digits = new List<char>(rest.Length);
        foreach (var c in rest)
        {
            if (IsHex(c))
            {
                digits.Add((char)c);
            }
        }

        return Convert.FromHexString(CollectionsMarshal.AsSpan(digits)[..(digits.Count & ~1)]);
    }

    private static bool IsHex(byte c) => c is >= (byte)'0' and <= (byte)'9' or >= (byte)'a' and <= (byte)'f' or >= (byte)'A' and <= (byte)'F';

    // Type 1 decryption (eexec: key 55665; charstrings: 4330), the first `skip` bytes dropped; -1 leaves the bytes as they are.
    private static byte[] Decrypt(ReadOnlySpan<byte> cipher, ushort key, int skip)
    {
        if (skip < 0)
        {
            return cipher.ToArray();
        }

        if (skip > cipher.Length)
        {
            return [];
        }

        var plain = new byte[cipher.Length - skip];
        int r = key;
        for (var i = 0; i < cipher.Length; i++)
        {
            var c = cipher[i];
            if (i >= skip)
            {
                plain[i - skip] = (byte)(c ^ (r >> 8));
            }

            r = (((c + r) * 52845) + 22719) & 0xffff;
        }

        return plain;
    }

    // The integer after a key (`/lenIV 4`); null where there is none.
    private static int? Number(byte[] plain, ReadOnlySpan<byte> key)
    {
        var at = plain.AsSpan().IndexOf(key);
        if (at < 0)
        {
            return null;
        }

        at += key.Length;
        return int.TryParse(NextToken(plain, ref at), out var value) ? value : null;
    }

    // The next white-space-delimited token at `at`, moving past it; null at the end.
    private static string? NextToken(byte[] plain, ref int at)
    {
        while (at < plain.Length && PdfSyntax.IsSpace(plain[at]))
        {
            at++;
        }

        var start = at;
        while (at < plain.Length && !PdfSyntax.IsSpace(plain[at]))
        {
            at++;
        }

        return at > start ? System.Text.Encoding.Latin1.GetString(plain, start, Math.Min(at - start, 256)) : null;
    }

    // A charstring entry after its key or number: `length RD` (or `-|`), one space, then `length` encrypted bytes, read
    // into PdfPig's tokens; null where it does not fit or cannot be read (PdfPig's reading of the font fails there).
    private static Token[]? Entry(byte[] plain, ref int at, int lenIv)
    {
        if (!int.TryParse(NextToken(plain, ref at), out var length) || length < 0 || NextToken(plain, ref at) is null)
        {
            return null;
        }

        at++; // the one space after RD
        if (at > plain.Length - length)
        {
            return null;
        }

        var bytes = Decrypt(plain.AsSpan(at, length), CharStringKey, lenIv);
        at += length;
        return Tokens(bytes);
    }

    // A charstring's numbers and operators as PdfPig reads them: unknown operators skipped; null where a number runs
    // past the end.
    private static Token[]? Tokens(ReadOnlySpan<byte> bytes)
    {
        var tokens = new List<Token>(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b <= 31)
            {
                var op = b;
                if (b == 12)
                {
                    if (++i >= bytes.Length)
                    {
                        return null;
                    }

                    op = (byte)(100 + bytes[i]);
                    if (bytes[i] > 33)
                    {
                        continue;
                    }
                }

                if (Known.Contains(op))
                {
                    tokens.Add(new Token(0, op));
                }

                continue;
            }

            int value;
            if (b <= 246)
            {
                value = CharStringIntegers.OneByte(b);
            }
            else if (b <= 254)
            {
                if (++i >= bytes.Length)
                {
                    return null;
                }

                value = CharStringIntegers.TwoBytes(b, bytes[i]);
            }
            else
            {
                if (i + 4 >= bytes.Length)
                {
                    return null;
                }

                value = (bytes[i + 1] << 24) | (bytes[i + 2] << 16) | (bytes[i + 3] << 8) | bytes[i + 4];
                i += 4;
            }

            tokens.Add(new Token(value, 0));
        }

        return [.. tokens];
    }

    // A number (Op 0) or an operator.
    private readonly record struct Token(double Value, int Op);

    private enum Outcome
    {
        Done,
        Fails, // PdfPig throws here: the glyph is not built, nothing after it in the glyph runs
        Loops,
        TooLong,
        TooCostly,
        Computed,
    }

    // Runs glyphs as PdfPig's Type 1 interpreter does, tracking only what decides the next call: each glyph run has its
    // own operand stack and other-subroutine results; numbers not known here (positions, quotients of them) are null.
    private sealed class Machine(Dictionary<int, Token[]> subrs, Dictionary<string, Token[]> glyphs)
    {
        private readonly HashSet<string> _built = new(StringComparer.Ordinal);
        private readonly HashSet<string> _running = new(StringComparer.Ordinal);
        private long _fontSteps;
        private int _glyphSteps;

        public Outcome Glyph(string name)
        {
            _glyphSteps = 0;
            return Build(name, 0);
        }

        private Outcome Build(string name, int depth)
        {
            if (_built.Contains(name))
            {
                return Outcome.Done;
            }

            if (!_running.Add(name))
            {
                return Outcome.Loops; // PdfPig caches a glyph only once built: one built from itself recurses for ever
            }

            var outcome = glyphs.TryGetValue(name, out var program) ? Run(program, new Operands(), depth) : Outcome.Fails;
            _running.Remove(name);
            if (outcome == Outcome.Done)
            {
                _built.Add(name);
            }

            return outcome;
        }

        private Outcome Run(Token[] program, Operands operands, int depth)
        {
            if (depth > MaxDepth)
            {
                return Outcome.Loops;
            }

            var stack = operands.Stack;
            foreach (var token in program)
            {
                if (++_glyphSteps > MaxGlyphSteps)
                {
                    return Outcome.TooLong;
                }

                if (++_fontSteps > MaxFontSteps)
                {
                    return Outcome.TooCostly;
                }

                switch (token.Op)
                {
                    case 0:
                        stack.Add(token.Value);
                        break;
                    case Return:
                        break;
                    case CallSubr:
                        {
                            if (!operands.TryPop(out var index))
                            {
                                return Outcome.Fails;
                            }

                            if (index is null)
                            {
                                return Outcome.Computed;
                            }

                            if (!subrs.TryGetValue((int)index.Value, out var subr))
                            {
                                return Outcome.Fails;
                            }

                            if (Run(subr, operands, depth + 1) is not Outcome.Done and var failed)
                            {
                                return failed;
                            }

                            break;
                        }

                    case CallOtherSubr:
                        if (OtherSubr(operands) is not Outcome.Done and var other)
                        {
                            return other;
                        }

                        break;
                    case Pop:
                        if (operands.Results.Count == 0)
                        {
                            return Outcome.Fails;
                        }

                        stack.Add(operands.Results[^1]);
                        operands.Results.RemoveAt(operands.Results.Count - 1);
                        break;
                    case Div:
                        {
                            if (!operands.TryPop(out var divisor) || !operands.TryPop(out var dividend))
                            {
                                return Outcome.Fails;
                            }

                            stack.Add(dividend / divisor);
                            break;
                        }

                    case Seac:
                        {
                            // The base and accent glyphs, by their codes in the standard encoding, built before this one.
                            if (stack.Count < 5)
                            {
                                return Outcome.Fails;
                            }

                            var (baseCode, accentCode) = (stack[3], stack[4]);
                            stack.RemoveRange(0, 5);
                            if (baseCode is null || accentCode is null)
                            {
                                return Outcome.Computed;
                            }

                            var names = StandardEncoding.Instance.CodeToNameMap;
                            if (!names.TryGetValue((int)baseCode.Value, out var baseName) || !names.TryGetValue((int)accentCode.Value, out var accentName))
                            {
                                return Outcome.Fails;
                            }

                            if (Build(baseName, depth + 1) is var built && built == Outcome.Done)
                            {
                                built = Build(accentName, depth + 1);
                            }

                            if (built != Outcome.Done)
                            {
                                return built;
                            }

                            stack.Clear();
                            break;
                        }

                    default:
                        stack.Clear(); // every drawing and hint operator takes its operands from the bottom and clears the rest
                        break;
                }
            }

            return Outcome.Done;
        }

        // callothersubr: its number and argument count from the top, then the arguments; the results `pop` reads back.
        private static Outcome OtherSubr(Operands operands)
        {
            if (!operands.TryPop(out var number) || !operands.TryPop(out var count))
            {
                return Outcome.Fails;
            }

            if (number is null || count is null)
            {
                return Outcome.Computed;
            }

            if ((int)count.Value < 0)
            {
                return Outcome.Fails;
            }

            var arguments = new List<double?>();
            for (var i = 0; i < (int)count.Value; i++)
            {
                if (!operands.TryPop(out var argument))
                {
                    return Outcome.Fails;
                }

                arguments.Add(argument);
            }

            var results = operands.Results;
            switch ((int)number.Value)
            {
                case 0: // flex end: two curves drawn from the flex points, which clear the operands
                    operands.Stack.Clear();
                    break;
                case 1: // flex start: the current point
                    results.Clear();
                    results.AddRange([null, null]);
                    break;
                case 2: // flex middle: the current point again
                    results.AddRange([null, null]);
                    break;
                case 3: // hint replacement: its one argument back
                    if (arguments.Count != 1)
                    {
                        return Outcome.Fails;
                    }

                    results.Clear();
                    results.Add(arguments[0]);
                    break;
                default:
                    results.Clear();
                    results.AddRange(arguments);
                    break;
            }

            return Outcome.Done;
        }
    }

    // A glyph run's operand stack and other-subroutine results (PdfPig's PostScript stack).
    private sealed class Operands
    {
        public List<double?> Stack { get; } = [];

        public List<double?> Results { get; } = [];

        public bool TryPop(out double? value)
        {
            if (Stack.Count == 0)
            {
                value = null;
                return false;
            }

            value = Stack[^1];
            Stack.RemoveAt(Stack.Count - 1);
            return true;
        }
    }
}
