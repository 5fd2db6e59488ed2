using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// <c>image.data</c>: a small image carried in the job message itself (base64 in JSON) is read as the same image from a
/// blob is, with no download; one over <c>Worker:MaxInlineImageBytes</c> is answered <c>image-too-large</c>, and the
/// jobs beside it are read.
/// </summary>
public sealed class InlineImageTests
{
    [Fact]
    public async Task An_image_in_the_message_reads_as_it_does_from_a_blob_with_no_download()
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:ResultCacheEntries"] = "0" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[2];
        var bytes = SampleImages.Bytes(file);
        var blob = await worker.UploadAsync(file, bytes);
        var (fromBlob, inline, receipt) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await broker.PublishLineJobAsync(worker.QueueName, fromBlob, blob);
        // As a caller in any language writes it: plain JSON, the bytes in base64.
        await broker.PublishRawAsync(
            worker.QueueName,
            $$$"""{"jobId":"{{{inline}}}","image":{"data":"{{{Convert.ToBase64String(bytes)}}}"},"options":{"recognitionOnly":true}}""");
        await broker.PublishRawAsync(
            worker.QueueName,
            $$$"""{"jobId":"{{{receipt}}}","image":{"data":"{{{Convert.ToBase64String(SampleImages.Receipt)}}}"},"options":{"outputs":["hocr"]}}""");
        await broker.WaitForResultsAsync([fromBlob, inline, receipt]);

        var (read, readInline) = (broker.For([fromBlob]).Single(), broker.For([inline]).Single());
        Assert.True(readInline.Recognized, readInline.Body.ToString());
        Assert.Equal(read.Text, readInline.Text);
        Assert.True(SampleImages.Cer(truth, readInline.Text!) <= 0.1, readInline.Text);
        Assert.Equal(
            read.Body.GetProperty("pages")[0].GetProperty("lines")[0].GetProperty("confidence").GetDouble(),
            readInline.Body.GetProperty("pages")[0].GetProperty("lines")[0].GetProperty("confidence").GetDouble());
        Assert.Equal(0, readInline.Body.GetProperty("timings").GetProperty("downloadMs").GetDouble());
        Assert.True(read.Body.GetProperty("timings").GetProperty("downloadMs").GetDouble() > 0);

        // A page in the message, its hOCR naming the image by the job, as it has no blob name.
        var page = broker.For([receipt]).Single();
        Assert.True(page.Recognized, page.Body.ToString());
        Assert.True(SampleImages.Cer(SampleImages.ReceiptTruth, page.Text!) <= 0.1, page.Text);
        var location = page.Body.GetProperty("outputs")[0].GetProperty("location");
        var hocr = await worker.Storage.GetBlobContainerClient(location.GetProperty("container").GetString()).GetBlobClient(location.GetProperty("blobName").GetString())
            .DownloadContentAsync(TestContext.Current.CancellationToken);
        using var stream = hocr.Value.Content.ToStream();
        var title = System.Xml.Linq.XDocument.Load(stream).Descendants().Where(e => (string?)e.Attribute("class") == "ocr_page").Select(e => (string?)e.Attribute("title")).Single();
        Assert.StartsWith($"image \"inline/{receipt:D}\"; bbox 0 0 ", title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_image_in_the_message_over_the_limit_is_answered_image_too_large_and_the_jobs_beside_it_are_read()
    {
        var (file, truth) = SampleImages.Lines[1];
        var bytes = SampleImages.Bytes(file);
        await using var worker = new WorkerUnderTest(new() { ["Worker:MaxInlineImageBytes"] = (bytes.Length - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file2, truth2) = SampleImages.Lines[0];
        var blob = await worker.UploadAsync(file2, SampleImages.Bytes(file2));
        var small = SampleImages.Bytes(SampleImages.Lines[2].File);
        Assert.True(small.Length < bytes.Length);
        var (tooLarge, fromBlob, fits) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());

        await worker.SendAsync(
            new RecognizeDocument(tooLarge, new ImageLocation(Data: bytes), new RecognitionOptions(RecognitionOnly: true)),
            new RecognizeDocument(fromBlob, blob, new RecognitionOptions(RecognitionOnly: true)),
            new RecognizeDocument(fits, new ImageLocation(Data: small), new RecognitionOptions(RecognitionOnly: true)));
        await broker.WaitForResultsAsync([tooLarge, fromBlob, fits]);

        var refused = broker.For([tooLarge]).Single();
        Assert.Equal(RecognitionErrorCodes.ImageTooLarge, refused.ErrorCode);
        Assert.False(refused.Body.GetProperty("retryable").GetBoolean());
        Assert.Contains("Worker:MaxInlineImageBytes", refused.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(SampleImages.Cer(truth2, broker.For([fromBlob]).Single().Text!) <= 0.1);
        Assert.True(SampleImages.Cer(SampleImages.Lines[2].Truth, broker.For([fits]).Single().Text!) <= 0.1);
        Assert.NotEqual(truth, truth2);
    }
}
