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
    private const int Columns = PredictedSamples.Columns;

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
        var samples = PredictedSamples.Samples(colors);
        var stream = LzwStreams.Encode(PredictedSamples.Predicted(samples, predictor, colors), clearWhenFull: true, earlyChange);
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
        var samples = PredictedSamples.Samples(3);
        var stream = LzwStreams.Encode(PredictedSamples.Predicted(samples, 12, 3), clearWhenFull: true);
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
        var samples = PredictedSamples.Samples(1);
        var stream = LzwStreams.Encode(samples, clearWhenFull: true);
        var damaged = stream.ToArray();
        damaged[damaged.Length / 2] ^= 0xff;
        var dictionary = Dictionary(1, 1, 1);

        var decoded = new PdfLzwFilter().Decode(damaged, dictionary, DefaultFilterProvider.Instance, 0);

        Assert.Equal(DecodedSize.Lzw(damaged, dictionary, 0, long.MaxValue), decoded.Length);
        Assert.InRange(decoded.Length, 1, samples.Length * 2);
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
