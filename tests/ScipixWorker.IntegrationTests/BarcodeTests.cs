using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// <c>options.barcodes</c> through the worker: each page's codes in the result, as plain JSON; a job that does not ask
/// gets none and no <c>barcodes</c> field, also when the same image was read before with them (the result cache keeps
/// the two apart).
/// </summary>
public sealed class BarcodeTests
{
    [Fact]
    public async Task A_job_asking_for_barcodes_gets_the_receipt_s_code_128_and_one_that_does_not_gets_none()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var image = await worker.UploadAsync("receipt_060.jpg", File.ReadAllBytes(TestEnvironment.Asset("fixtures", "receipt_060.jpg")));
        var asked = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(DetailLevel: DetailLevel.Text, Barcodes: true));
        var notAsked = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(DetailLevel: DetailLevel.Text));

        const string Code128 = """scipix_barcodes_total{format="CODE_128"}""";
        var before = await worker.ScrapeMetricsAsync();
        await worker.SendAsync(asked);
        await broker.WaitForResultsAsync([asked.JobId]);
        await worker.SendAsync(notAsked);
        await broker.WaitForResultsAsync([notAsked.JobId]);

        var withCodes = Assert.Single(broker.For([asked.JobId]));
        Assert.True(withCodes.Recognized, withCodes.Body.ToString());
        var code = Assert.Single(withCodes.Body.GetProperty("pages")[0].GetProperty("barcodes").EnumerateArray());
        Assert.Equal("CODE_128", code.GetProperty("format").GetString());
        Assert.Equal("BAT02201803120255", code.GetProperty("text").GetString());
        Assert.Equal(8, code.GetProperty("box").GetArrayLength());
        Assert.InRange(code.GetProperty("box")[1].GetSingle(), 1640, 1700); // the bars' top, in the receipt's pixels

        var without = Assert.Single(broker.For([notAsked.JobId]));
        Assert.True(without.Recognized, without.Body.ToString());
        Assert.False(without.Body.GetProperty("pages")[0].TryGetProperty("barcodes", out _), without.Body.ToString());
        Assert.False(without.FromCache); // a different cache entry: read again, without the codes
        Assert.Equal(1, MetricsText.Value(await worker.ScrapeMetricsAsync(), Code128) - MetricsText.Value(before, Code128));
    }

    [Fact]
    public async Task An_outlined_invoice_with_a_payment_qr_code_drawn_with_vectors_gets_its_text_and_its_code_in_points()
    {
        // samples/born-digital-outlined.pdf (its fonts converted to outlines) with an EPC payment QR code drawn a module a
        // rectangle at (420, 100) points from the bottom-left corner, 2 points a module.
        const string Payment = "BCD\n002\n1\nSCT\n\nNorthwind Office Supplies Ltd\nGB29NWBK60161331926819\nGBP345.30\n\n\nINVOICE 2026-0042";
        using var outlined = PdfDocument.Open(SampleImages.Bytes("born-digital-outlined.pdf"));
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.CopyFrom(outlined.GetPage(1));
        var qr = new ZXing.QrCode.QRCodeWriter().encode(Payment, ZXing.BarcodeFormat.QR_CODE, 0, 0);
        for (var y = 0; y < qr.Height; y++)
        {
            for (var x = 0; x < qr.Width; x++)
            {
                if (qr[x, y])
                {
                    page.DrawRectangle(new PdfPoint(420 + (x * 2), 100 + ((qr.Height - 1 - y) * 2)), 2, 2, 0, fill: true);
                }
            }
        }

        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var job = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("invoice.pdf", builder.Build()), new RecognitionOptions(DetailLevel: DetailLevel.Lines, Barcodes: true));

        await worker.SendAsync(job);
        await broker.WaitForResultsAsync([job.JobId], TimeSpan.FromSeconds(60));

        var result = Assert.Single(broker.For([job.JobId]));
        Assert.True(result.Recognized, result.Body.ToString());
        var read = result.Body.GetProperty("pages")[0];
        Assert.Equal(("textLayer", 595), (read.GetProperty("source").GetString(), read.GetProperty("width").GetInt32()));
        var text = read.GetProperty("text").GetString()!.Split('\n');
        Assert.Contains("Invoice 2026-0042", text);
        Assert.Contains(text, l => l.StartsWith("Black toner cartridge TN-2420", StringComparison.Ordinal) && l.EndsWith("138.00", StringComparison.Ordinal));
        var code = Assert.Single(read.GetProperty("barcodes").EnumerateArray());
        Assert.Equal(("QR_CODE", Payment), (code.GetProperty("format").GetString(), code.GetProperty("text").GetString()));
        var box = code.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.All(box.Where((_, i) => i % 2 == 0), x => Assert.InRange(x, 415, 520)); // in points, round the code
        Assert.All(box.Where((_, i) => i % 2 == 1), y => Assert.InRange(y, 640, 746));
    }
}
