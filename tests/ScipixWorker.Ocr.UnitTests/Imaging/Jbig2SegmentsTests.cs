using System.Buffers.Binary;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// <see cref="Jbig2Segments"/> on segment streams written here by T.88's layout: a page information segment, then the
/// region under test, with the header forms real encoders write (short and long referred-to counts, wide segment
/// numbers, 4-byte page associations).
/// </summary>
public sealed class Jbig2SegmentsTests
{
    private const long Page = 463L * 1013;

    [Fact]
    public void A_text_region_within_its_area_passes_and_one_claiming_more_placements_than_pixels_is_named()
    {
        Assert.Null(Jbig2Segments.Implausible(Stream(Text(463, 1013, 589)), Page));
        Assert.Null(Jbig2Segments.Implausible(Stream(Text(463, 1013, 463 * 1013)), Page));

        Assert.Equal("a text region claims 704643661 symbol placements in 463 x 1013 pixels",
            Jbig2Segments.Implausible(Stream(Text(463, 1013, 704_643_661)), Page));
    }

    [Fact]
    public void The_bound_is_the_smaller_of_the_regions_area_and_the_pages()
    {
        // A region of 100 x 10 holds at most 1,000 placements, whatever the page; a region larger than the page holds the page's.
        Assert.NotNull(Jbig2Segments.Implausible(Stream(Text(100, 10, 1_001)), Page));
        Assert.Null(Jbig2Segments.Implausible(Stream(Text(100_000, 100_000, 1_000)), 2_000));
        Assert.NotNull(Jbig2Segments.Implausible(Stream(Text(100_000, 100_000, 2_001)), 2_000));
    }

    [Theory]
    [InlineData(0x0000, 0)] // arithmetic coding, no refinement
    [InlineData(0x0001, 2)] // Huffman: its table selection comes first
    [InlineData(0x0002, 4)] // refinement with template 0: its adaptive pixels come first
    [InlineData(0x8002, 0)] // refinement with template 1: none
    [InlineData(0x8003, 2)]
    [InlineData(0x0003, 6)]
    public void The_placement_count_is_read_after_the_fields_the_flags_call_for(int flags, int before)
    {
        var region = Text(463, 1013, 5_000_000, (ushort)flags, before);

        Assert.Equal("a text region claims 5000000 symbol placements in 463 x 1013 pixels", Jbig2Segments.Implausible(Stream(region), Page));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(7)]
    public void Intermediate_and_immediate_text_regions_are_read(int type)
    {
        Assert.NotNull(Jbig2Segments.Implausible(Stream(Segment(2, type, TextRegion(463, 1013, 1_000_000))), Page));
    }

    [Fact]
    public void A_halftone_region_claiming_more_grid_cells_than_pixels_is_named()
    {
        Assert.Null(Jbig2Segments.Implausible(Stream(Segment(2, 22, Halftone(463, 1013, 40, 80))), Page));

        Assert.Equal("a halftone region claims 4000000000 grid cells in 463 x 1013 pixels",
            Jbig2Segments.Implausible(Stream(Segment(2, 23, Halftone(463, 1013, 40_000, 100_000))), Page));
    }

    [Fact]
    public void Headers_with_long_referred_to_counts_wide_numbers_and_page_associations_are_walked()
    {
        // Segment 300 refers to segments 1 and 2 in 2-byte numbers; segment 70,000 to eight segments in the long form
        // (4-byte numbers, two retention bytes) with a 4-byte page association.
        var shortForm = Segment(300, 6, TextRegion(463, 1013, 1_000_000), referredTo: [1, 2]);
        var longForm = Segment(70_000, 6, TextRegion(463, 1013, 2_000_000), referredTo: [1, 2, 3, 4, 5, 6, 7, 8], widePage: true);

        Assert.Contains("1000000", Jbig2Segments.Implausible(Stream(shortForm), Page), StringComparison.Ordinal);
        Assert.Contains("2000000", Jbig2Segments.Implausible(Stream(Segment(300, 6, TextRegion(463, 1013, 10)), longForm), Page), StringComparison.Ordinal);
    }

