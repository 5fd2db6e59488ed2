using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// Decoding a page as the engine does (<see cref="ImageLoader"/>: header checks, ImageSharp decode to
/// RGBA, EXIF orientation, then RGB without alpha): the SROIE receipt scan scaled to each size and encoded
/// once as JPEG (quality 90) and once as PNG; and the same two files as the scan of a one-page PDF (PdfPig's
/// writer stores the JPEG as it is and the PNG's pixels deflated), read as the engine reads PDFs (<see cref="PdfPages"/>);
/// and the JPEG scan stored as three JPEG strips, put back together as the engine does.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class DecodeBenchmarks
{
    private ImageLoader _loader = null!;
    private byte[] _jpeg = [];
    private byte[] _png = [];
    private byte[] _pdfJpeg = [];
    private byte[] _pdfFlate = [];
    private byte[] _pdfStrips = [];

    /// <summary>Longest side of the page, in pixels.</summary>
    [Params(224, 384, 512, 1024)]
    public int LongSide { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _loader = new ImageLoader(new OcrEngineOptions());
        var page = Assets.Receipt(LongSide);
        using var image = Image.LoadPixelData<Rgb24>(page.Data, page.Width, page.Height);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg, new JpegEncoder { Quality = 90 });
        _jpeg = jpeg.ToArray();
        using var png = new MemoryStream();
        image.SaveAsPng(png);
        _png = png.ToArray();
        _pdfJpeg = OnePagePdf(page => page.AddJpeg(_jpeg, new PdfRectangle(0, 0, image.Width, image.Height)), image.Width, image.Height);
        _pdfFlate = OnePagePdf(page => page.AddPng(new MemoryStream(_png), new PdfRectangle(0, 0, image.Width, image.Height)), image.Width, image.Height);
        _pdfStrips = OnePagePdf(page =>
        {
            // the same JPEG scan stored as three strips, as print-to-PDF writes pictures
            for (var strip = 0; strip < 3; strip++)
            {
                var (top, bottom) = (image.Height * strip / 3, image.Height * (strip + 1) / 3);
                using var piece = image.Clone(c => c.Crop(new Rectangle(0, top, image.Width, bottom - top)));
                using var encoded = new MemoryStream();
                piece.SaveAsJpeg(encoded, new JpegEncoder { Quality = 90 });
                page.AddJpeg(encoded.ToArray(), new PdfRectangle(0, image.Height - bottom, image.Width, image.Height - top));
            }
        }, image.Width, image.Height);
        Console.WriteLine($"// receipt at {LongSide} px: {page.Width}x{page.Height}, JPEG {_jpeg.Length} B, PNG {_png.Length} B, PDFs {_pdfJpeg.Length} and {_pdfFlate.Length} B");
    }

    [Benchmark]
    public object Jpeg() => Read(_jpeg);

    [Benchmark]
    public object Png() => Read(_png);

    [Benchmark]
    public object PdfOfJpeg() => Read(_pdfJpeg);

    [Benchmark]
    public object PdfOfFlate() => Read(_pdfFlate);

    [Benchmark]
    public object PdfOfJpegStrips() => Read(_pdfStrips);

    private object Read(byte[] file)
    {
        using var image = _loader.Load(file);
        return image.Page(0);
    }

    private static byte[] OnePagePdf(Action<PdfPageBuilder> draw, int width, int height)
    {
        var builder = new PdfDocumentBuilder();
        draw(builder.AddPage(width, height));
        return builder.Build();
    }
}
