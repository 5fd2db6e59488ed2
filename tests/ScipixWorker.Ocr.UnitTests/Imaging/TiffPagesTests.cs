using System.Buffers.Binary;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class TiffPagesTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Each_page_is_presented_as_the_file_with_its_directory_first_and_alone(bool littleEndian)
    {
        var file = Chain(littleEndian, 3);
        var original = file.ToArray();

        var pages = TiffPages.TryRead(file, maxPages: 10)!;

        Assert.Equal(3, pages.Count);
        for (var i = 0; i < 3; i++)
        {
            var (first, next) = pages.WithPage(i, bytes => (Read32(bytes, 4, littleEndian), Read32(bytes, (int)Read32(bytes, 4, littleEndian) + 2 + 12, littleEndian)));
            Assert.Equal((Directory(i), 0u), (first, next));
        }

        Assert.Equal(original, file); // the caller's bytes are never touched
    }

    [Fact]
    public void Reading_stops_one_past_the_page_limit()
    {
        var pages = TiffPages.TryRead(Chain(true, 8), maxPages: 3)!;
        Assert.Equal(4, pages.Count);
    }

    [Fact]
    public void A_directory_chain_that_loops_or_leaves_the_file_is_left_to_the_whole_file_decoder()
    {
        var looping = Chain(true, 2);
        BinaryPrimitives.WriteUInt32LittleEndian(looping.AsSpan((int)Directory(1) + 2 + 12), Directory(0));
        var truncated = Chain(true, 2)[..((int)Directory(1) + 4)];

        Assert.Null(TiffPages.TryRead(looping, 10));
        Assert.Null(TiffPages.TryRead(truncated, 10));
        Assert.Null(TiffPages.TryRead("GIF89a.."u8.ToArray(), 10));
        Assert.Null(TiffPages.TryRead(new byte[] { (byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 0, 0 }, 10)); // BigTIFF
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_file_of_one_page_without_extra_samples_may_be_decoded_straight_to_rgb(bool littleEndian)
    {
        var single = Chain(littleEndian, 1);
        var withAlpha = Chain(littleEndian, 1);
        TiffBytes.Write16(withAlpha, (int)Directory(0) + 2, 338, bigEndian: !littleEndian); // its one entry becomes ExtraSamples
        var threePages = Chain(littleEndian, 3);

        Assert.True(TiffPages.IsOnePageWithoutExtraSamples(single));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples(withAlpha));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples(threePages)); // decoded whole, every frame: page by page instead
        Assert.All(
            Enumerable.Range(0, 3),
            i => Assert.True(TiffPages.TryRead(threePages, 10)!.WithPage(i, page => TiffPages.IsOnePageWithoutExtraSamples(page))));
    }

    [Fact]
    public void Data_whose_first_directory_cannot_be_read_is_not_taken_for_an_opaque_page()
    {
        var truncated = Chain(true, 1)[..((int)Directory(0) + 10)];
        var pointingOut = Chain(true, 1);
        BinaryPrimitives.WriteUInt32LittleEndian(pointingOut.AsSpan(4), 10_000);

        Assert.False(TiffPages.IsOnePageWithoutExtraSamples(truncated));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples(pointingOut));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples("GIF89a.."u8));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples([(byte)'I', (byte)'M', 42, 0, 8, 0, 0, 0]));
        Assert.False(TiffPages.IsOnePageWithoutExtraSamples([(byte)'I', (byte)'I', 43, 0, 8, 0, 0, 0, 0, 0])); // BigTIFF
    }

    [Fact]
    public void A_directory_whose_samples_cannot_be_a_pages_is_named_damaged_before_imagesharp_sizes_buffers_by_it()
    {
        // Entries: tag, type (3 SHORT, 4 LONG, 5 RATIONAL), count, value (two SHORTs inline: the first in the low half).
        Assert.Null(TiffPages.SampleDamage(OneDirectory((277, 3, 1, 3), (258, 3, 1, 8)))); // RGB, the bits given once
        Assert.Null(TiffPages.SampleDamage(OneDirectory((277, 4, 1, 2), (258, 3, 2, 8 | (16u << 16))))); // LONG samples, bits each
        Assert.Null(TiffPages.SampleDamage(OneDirectory((258, 3, 1, 1)))); // bilevel: no SamplesPerPixel, one
        Assert.Null(TiffPages.SampleDamage(OneDirectory((256, 3, 1, 100)))); // neither tag: the defaults
        Assert.Null(TiffPages.SampleDamage("GIF89a.."u8)); // no TIFF: the decoder decides

        Assert.Contains("SamplesPerPixel", TiffPages.SampleDamage(OneDirectory((277, 5, 1, 8)))); // a RATIONAL, as the damaged fax had
        Assert.Contains("SamplesPerPixel", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 0))));
        Assert.Contains("SamplesPerPixel", TiffPages.SampleDamage(OneDirectory((277, 3, 2, 1 | (1u << 16)))));
        Assert.Contains("at most 16", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 60_000))));
        Assert.Contains("BitsPerSample", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 1), (258, 3, 1, 0))));
        Assert.Contains("BitsPerSample", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 1), (258, 3, 1, 64))));
        Assert.Contains("BitsPerSample", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 3), (258, 3, 2, 8 | (8u << 16))))); // two for three
        Assert.Contains("BitsPerSample", TiffPages.SampleDamage(OneDirectory((277, 3, 1, 1), (258, 5, 1, 8))));
    }

    // A little-endian classic TIFF of one directory holding `entries`, their values inline.
    private static byte[] OneDirectory(params (ushort Tag, ushort Type, uint Count, uint Value)[] entries)
    {
        var file = new byte[8 + 2 + (12 * entries.Length) + 4];
        file[0] = file[1] = (byte)'I';
        TiffBytes.Write16(file, 2, 42, bigEndian: false);
        TiffBytes.Write32(file, 4, 8, bigEndian: false);
        TiffBytes.Write16(file, 8, (ushort)entries.Length, bigEndian: false);
        for (var i = 0; i < entries.Length; i++)
        {
            var at = 10 + (12 * i);
            TiffBytes.Write16(file, at, entries[i].Tag, bigEndian: false);
            TiffBytes.Write16(file, at + 2, entries[i].Type, bigEndian: false);
            TiffBytes.Write32(file, at + 4, entries[i].Count, bigEndian: false);
            TiffBytes.Write32(file, at + 8, entries[i].Value, bigEndian: false);
        }

        return file;
    }

    // A header and a chain of directories with one (dummy) entry each, 64 bytes apart from offset 64.
    private static byte[] Chain(bool little, int pages)
    {
        var file = new byte[64 + (64 * pages)];
        file[0] = file[1] = (byte)(little ? 'I' : 'M');
        TiffBytes.Write16(file, 2, 42, bigEndian: !little);
        TiffBytes.Write32(file, 4, Directory(0), bigEndian: !little);
        for (var i = 0; i < pages; i++)
        {
            var at = (int)Directory(i);
            TiffBytes.Write16(file, at, 1, bigEndian: !little);
            TiffBytes.Write16(file, at + 2, 256, bigEndian: !little); // ImageWidth, SHORT, 1, 1
            TiffBytes.Write16(file, at + 4, 3, bigEndian: !little);
            TiffBytes.Write32(file, at + 6, 1, bigEndian: !little);
            TiffBytes.Write32(file, at + 14, i + 1 < pages ? Directory(i + 1) : 0, bigEndian: !little);
        }

        return file;
    }

    private static uint Directory(int page) => (uint)(64 + (64 * page));

    private static uint Read32(byte[] data, int offset, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data.AsSpan(offset)) : BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(offset));
}
