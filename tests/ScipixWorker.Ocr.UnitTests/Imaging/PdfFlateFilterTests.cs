using System.IO.Compression;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// PDF's FlateDecode inflated once by the engine's filter (<see cref="PdfFlateFilter"/>): the bytes PdfPig's own filter
/// gives, predictors undone (TIFF's 2, PNG's 10-15), into an array of the image's size when its dictionary says it,
/// counted and inflated again when the dictionary says less; refused past the limit without keeping what inflated;
/// damaged data as PdfPig's filter keeps it.
/// </summary>
public sealed class PdfFlateFilterTests
{
    private const long NoLimit = 1L << 30;

    public static TheoryData<int, int, bool> Streams => new()
    {
        { 1, 3, false }, // no predictor, a stream that is not an image
        { 1, 3, true }, // an RGB image: its size from /Width, /Height, /BitsPerComponent and /ColorSpace
        { 1, 1, true },
        { 2, 3, true }, // TIFF's horizontal differencing
        { 12, 3, true }, // PNG's filters, one a row
        { 15, 1, false },
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public void Flate_streams_inflate_to_the_samples_with_their_predictor_undone_as_pdfpigs_filter_gives_them(int predictor, int colors, bool image)
    {
        var samples = PredictedSamples.Samples(colors);
        var stream = Deflated(PredictedSamples.Predicted(samples, predictor, colors));
        var dictionary = Dictionary(predictor, colors, image ? PredictedSamples.Rows : 0);

        var decoded = new PdfFlateFilter(NoLimit).Decode(stream, dictionary, DefaultFilterProvider.Instance, 0);

        Assert.Equal(samples, decoded.ToArray());
        Assert.Equal(new FlateFilter().Decode(stream, dictionary, DefaultFilterProvider.Instance, 0).ToArray(), decoded.ToArray());
    }

    [Fact]
    public void An_image_inflates_into_one_array_of_its_size()
    {
        var samples = PredictedSamples.Samples(3);
        var stream = Deflated(samples);
        var dictionary = Dictionary(1, 3, PredictedSamples.Rows);
        var filter = new PdfFlateFilter(NoLimit);
        filter.Decode(stream, dictionary, DefaultFilterProvider.Instance, 0); // warm

        var before = GC.GetAllocatedBytesForCurrentThread();
        var decoded = filter.Decode(stream, dictionary, DefaultFilterProvider.Instance, 0);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(samples.Length, decoded.Length);
        Assert.True(MemoryMarshalArrayLength(decoded) == samples.Length, "the array is the image's size");
        Assert.InRange(allocated, samples.Length, samples.Length + 16_384); // the array, the inflater's state
    }

    [Theory]
    [InlineData(10)] // says fewer rows than the stream holds: counted and inflated again
    [InlineData(400)] // says more: the array is cut to what inflated
    [InlineData(1_000_000_000)] // says more than deflate could expand to: capped by the data's size
    public void An_image_whose_dictionary_misstates_its_rows_inflates_to_what_the_stream_holds(int rows)
    {
        var samples = PredictedSamples.Samples(3);
        var stream = Deflated(samples);

        var decoded = new PdfFlateFilter(NoLimit).Decode(stream, Dictionary(1, 3, rows), DefaultFilterProvider.Instance, 0);

        Assert.Equal(samples, decoded.ToArray());
    }

    [Fact]
    public void A_stream_is_refused_as_soon_as_it_inflates_past_the_limit()
    {
        var bomb = Deflated(new byte[64 << 20]); // 64 MiB of zeros in about 64 KB

        var error = Assert.Throws<OcrException>(() => new PdfFlateFilter(1 << 20).Decode(bomb, Dictionary(1, 1, 0), DefaultFilterProvider.Instance, 0));
        Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);

        var before = GC.GetAllocatedBytesForCurrentThread();
        var lying = Assert.Throws<OcrException>(() => new PdfFlateFilter(32 << 20).Decode(bomb, Dictionary(1, 1, 2), DefaultFilterProvider.Instance, 0));
        Assert.Equal(OcrErrorCode.ImageTooLarge, lying.Code);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20, "what inflated was not kept");

