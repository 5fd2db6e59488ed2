using System.Buffers.Binary;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Reads the segment headers of an embedded JBIG2 stream (a PDF's, ITU T.88 section 7.2) for the counts jbig2dec loops
/// over without allocating: a text region's symbol placements and a halftone region's grid cells. jbig2dec's memory is
/// bounded (<see cref="Jbig2Codec.Budget"/>), but a text region that claims 700 million placements is decoded one placement
/// at a time from garbage, each out-of-range symbol warned about, for minutes. A region that claims more placements or
/// cells than the page has pixels is refused before jbig2dec sees it.
/// </summary>
/// <remarks>
/// Segments that cannot be walked (a damaged header, a length that runs past the stream, the unknown length of a generic
/// region whose end is found by scanning) end the walk without a verdict: jbig2dec then decodes, and fails, as before.
/// </remarks>
internal static class Jbig2Segments
{
    // Segment types (T.88 table 2): intermediate, immediate and immediate lossless text and halftone regions.
    private const int IntermediateText = 4, ImmediateText = 6, ImmediateLosslessText = 7;
    private const int IntermediateHalftone = 20, ImmediateHalftone = 22, ImmediateLosslessHalftone = 23;

    // The region segment information field (7.4.1): width, height, x, y and a flags byte.
    private const int RegionInfoBytes = 17;

    /// <summary>
    /// Why <paramref name="stream"/> cannot be a page of <paramref name="pageArea"/> pixels, or null: a text region claiming
    /// more symbol placements, or a halftone region more grid cells, than both its own area and the page's.
    /// </summary>
    public static string? Implausible(ReadOnlySpan<byte> stream, long pageArea)
    {
        var at = 0;
        while (TryHeader(stream, at, out var type, out var dataStart, out var dataLength))
        {
            var data = stream.Slice(dataStart, (int)Math.Min(dataLength, (uint)(stream.Length - dataStart)));
            if (data.Length >= RegionInfoBytes)
            {
                var area = (long)BinaryPrimitives.ReadUInt32BigEndian(data) * BinaryPrimitives.ReadUInt32BigEndian(data[4..]);
                var most = Math.Max(1, Math.Min(area, pageArea));
                if (type is IntermediateText or ImmediateText or ImmediateLosslessText && Placements(data) is { } placements && placements > most)
                {
                    return $"a text region claims {placements} symbol placements in {Size(data)} pixels";
                }

                if (type is IntermediateHalftone or ImmediateHalftone or ImmediateLosslessHalftone && Cells(data) is { } cells && cells > most)
                {
                    return $"a halftone region claims {cells} grid cells in {Size(data)} pixels";
                }
            }

            if (dataLength == uint.MaxValue || dataLength > (uint)(stream.Length - dataStart))
            {
                return null;
            }

            at = dataStart + (int)dataLength;
        }

        return null;
    }

    // One segment header (7.2) at `at`: its type, where its data starts and its length (uint.MaxValue: unknown).
    private static bool TryHeader(ReadOnlySpan<byte> stream, int at, out int type, out int dataStart, out uint dataLength)
    {
        (type, dataStart, dataLength) = (0, 0, 0);
        if (stream.Length - at < 6)
        {
            return false;
        }

        var number = BinaryPrimitives.ReadUInt32BigEndian(stream[at..]);
        var flags = stream[at + 4];
        type = flags & 0x3F;
        var position = (long)at + 5;

        // Referred-to segments: a count of up to 4 in the top three bits, or 7 and a 29-bit count with its retention bits.
        long referred = stream[(int)position] >> 5;
        if (referred == 7)
        {
            if (stream.Length - position < 4)
            {
                return false;
            }

            referred = BinaryPrimitives.ReadUInt32BigEndian(stream[(int)position..]) & 0x1FFF_FFFF;
            position += 4 + (referred + 8) / 8;
        }
        else if (referred > 4)
        {
            return false;
        }
        else
        {
            position += 1;
        }

        position += referred * (number <= 256 ? 1 : number <= 65536 ? 2 : 4);
        position += (flags & 0x40) != 0 ? 4 : 1;
        if (position + 4 > stream.Length)
        {
            return false;
        }

        dataLength = BinaryPrimitives.ReadUInt32BigEndian(stream[(int)position..]);
        dataStart = (int)position + 4;
        return true;
    }

    // SBNUMINSTANCES (7.4.4.1): after the region information and the text region flags, the Huffman flags when SBHUFF is
    // set and the refinement's adaptive template pixels when SBREFINE is set with SBRTEMPLATE 0.
    private static long? Placements(ReadOnlySpan<byte> data)
    {
        if (data.Length < RegionInfoBytes + 2)
        {
            return null;
        }

        var flags = BinaryPrimitives.ReadUInt16BigEndian(data[RegionInfoBytes..]);
        var at = RegionInfoBytes + 2 + ((flags & 0x0001) != 0 ? 2 : 0) + ((flags & 0x0002) != 0 && (flags & 0x8000) == 0 ? 4 : 0);
        return data.Length >= at + 4 ? BinaryPrimitives.ReadUInt32BigEndian(data[at..]) : null;
    }

    // HGW x HGH (7.4.5.1): after the region information and the halftone region's flags byte.
    private static long? Cells(ReadOnlySpan<byte> data) =>
        data.Length >= RegionInfoBytes + 9
            ? (long)BinaryPrimitives.ReadUInt32BigEndian(data[(RegionInfoBytes + 1)..]) * BinaryPrimitives.ReadUInt32BigEndian(data[(RegionInfoBytes + 5)..])
            : null;

    private static string Size(ReadOnlySpan<byte> data) =>
        $"{BinaryPrimitives.ReadUInt32BigEndian(data)} x {BinaryPrimitives.ReadUInt32BigEndian(data[4..])}";
}
