using System.IO.Compression;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

public sealed class DecodedSizeTests
{
    private static readonly DictionaryToken NoParameters = new(new Dictionary<NameToken, IToken>());

    [Fact]
    public void Flate_size_is_what_inflates()
    {
        var data = new byte[300_000];
        new Random(3).NextBytes(data.AsSpan(0, 100_000));

        Assert.Equal(data.Length, DecodedSize.Flate(Deflated(data, zlib: true), NoParameters, 0, long.MaxValue));
        Assert.Equal(data.Length, PdfPigFlate(Deflated(data, zlib: true)));
    }

    [Fact]
    public void Flate_counting_stops_just_past_the_limit()
    {
        var bomb = Deflated(new byte[64 << 20], zlib: true); // 64 MiB of zeros in about 64 KB

        var counted = DecodedSize.Flate(bomb, NoParameters, 0, limit: 1 << 20);

        Assert.InRange(counted, 1 << 20, (1 << 20) + 81920);
    }

    [Fact]
    public void Raw_deflate_behind_a_damaged_header_is_counted_too()
    {
        var data = new byte[50_000];
        var raw = Deflated(data, zlib: false);
        var damaged = new byte[raw.Length + 2];
        raw.CopyTo(damaged, 2); // two junk header bytes

        Assert.Equal(data.Length, DecodedSize.Flate(damaged, NoParameters, 0, long.MaxValue));
    }

    [Fact]
    public void Run_length_size_follows_the_length_bytes()
    {
        // 3 literal bytes, 100 copies of 'x', 1 literal byte, end of data, then junk that must not count.
        byte[] data = [2, 1, 2, 3, 157, (byte)'x', 0, 9, 128, 0, 5];

        Assert.Equal(3 + 100 + 1, DecodedSize.RunLength(data, NoParameters, 0, long.MaxValue));
        Assert.Equal(new RunLengthFilter().Decode(data, NoParameters, DefaultFilterProvider.Instance, 0).Length, DecodedSize.RunLength(data, NoParameters, 0, long.MaxValue));
    }

    [Fact]
    public void Run_length_counting_stops_past_the_limit()
    {
        var data = Enumerable.Repeat(new byte[] { 129, 0 }, 10_000).SelectMany(b => b).ToArray(); // 10,000 x 128 zeros

        Assert.InRange(DecodedSize.RunLength(data, NoParameters, 0, limit: 1000), 1000, 1128);
    }

    [Fact]
    public void Ccitt_fax_size_is_the_declared_rows_of_packed_bits()
    {
        var image = Dictionary(("Filter", "CCITTFaxDecode"), ("Height", 1013), ("DecodeParms", Dictionary(("Columns", 463), ("K", -1))));
        var withRows = Dictionary(("Filter", "CCITTFaxDecode"), ("Height", 10), ("DecodeParms", Dictionary(("Columns", 1000), ("Rows", 20))));

        Assert.Equal(58 * 1013, DecodedSize.CcittFax(ReadOnlyMemory<byte>.Empty, image, 0, long.MaxValue));
        Assert.Equal(125 * 20, DecodedSize.CcittFax(ReadOnlyMemory<byte>.Empty, withRows, 0, long.MaxValue));
    }

    [Fact]
    public void Ccitt_fax_without_a_row_count_or_past_the_limit_is_refused()
    {
        var noRows = Dictionary(("Filter", "CCITTFaxDecode"), ("DecodeParms", Dictionary(("Columns", 1000))));
        var huge = Dictionary(("Filter", "CCITTFaxDecode"), ("Height", 1_000_000), ("DecodeParms", Dictionary(("Columns", 100_000))));

        Assert.Equal(1001, DecodedSize.CcittFax(ReadOnlyMemory<byte>.Empty, noRows, 0, limit: 1001));
        Assert.Equal(1001, DecodedSize.CcittFax(ReadOnlyMemory<byte>.Empty, huge, 0, limit: 1001));
    }

    private static DictionaryToken Dictionary(params (string Name, object Value)[] entries) =>
        new(entries.ToDictionary(e => NameToken.Create(e.Name), e => e.Value switch
        {
            int number => (IToken)new NumericToken(number),
            DictionaryToken dictionary => dictionary,
            string name => NameToken.Create(name),
            _ => throw new ArgumentException(e.Name),
        }));

    private static long PdfPigFlate(byte[] data) => new FlateFilter().Decode(data, NoParameters, DefaultFilterProvider.Instance, 0).Length;

    private static byte[] Deflated(byte[] data, bool zlib)
    {
        using var output = new MemoryStream();
        using (Stream deflater = zlib ? new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true) : new DeflateStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflater.Write(data);
        }

        return output.ToArray();
    }
}