    [Fact]
    public void A_stream_that_cannot_be_walked_is_left_to_the_decoder()
    {
        var text = Segment(2, 6, TextRegion(463, 1013, 1_000_000));

        // An unknown length (a generic region ended by scanning), a length past the stream, a cut header: no verdict on what follows.
        Assert.Null(Jbig2Segments.Implausible(Stream(Segment(2, 38, new byte[40], unknownLength: true), text), Page));
        Assert.Null(Jbig2Segments.Implausible([.. Segment(2, 38, new byte[40]).AsSpan(0, 30)], Page));
        Assert.Null(Jbig2Segments.Implausible([.. PageInformation(), .. text.AsSpan(0, 8)], Page));
        Assert.Null(Jbig2Segments.Implausible([], Page));

        // A referred-to count of 5 or 6 is not a valid header.
        var invalid = Segment(2, 6, TextRegion(463, 1013, 1_000_000));
        invalid[5] = 5 << 5;
        Assert.Null(Jbig2Segments.Implausible(invalid, Page));
    }

    [Fact]
    public void A_region_whose_data_is_too_short_for_its_count_is_not_read_past_its_length()
    {
        // The text region's data ends with its flags; the bytes after it (the next segment's number, 2,147,483,647) are not
        // taken for its count.
        var cut = Segment(2, 6, TextRegion(463, 1013, 10)[..19]);
        var next = Segment(0x7FFF_FFFF, 48, new byte[19]);

        Assert.Null(Jbig2Segments.Implausible(Stream(cut, next), Page));
    }

    // A page information segment followed by these.
    private static byte[] Stream(params byte[][] segments) => [.. PageInformation(), .. segments.SelectMany(s => s)];

    // An immediate text region segment.
    private static byte[] Text(uint width, uint height, uint placements, ushort flags = 0x0010, int before = 0) =>
        Segment(2, 6, TextRegion(width, height, placements, flags, before));

    private static byte[] PageInformation()
    {
        var data = new byte[19];
        BinaryPrimitives.WriteUInt32BigEndian(data, 463);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), 1013);
        return Segment(1, 48, data);
    }

    // A segment header (7.2) and its data.
    private static byte[] Segment(uint number, int type, byte[] data, uint[]? referredTo = null, bool widePage = false, bool unknownLength = false)
    {
        referredTo ??= [];
        var header = new List<byte>();
        header.AddRange(BigEndian(number));
        header.Add((byte)(type | (widePage ? 0x40 : 0)));
        if (referredTo.Length <= 4)
        {
            header.Add((byte)(referredTo.Length << 5));
        }
        else
        {
            header.AddRange(BigEndian((uint)(7 << 29 | referredTo.Length)));
            header.AddRange(new byte[(referredTo.Length + 8) / 8]);
        }

        foreach (var referred in referredTo)
        {
            header.AddRange(number <= 256 ? [(byte)referred] : number <= 65536 ? BigEndian(referred)[2..] : BigEndian(referred));
        }

        header.AddRange(widePage ? BigEndian(1) : [1]);
        header.AddRange(BigEndian(unknownLength ? uint.MaxValue : (uint)data.Length));
        return [.. header, .. data];
    }

    // A text region's data (7.4.4): region information, flags, `before` bytes of the fields the flags call for, the count.
    private static byte[] TextRegion(uint width, uint height, uint placements, ushort flags = 0x0010, int before = 0)
    {
        var data = new byte[17 + 2 + before + 4 + 16];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        BinaryPrimitives.WriteUInt16BigEndian(data.AsSpan(17), flags);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(19 + before), placements);
        // The fields between flags and count are filled with bytes that would read as a huge count if taken for it.
        data.AsSpan(19, before).Fill(0x7F);
        return data;
    }

    // A halftone region's data (7.4.5): region information, flags, the grid's width and height, its origin and vector.
    private static byte[] Halftone(uint width, uint height, uint gridWidth, uint gridHeight)
    {
        var data = new byte[17 + 1 + 16 + 4];
        BinaryPrimitives.WriteUInt32BigEndian(data, width);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(4), height);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(18), gridWidth);
        BinaryPrimitives.WriteUInt32BigEndian(data.AsSpan(22), gridHeight);
        return data;
    }

    private static byte[] BigEndian(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }
}
