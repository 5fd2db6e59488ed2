using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Graphics.Colors;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// A lossless PDF scan's page decoded to RGB two ways: as the engine does (<see cref="ImageLoader"/>: the samples its
/// filters decode written straight into the page, <see cref="ScanSamples"/>), and through a PNG of them decoded again, as
/// it did before (8-bit grey or RGB samples written by <see cref="PngBytes"/>, kept here for this, others PdfPig's own
/// PNG; the baseline).
/// The scans: the CCITT G4 fax of receipt 000 (tests/fixtures/pdf/scan_receipt_000_g4.pdf, 463 x 1,013), and the receipt
/// scaled to 3,072 px (1,404 x 3,072, about 300 dpi) deflated as 1-bit black and white, 8-bit grey and RGB samples.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class LosslessPdfScanBenchmarks
{
    private readonly ImageLoader _loader = new(new OcrEngineOptions());
    private byte[] _pdf = [];

    /// <summary>The scan: <c>ccitt</c> (the fixture fax), <c>bilevel</c>, <c>grey</c> or <c>rgb</c> (deflated).</summary>
    [Params("ccitt", "bilevel", "grey", "rgb")]
    public string Scan { get; set; } = "ccitt";

    [GlobalSetup]
    public void Setup()
    {
        if (Scan == "ccitt")
        {
            _pdf = Assets.Pdf("scan_receipt_000_g4.pdf");
            return;
        }

        var page = Assets.Receipt(3072);
        var (width, height) = (page.Width, page.Height);
        var rgb = page.Data[..(page.Stride * height)];
        byte[] samples;
        string colour;
        var bits = 8;
        switch (Scan)
        {
            case "rgb":
                samples = rgb.ToArray();
                colour = "/DeviceRGB";
                break;
            case "grey":
                samples = new byte[width * height];
                for (var i = 0; i < samples.Length; i++)
                {
                    samples[i] = rgb[i * 3];
                }

                colour = "/DeviceGray";
                break;
            default:
                var rowBytes = (width + 7) / 8;
                samples = new byte[rowBytes * height];
                for (var y = 0; y < height; y++)
                {
                    for (var x = 0; x < width; x++)
                    {
                        if (rgb[((y * width) + x) * 3] >= 128)
                        {
                            samples[(y * rowBytes) + (x / 8)] |= (byte)(0x80 >> (x % 8));
                        }
                    }
                }

                colour = "/DeviceGray";
                bits = 1;
                break;
        }

        page.Release();
        using var pdf = new MemoryStream();
        var writer = new PdfObjectWriter(pdf);
        writer.Begin();
        var (catalog, pages, pageObject, content, image) = (writer.Reserve(), writer.Reserve(), writer.Reserve(), writer.Reserve(), writer.Reserve());
        writer.WriteObject(catalog, $"<< /Type /Catalog /Pages {pages} 0 R >>");
        writer.WriteObject(pages, $"<< /Type /Pages /Kids [{pageObject} 0 R] /Count 1 >>");
        writer.WriteObject(pageObject, $"<< /Type /Page /Parent {pages} 0 R /MediaBox [0 0 {width} {height}] /Resources << /XObject << /Im0 {image} 0 R >> >> /Contents {content} 0 R >>");
        writer.WriteStream(content, string.Empty, System.Text.Encoding.ASCII.GetBytes($"q {width} 0 0 {height} 0 0 cm /Im0 Do Q"));
        writer.WriteCompressedStream(image, $"/Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace {colour} /BitsPerComponent {bits}", samples);
        writer.Finish(catalog);
        _pdf = pdf.ToArray();
    }

    [Benchmark(Baseline = true)]
    public int ThroughAPng()
    {
        byte[] png;
        using (var document = PdfDocument.Open(_pdf))
        {
            var image = document.GetPage(1).GetImages().Single();
            if (image.BitsPerComponent == 8 && image.TryGetBytesAsMemory(out var bytes))
            {
                var rgb = image.ColorSpaceDetails!.Type == ColorSpace.DeviceRGB;
                png = PngBytes.Write(image.WidthInSamples, image.HeightInSamples, rgb ? PngBytes.Colour.Rgb : PngBytes.Colour.Grey, 8, bytes.Span,
                    image.WidthInSamples * (rgb ? 3 : 1));
            }
            else
            {
                png = image.TryGetPng(out var pdfPigPng) ? pdfPigPng : throw new InvalidOperationException("PdfPig made no PNG of the scan.");
            }
        }

        return Decode(png);
    }

    [Benchmark]
    public int FromItsSamples() => Decode(_pdf);

    private int Decode(byte[] file) => Assets.LoadFirstPage(_loader, file);
}
