using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// PDF's LZWDecode decoded with the engine's tables (<see cref="PdfLzwFilter"/>): the bytes encoded, with /EarlyChange 1
/// and 0 and the predictors PDF borrows undone (TIFF's 2, PNG's 10-15 with a filter a row), the same as PdfPig's own
/// filter gives; into an array of the size counted, through the filters the engine reads PDFs with.
/// </summary>
public sealed class PdfLzwFilterTests
{
    private const int Columns = 150;
    private const int Rows = 90;

    public static TheoryData<int, int, int> Streams => new()
    {
        { 1, 1, 3 }, // no predictor
        { 1, 0, 3 }, // the width grown at 512, 1024, 2048
        { 2, 1, 3 }, // TIFF's horizontal differencing, RGB
        { 2, 1, 1 },
        { 12, 1, 3 }, // PNG's filters, one a row (none, sub, up, average, Paeth in turn)
        { 15, 0, 1 },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Lzw_streams_decode_to_the_samples_encoded_with_their_predictor_undone(int predictor, int earlyChange, int colors)
    {
        var samples = Samples(colors);
        var stream = LzwStreams.Encode(Predicted(samples, predictor, colors), clearWhenFull: true, earlyChange);
        var dictionary = Dictionary(predictor, earlyChange, colors);

        var decoded = new PdfLzwFilter().Decode(stream, dictionary, DefaultFilterProvider.Instance, 0);

        Assert.Equal(samples, decoded.ToArray());
        if (earlyChange == 1)
        {
            Assert.Equal(new LzwFilter().Decode(stream, dictionary, DefaultFilterProvider.Instance, 0).ToArray(), decoded.ToArray());
        }
    }

    [Fact]
    public void The_filters_the_engine_reads_pdfs_with_decode_lzw_so_and_bound_it()
    {
        var samples = Samples(3);
        var stream = LzwStreams.Encode(Predicted(samples, 12, 3), clearWhenFull: true);
        var dictionary = Dictionary(12, 1, 3);
        var filter = new BoundedPdfFilters(maxDecodedBytes: 1 << 20).GetNamedFilters([NameToken.Create("LZWDecode")]).Single();

        Assert.Equal(samples, filter.Decode(stream, dictionary, DefaultFilterProvider.Instance, 0).ToArray());

        var tooSmall = new BoundedPdfFilters(maxDecodedBytes: samples.Length / 2).GetNamedFilters([NameToken.Create("LZWDecode")]).Single();
        var error = Assert.Throws<OcrException>(() => tooSmall.Decode(stream, dictionary, DefaultFilterProvider.Instance, 0));
        Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);
    }

    [Fact]
    public void A_code_the_table_does_not_hold_ends_the_data_there_as_the_size_was_counted()
    {
        var samples = Samples(1);
        var stream = LzwStreams.Encode(samples, clearWhenFull: true);
        var damaged = stream.ToArray();
        damaged[damaged.Length / 2] ^= 0xff;
        var dictionary = Dictionary(1, 1, 1);

        var decoded = new PdfLzwFilter().Decode(damaged, dictionary, DefaultFilterProvider.Instance, 0);

        Assert.Equal(DecodedSize.Lzw(damaged, dictionary, 0, long.MaxValue), decoded.Length);
        Assert.InRange(decoded.Length, 1, samples.Length * 2);
    }

    // A scan's rows: white with strokes, a gradient under them.
    private static byte[] Samples(int colors)
    {
        var samples = new byte[Rows * Columns * colors];
        for (var i = 0; i < samples.Length; i++)
        {
            var (x, y) = (i / colors % Columns, i / colors / Columns);
            samples[i] = (byte)(x / 5 % 4 == 0 && y / 7 % 3 == 0 ? 30 + (i % 3) : 200 + ((x + y) % 50));
        }

        return samples;
    }

    // The samples as a writer stores them before LZW: as they are (1), each sample less the one a pixel to its left (2),
    // or PNG's filters, each row led by its filter's number (10 and up).
    private static byte[] Predicted(byte[] samples, int predictor, int colors)
    {
        var rowBytes = Columns * colors;
        if (predictor == 1)
        {
            return samples;
        }

        if (predictor == 2)
        {
            var differences = samples.ToArray();
            for (var i = differences.Length - 1; i >= 0; i--)
            {
                differences[i] -= i % rowBytes >= colors ? samples[i - colors] : (byte)0;
            }

            return differences;
        }

        var filtered = new List<byte>();
        for (var y = 0; y < Rows; y++)
        {
            var filter = y % 5;
            filtered.Add((byte)filter);
            for (var i = 0; i < rowBytes; i++)
            {
                int Sample(int row, int at) => row < 0 || at < 0 ? 0 : samples[(row * rowBytes) + at];
                var (left, above, corner) = (Sample(y, i - colors), Sample(y - 1, i), Sample(y - 1, i - colors));
                var estimate = left + above - corner;
                var paeth = Math.Abs(estimate - left) <= Math.Abs(estimate - above) && Math.Abs(estimate - left) <= Math.Abs(estimate - corner)
                    ? left : Math.Abs(estimate - above) <= Math.Abs(estimate - corner) ? above : corner;
                var prediction = filter switch { 1 => left, 2 => above, 3 => (left + above) / 2, 4 => paeth, _ => 0 };
                filtered.Add((byte)(Sample(y, i) - prediction));
            }
        }

        return [.. filtered];
    }

    private static DictionaryToken Dictionary(int predictor, int earlyChange, int colors) =>
        new(new Dictionary<NameToken, IToken>
        {
            [NameToken.Filter] = NameToken.Create("LZWDecode"),
            [NameToken.DecodeParms] = new DictionaryToken(new Dictionary<NameToken, IToken>
            {
                [NameToken.Predictor] = new NumericToken(predictor),
                [NameToken.EarlyChange] = new NumericToken(earlyChange),
                [NameToken.Colors] = new NumericToken(colors),
                [NameToken.BitsPerComponent] = new NumericToken(8),
                [NameToken.Columns] = new NumericToken(Columns),
            }),
        });
}
