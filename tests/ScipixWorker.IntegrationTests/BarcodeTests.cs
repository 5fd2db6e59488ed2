using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

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
}
