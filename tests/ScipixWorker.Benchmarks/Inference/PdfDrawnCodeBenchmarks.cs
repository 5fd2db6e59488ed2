using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using ZXing;
using ZXing.QrCode;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading the codes drawn with vectors on a born-digital page costs (<see cref="OcrExtras.Barcodes"/>,
/// <c>PdfDrawnCodes</c>): an A4 invoice page of 40 lines of text with an EPC payment QR code drawn a module a rectangle
/// (37 modules of 2 points, in a quiet zone of 4), read without and with barcodes, and the same page without the code, with barcodes.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PdfDrawnCodeBenchmarks : IDisposable
{
    private OcrEngine _engine = null!;
    private byte[] _withCode = [];
    private byte[] _withoutCode = [];

    [GlobalSetup]
    public void Setup()
    {
        _engine = new OcrEngine(Assets.Options());
        _engine.WarmUp();
        _withCode = Page(code: true);
        _withoutCode = Page(code: false);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _engine?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public OcrDocument TextAndCodeWithoutBarcodes() => _engine.Recognize(_withCode);

    [Benchmark]
    public OcrDocument TextAndCodeWithBarcodes() => _engine.Recognize(_withCode, OcrMode.Full, OcrExtras.Barcodes);

    [Benchmark]
    public OcrDocument TextOnlyWithBarcodes() => _engine.Recognize(_withoutCode, OcrMode.Full, OcrExtras.Barcodes);

    private static byte[] Page(bool code)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        var page = builder.AddPage(PageSize.A4);
        for (var line = 0; line < 40; line++)
        {
            page.AddText($"Line {line + 1} of the invoice, with the goods delivered, their quantity and their price.", 9, new PdfPoint(40, 800 - (12 * line)), font);
        }

        if (code)
        {
            var matrix = new QRCodeWriter().encode(
                "BCD\n002\n1\nSCT\n\nNorthwind Office Supplies Ltd\nGB29NWBK60161331926819\nGBP345.30\n\n\nINVOICE 2026-0042", BarcodeFormat.QR_CODE, 0, 0);
            for (var y = 0; y < matrix.Height; y++)
            {
                for (var x = 0; x < matrix.Width; x++)
                {
                    if (matrix[x, y])
                    {
                        page.DrawRectangle(new PdfPoint(420 + (x * 2), 100 + ((matrix.Height - 1 - y) * 2)), 2, 2, 0, fill: true);
                    }
                }
            }
        }

        return builder.Build();
    }
}
