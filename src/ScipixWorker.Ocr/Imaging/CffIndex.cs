using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// A CFF INDEX (a count, an offset size, count + 1 offsets counted from 1, then the items' bytes), read from a font
/// program without copying it: where each item lies in the program.
/// </summary>
internal readonly record struct CffIndex(int Count, int OffSize, int OffsetsAt, int DataBase)
{
    /// <summary>Reads the INDEX at <paramref name="at"/> and moves <paramref name="at"/> past it; false where it does not fit the program.</summary>
    public static bool TryRead(ReadOnlySpan<byte> cff, ref int at, out CffIndex index)
    {
        index = default;
        if (at < 0 || at > cff.Length - 2)
        {
            return false;
        }

        var count = BinaryPrimitives.ReadUInt16BigEndian(cff[at..]);
        if (count == 0)
        {
            at += 2;
            return true;
        }

        if (at > cff.Length - 3 || cff[at + 2] is < 1 or > 4)
        {
            return false;
        }

        var offSize = cff[at + 2];
        var offsetsAt = at + 3;
        if ((long)offsetsAt + ((count + 1L) * offSize) > cff.Length)
        {
            return false;
        }

        index = new CffIndex(count, offSize, offsetsAt, offsetsAt + ((count + 1) * offSize) - 1);
        var end = (long)index.DataBase + index.Offset(cff, count);
        if (end > cff.Length)
        {
            return false;
        }

        at = (int)end;
        return true;
    }

    /// <summary>Where item <paramref name="item"/> lies in the program; an empty range where its offsets are out of order or outside the data.</summary>
    public Range Item(ReadOnlySpan<byte> cff, int item)
    {
        if (item < 0 || item >= Count)
        {
            return new Range(0, 0);
        }

        var (start, end) = (Offset(cff, item), Offset(cff, item + 1));
        return start >= 1 && end >= start && DataBase + end <= cff.Length ? new Range((int)(DataBase + start), (int)(DataBase + end)) : new Range(0, 0);
    }

    private long Offset(ReadOnlySpan<byte> cff, int item)
    {
        var at = cff.Slice(OffsetsAt + (item * OffSize), OffSize);
        long value = 0;
        foreach (var b in at)
        {
            value = (value << 8) | b;
        }

        return value;
    }
}
