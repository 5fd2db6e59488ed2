using ScipixWorker.Ocr.Imaging;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;
using ZXing;
using ZXing.Common;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>Barcodes and QR codes drawn with vectors on a born-digital page, found, rendered and read (<see cref="PdfDrawnCodes"/>).</summary>
public sealed class PdfDrawnCodesTests
{
    private const string Payment = "BCD\n002\n1\nSCT\n\nNorthwind Office Supplies Ltd\nGB29NWBK60161331926819\nGBP345.30\n\n\nINVOICE 2026-0042";

    // A code drawn as a generator draws it: each dark module (or each bar) a filled rectangle, from (left, bottom) in points.
    private static void Draw(PdfPageBuilder page, BarcodeFormat format, string text, double left, double bottom, double module, int height = 0)
    {
        var matrix = new MultiFormatWriter().encode(text, format, 0, height, new Dictionary<EncodeHintType, object> { [EncodeHintType.MARGIN] = 0 });
        for (var y = 0; y < matrix.Height; y++)
        {
            for (var x = 0; x < matrix.Width; x++)
            {
                if (matrix[x, y] && (format == BarcodeFormat.QR_CODE || y == 0))
                {
                    var barHeight = format == BarcodeFormat.QR_CODE ? module : 40;
                    page.DrawRectangle(new PdfPoint(left + (x * module), bottom + ((matrix.Height - 1 - y) * module)), module, barHeight, 0, fill: true);
                }
            }
        }
    }

    private static IReadOnlyList<ScipixWorker.Ocr.Engine.RecognizedBarcode> Read(byte[] pdf)
    {
        using var document = PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        return PdfDrawnCodes.Read(page.Paths, 0, 0, page.Width, page.Height, TestContext.Current.CancellationToken);
    }

    [Fact]
    public void A_payment_qr_code_and_a_code_128_drawn_as_rectangles_are_read_with_their_boxes_in_points()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Scan to pay", 10, new PdfPoint(400, 320), builder.AddStandard14Font(Standard14Font.Helvetica));
        Draw(page, BarcodeFormat.QR_CODE, Payment, 400, 200, 2); // 37 modules: 74 points square, 568-642 points from the top
        Draw(page, BarcodeFormat.CODE_128, "SHIP-2026-0042", 60, 700, 1); // bars 1 point a module, 40 high, 102-142 from the top

        var codes = Read(builder.Build());

        Assert.Equal([("CODE_128", "SHIP-2026-0042"), ("QR_CODE", Payment)], codes.Select(c => (c.Format, c.Text)));
        var (code128, qr) = (codes[0].Box, codes[1].Box);
        // Round each code within a few modules (as BarcodeScannerTests allow in pixels); the QR code is 37 modules of 2 points.
        Assert.InRange(code128.MinX, 55, 70); // ZXing places a linear code from its start pattern
        Assert.InRange(code128.MinY, 98, 106);
        Assert.InRange(code128.MaxY, 138, 146);
        Assert.InRange(qr.MinX, 392, 408);
        Assert.InRange(qr.MaxX, 474, 490);
        Assert.InRange(qr.MinY, 555, 571);
        Assert.InRange(qr.MaxY, 634, 650);
    }

    [Fact]
    public void Tables_rules_text_and_too_few_shapes_hold_no_code()
    {
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Total due: 345.30 GBP", 10, new PdfPoint(60, 500), builder.AddStandard14Font(Standard14Font.Helvetica));
        for (var row = 0; row < 10; row++)
        {
            page.DrawRectangle(new PdfPoint(60, 400 - (18 * row)), 480, 0.5, 0, fill: true); // a table's rules
        }

        for (var i = 0; i < 8; i++)
        {
            page.DrawRectangle(new PdfPoint(60 + (3 * i), 100), 1.5, 20, 0, fill: true); // eight bars: too few for a code
        }

        Assert.Empty(Read(builder.Build()));
    }
}
