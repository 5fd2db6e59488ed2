using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// The entries of a CFF DICT (a Top DICT, a font DICT of a CID font's FDArray, a Private DICT) that say where a font's
/// glyph programs and subroutines lie, each null where the DICT does not give it, and whether it is a CID font's (ROS).
/// </summary>
internal readonly record struct CffDict(int? CharStrings, (int Size, int Offset)? Private, int? Subrs, int? CharStringType, bool Cid, int? FdArray, int? FdSelect)
{
    /// <summary>Reads a DICT's operands and operators (numbers before each operator); stops where its bytes end.</summary>
    public static CffDict Read(ReadOnlySpan<byte> dict)
    {
        var result = new CffDict();
        Span<double> operands = stackalloc double[48];
        var count = 0;
        var at = 0;
        while (at < dict.Length)
        {
            var b = dict[at++];
            if (b <= 21)
            {
                var op = b == 12 && at < dict.Length ? 1200 + dict[at++] : b;
                var last = count > 0 ? Int(operands[count - 1]) : (int?)null;
                result = op switch
                {
                    17 => result with { CharStrings = last },
                    18 when count >= 2 => result with { Private = (Int(operands[count - 2]), Int(operands[count - 1])) },
                    19 => result with { Subrs = last },
                    1206 => result with { CharStringType = last },
                    1230 => result with { Cid = true },
                    1236 => result with { FdArray = last },
                    1237 => result with { FdSelect = last },
                    _ => result,
                };
                count = 0;
                continue;
            }

            double value;
            switch (b)
            {
                case 28 when at + 2 <= dict.Length:
                    value = BinaryPrimitives.ReadInt16BigEndian(dict[at..]);
                    at += 2;
                    break;
                case 29 when at + 4 <= dict.Length:
                    value = BinaryPrimitives.ReadInt32BigEndian(dict[at..]);
                    at += 4;
                    break;
                case 30:
                    // A real: nibbles up to the one that ends it (0xf); only integers locate anything.
                    while (at < dict.Length)
                    {
                        var pair = dict[at++];
                        if (pair >> 4 == 0x0f || (pair & 0x0f) == 0x0f)
                        {
                            break;
                        }
                    }

                    value = double.NaN;
                    break;
                case >= 32 and <= 246:
                    value = CharStringIntegers.OneByte(b);
                    break;
                case >= 247 and <= 254 when at < dict.Length:
                    value = CharStringIntegers.TwoBytes(b, dict[at++]);
                    break;
                default:
                    return result; // reserved or cut short: nothing more can be read
            }

            if (count < operands.Length)
            {
                operands[count++] = value;
            }
        }

        return result;
    }

    private static int Int(double value) => double.IsFinite(value) && value is >= int.MinValue and <= int.MaxValue ? (int)value : -1;
}