        var exact = new PdfFlateFilter(1 << 20).Decode(Deflated(new byte[1 << 20]), Dictionary(1, 1, 0), DefaultFilterProvider.Instance, 0);
        Assert.Equal(1 << 20, exact.Length); // up to the limit is allowed
    }

    [Fact]
    public void A_damaged_stream_decodes_as_pdfpigs_filter_decodes_it()
    {
        var samples = PredictedSamples.Samples(1);
        var damaged = Deflated(samples);
        damaged[damaged.Length / 2] ^= 0x5a;
        damaged[(damaged.Length / 2) + 1] ^= 0xa5;
        var dictionary = Dictionary(1, 1, PredictedSamples.Rows);

        var decoded = new PdfFlateFilter(NoLimit).Decode(damaged, dictionary, DefaultFilterProvider.Instance, 0);

        Assert.Equal(new FlateFilter().Decode(damaged, dictionary, DefaultFilterProvider.Instance, 0).ToArray(), decoded.ToArray());
    }

    [Fact]
    public void The_filters_the_engine_reads_pdfs_with_inflate_so()
    {
        var filter = new BoundedPdfFilters(maxDecodedBytes: 1 << 20).GetNamedFilters([NameToken.Create("FlateDecode")]).Single();

        Assert.IsType<PdfFlateFilter>(filter);
    }

    [Theory]
    [InlineData("/DeviceGray", 8, 150 * 90)]
    [InlineData("/DeviceCMYK", 8, 150 * 4 * 90)]
    [InlineData("/DeviceGray", 1, 19 * 90)] // rows start on a byte
    [InlineData("[/Indexed /DeviceRGB 255 <00>]", 4, 75 * 90)]
    [InlineData("[/ICCBased 5 0 R]", 8, 0)] // its components are in another object: unknown
    public void An_image_dictionary_gives_the_decoded_size(string colourSpace, int bits, long expected)
    {
        IToken space = colourSpace.StartsWith('[')
            ? new ArrayToken(colourSpace.Trim('[', ']').Split(' ').Take(2).Select(n => (IToken)NameToken.Create(n.TrimStart('/'))).ToList())
            : NameToken.Create(colourSpace.TrimStart('/'));
        var dictionary = new DictionaryToken(new Dictionary<NameToken, IToken>
        {
            [NameToken.Filter] = NameToken.Create("FlateDecode"),
            [NameToken.Width] = new NumericToken(150),
            [NameToken.Height] = new NumericToken(90),
            [NameToken.BitsPerComponent] = new NumericToken(bits),
            [NameToken.ColorSpace] = space,
        });

        Assert.Equal(expected, PdfFlateFilter.ImageBytes(dictionary, 0, PdfPredictor.Of(dictionary, 0)));
        Assert.Equal(0, PdfFlateFilter.ImageBytes(dictionary, 1, PdfPredictor.Of(dictionary, 1))); // not the last filter
    }

    private static int MemoryMarshalArrayLength(Memory<byte> memory) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray<byte>(memory, out var segment) ? segment.Array!.Length : -1;

    // A stream's dictionary: its predictor parameters, and for an image (rows > 0) its size and colour space.
    private static DictionaryToken Dictionary(int predictor, int colors, int rows)
    {
        var entries = new Dictionary<NameToken, IToken>
        {
            [NameToken.Filter] = NameToken.Create("FlateDecode"),
            [NameToken.DecodeParms] = new DictionaryToken(new Dictionary<NameToken, IToken>
            {
                [NameToken.Predictor] = new NumericToken(predictor),
                [NameToken.Colors] = new NumericToken(colors),
                [NameToken.BitsPerComponent] = new NumericToken(8),
                [NameToken.Columns] = new NumericToken(PredictedSamples.Columns),
            }),
        };
        if (rows > 0)
        {
            entries[NameToken.Width] = new NumericToken(PredictedSamples.Columns);
            entries[NameToken.Height] = new NumericToken(rows);
            entries[NameToken.BitsPerComponent] = new NumericToken(8);
            entries[NameToken.ColorSpace] = NameToken.Create(colors == 3 ? "DeviceRGB" : "DeviceGray");
        }

        return new DictionaryToken(entries);
    }

    private static byte[] Deflated(byte[] data)
    {
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(data);
        }

        return output.ToArray();
    }
}
