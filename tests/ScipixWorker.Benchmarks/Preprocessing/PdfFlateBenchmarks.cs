using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig.Filters;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// One FlateDecode stream of a PDF decoded two ways: by the engine's filter (<see cref="PdfFlateFilter"/>: inflated once
/// into an array of the size expected, bounded as it goes), and as it was before (the baseline: its size counted by
/// inflating it without keeping it, <see cref="DecodedSize.Flate"/>, then PdfPig 0.1's filter). The streams: the receipt
/// scaled to 3,072 px (1,404 x 3,072) as a scan's RGB and 8-bit grey samples, the grey with PNG's Up filter on every row
/// (/Predictor 12, as PDF writers store images), and a born-digital page's content stream (2,000 lines of text
/// operators, 95 KB).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfFlateBenchmarks
{
    private const long Limit = 240L << 20; // Ocr:MaxPixels' default, 4 bytes a pixel

    private readonly PdfFlateFilter _engine = new(Limit);
    private readonly FlateFilter _pdfPig = new();
    private byte[] _stream = [];
    private DictionaryToken _dictionary = new(new Dictionary<NameToken, IToken>());

    /// <summary>The stream: <c>rgb</c>, <c>grey-png-up</c> (scans) or <c>content</c>.</summary>
    [Params("rgb", "grey-png-up", "content")]
    public string Stream { get; set; } = "rgb";

    [GlobalSetup]
    public void Setup()
    {
        var entries = new Dictionary<NameToken, IToken> { [NameToken.Filter] = NameToken.Create("FlateDecode") };
        byte[] data;
        if (Stream == "content")
        {
            var content = new StringBuilder();
            for (var i = 0; i < 2000; i++)
            {
                content.Append($"BT /F1 9 Tf 1 0 0 1 {36 + (i % 3 * 180)} {800 - (i / 3 % 250 * 3)} Tm ({i:D4} ITEM {i * 37 % 1000} QTY {i % 7} RM {i * 1.35:0.00}) Tj ET\n");
            }

            data = Encoding.ASCII.GetBytes(content.ToString());
        }
        else
        {
            var page = Assets.Receipt(3072);
            var (width, height) = (page.Width, page.Height);
            var rgb = page.Data[..(page.Stride * height)].ToArray();
            page.Release();
            entries[NameToken.Width] = new NumericToken(width);
            entries[NameToken.Height] = new NumericToken(height);
            entries[NameToken.BitsPerComponent] = new NumericToken(8);
            if (Stream == "rgb")
            {
                entries[NameToken.ColorSpace] = NameToken.Create("DeviceRGB");
                data = rgb;
            }
            else
            {
                entries[NameToken.ColorSpace] = NameToken.Create("DeviceGray");
                entries[NameToken.DecodeParms] = new DictionaryToken(new Dictionary<NameToken, IToken>
                {
                    [NameToken.Predictor] = new NumericToken(12),
                    [NameToken.Columns] = new NumericToken(width),
                });
                data = new byte[(width + 1) * height];
                for (var y = 0; y < height; y++)
                {
                    data[y * (width + 1)] = 2; // Up: each byte less the one above
                    for (var x = 0; x < width; x++)
                    {
                        var grey = rgb[((y * width) + x) * 3];
                        var above = y > 0 ? rgb[(((y - 1) * width) + x) * 3] : (byte)0;
                        data[(y * (width + 1)) + 1 + x] = (byte)(grey - above);
                    }
                }
            }
        }

        _dictionary = new DictionaryToken(entries);
        using var output = new MemoryStream();
        using (var zlib = new ZLibStream(output, CompressionLevel.Optimal))
        {
            zlib.Write(data);
        }

        _stream = output.ToArray();
    }

    [Benchmark(Baseline = true)]
    public int CountedThenPdfPig() =>
        DecodedSize.Flate(_stream, _dictionary, 0, Limit + 1) > Limit
            ? throw new InvalidOperationException("over the limit")
            : _pdfPig.Decode(_stream, _dictionary, DefaultFilterProvider.Instance, 0).Length;

    [Benchmark]
    public int InflatedOnce() => _engine.Decode(_stream, _dictionary, DefaultFilterProvider.Instance, 0).Length;
}
