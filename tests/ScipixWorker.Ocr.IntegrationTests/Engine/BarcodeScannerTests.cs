using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using ZXing;
using ZXing.Common;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Barcodes and QR codes read with the text when asked (<see cref="OcrExtras.Barcodes"/>): the Code 128 at the foot of a
/// real receipt, a QR code on a page, and no code where ZXing's EAN and UPC readers "find" one in lines of print.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class BarcodeScannerTests(EngineFixture fixture)
{
    [Fact]
    public void The_code_128_of_a_receipt_is_read_with_its_text_and_the_print_zxing_takes_for_an_ean_13_is_not()
    {
        var image = Fixtures.Bytes("sroie", "barcodes", "receipt_060.jpg");
        Assert.Contains(Unconfirmed(image), r => r.BarcodeFormat == BarcodeFormat.EAN_13); // what is left out below

        var page = Assert.Single(fixture.Engine.Recognize(image, OcrMode.Full, OcrExtras.Barcodes, TestContext.Current.CancellationToken).Pages);

        var code = Assert.Single(page.Barcodes);
        Assert.Equal("CODE_128", code.Format);
        Assert.Equal("BAT02201803120255", code.Text);
        // The bars, from the printed receipt: x 206-564 where they were read, 45-50 px high above the digits at y ~1730.
        Assert.InRange(code.Box.MinX, 190, 215);
        Assert.InRange(code.Box.MaxX, 555, 580);
        Assert.InRange(code.Box.MaxY - code.Box.MinY, 35, 80);
        Assert.InRange(code.Box.MinY, 1640, 1700);
        Assert.Contains(page.Lines, l => l.Text.Contains("BAT02201803120255", StringComparison.Ordinal)); // the text is read as ever
        Assert.True(page.Timings.Detect > TimeSpan.Zero);
    }

    [Fact]
    public void Lines_of_print_that_zxing_reads_as_a_upc_e_give_no_code()
    {
        var image = Fixtures.Bytes("sroie", "barcodes", "print_174.png");
        Assert.Contains(Unconfirmed(image), r => r.BarcodeFormat == BarcodeFormat.UPC_E);

        var page = Assert.Single(fixture.Engine.Recognize(image, OcrMode.Full, OcrExtras.Barcodes, TestContext.Current.CancellationToken).Pages);

        Assert.Empty(page.Barcodes);
        Assert.NotEmpty(page.Lines);
    }

    // The second page is over BarcodeScanner.MaxPixels: looked at shrunk, the box comes back in the page's own pixels.
    [Theory]
    [InlineData(900, 700, 400, 250)]
    [InlineData(4000, 2600, 2000, 1200)]
    public void A_qr_code_on_a_page_is_read_with_its_box(int width, int height, int left, int top)
    {
        const string Content = "https://invoices.example.com/2026/0042?total=100.90";
        var qr = new BarcodeWriterPixelData
        {
            Format = BarcodeFormat.QR_CODE,
            Options = new EncodingOptions { Width = 240, Height = 240, Margin = 0 },
        }.Write(Content);
        using var page = new Image<Rgb24>(width, height, Color.White);
        using (var code = Image.LoadPixelData<Bgra32>(qr.Pixels, qr.Width, qr.Height))
        {
            page.Mutate(c => c.DrawImage(code.CloneAs<Rgb24>(), new Point(left, top), 1f));
        }

        using var png = new MemoryStream();
        page.SaveAsPng(png);

        var read = Assert.Single(fixture.Engine.Recognize(png.ToArray(), OcrMode.Full, OcrExtras.Barcodes, TestContext.Current.CancellationToken).Pages);

        var found = Assert.Single(read.Barcodes);
        Assert.Equal("QR_CODE", found.Format);
        Assert.Equal(Content, found.Text);
        // Round the code drawn at left..left+240 x top..top+240, within a few modules.
        Assert.InRange(found.Box.MinX, left - 15, left + 20);
        Assert.InRange(found.Box.MaxX, left + 220, left + 255);
        Assert.InRange(found.Box.MinY, top - 15, top + 20);
        Assert.InRange(found.Box.MaxY, top + 220, top + 255);
    }

    [Fact]
    public void Without_the_extra_no_code_is_looked_for()
    {
        var page = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("sroie", "barcodes", "receipt_060.jpg"), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Empty(page.Barcodes);
    }

    // What ZXing alone reports on the image, looking hard: the candidates the scanner confirms or leaves out.
    private static Result[] Unconfirmed(byte[] image)
    {
        using var decoded = Image.Load<L8>(image);
        var gray = new byte[decoded.Width * decoded.Height];
        decoded.CopyPixelDataTo(gray);
        var reader = new BarcodeReaderGeneric { AutoRotate = true, Options = new DecodingOptions { TryHarder = true } };
        return reader.DecodeMultiple(new RGBLuminanceSource(gray, decoded.Width, decoded.Height, RGBLuminanceSource.BitmapFormat.Gray8)) ?? [];
    }
}
