using Azure.Storage.Blobs.Specialized;
using System.Xml.Linq;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// <c>options.outputs</c>: the worker writes the result as a searchable PDF, hOCR or ALTO into its result container before it
/// publishes the result, which names the blobs. Plain JSON jobs, as any producer sends them; real RabbitMQ and Azurite.
/// </summary>
public sealed class OutputDocumentTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public async Task A_job_asking_for_hOCR_gets_its_pages_lines_and_words_in_a_result_blob_and_one_served_from_the_cache_gets_its_own()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var (first, again, plain) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var writtenBefore = MetricsText.Value(await worker.ScrapeMetricsAsync(), "scipix_outputs_total{format=\"hocr\"}"); // the registry is the process's

        foreach (var (jobId, outputs) in new[] { (first, ""","outputs":["hocr"]"""), (again, ""","outputs":["hocr","hocr"]"""), (plain, string.Empty) })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{worker.Container}}}","blobName":"receipt.jpg"},"options":{"detailLevel":"text"{{{outputs}}}}}""");
            await broker.WaitForResultsAsync([jobId]); // in turn, so that the second is served from the cache
        }

        var result = broker.For([first]).Single();
        Assert.True(result.Recognized, result.ToString());
        var (hocr, bytes) = await HocrOf(worker, result, first);
        var page = Assert.Single(hocr.Descendants(Xhtml + "div"), d => (string?)d.Attribute("class") == "ocr_page");
        var resultPage = result.Body.GetProperty("pages")[0];
        Assert.Equal(
            $"image \"{worker.Container}/receipt.jpg\"; bbox 0 0 {resultPage.GetProperty("width").GetInt32()} {resultPage.GetProperty("height").GetInt32()}; ppageno 0",
            (string?)page.Attribute("title"));

        // Lines in paragraphs, each in a content area of its own (as Tesseract nests them).
        var paragraphs = page.Elements(Xhtml + "div").Select(a => Assert.Single(a.Elements(Xhtml + "p"))).ToList();
        Assert.True(paragraphs.Count >= 4, $"{paragraphs.Count} paragraphs");
        Assert.All(paragraphs, p => Assert.Equal("ocr_par", (string?)p.Attribute("class")));
        var lines = paragraphs.SelectMany(p => p.Elements(Xhtml + "span")).Where(s => (string?)s.Attribute("class") == "ocr_line").ToList();
        Assert.Equal(lines.Count, page.Descendants(Xhtml + "span").Count(s => (string?)s.Attribute("class") == "ocr_line"));
        Assert.True(lines.Count >= 25, $"{lines.Count} lines");
        var words = lines.SelectMany(l => l.Elements(Xhtml + "span")).ToList();
        Assert.All(words, w =>
        {
            Assert.Equal("ocrx_word", (string?)w.Attribute("class"));
            Assert.Matches(@"^bbox \d+ \d+ \d+ \d+; x_wconf \d{1,3}$", (string?)w.Attribute("title"));
        });
        Assert.All(lines, l => Assert.Matches(@"^bbox \d+ \d+ \d+ \d+; baseline -?[\d.]+ -?\d+; x_wconf \d{1,3}$", (string?)l.Attribute("title")));
        // Every word of the result's text, in its order, and nothing else.
        Assert.Equal(Squeezed(result.Text!), string.Concat(words.Select(w => w.Value)));

        var cached = broker.For([again]).Single();
        Assert.True(cached.FromCache);
        var output = Assert.Single(cached.Body.GetProperty("outputs").EnumerateArray()); // asked for twice, written once
        var (_, cachedBytes) = await HocrOf(worker, cached, again);
        Assert.Equal(bytes, cachedBytes);

        Assert.False(broker.For([plain]).Single().Body.TryGetProperty("outputs", out _), "a job asking for no outputs gets no outputs field");
        Assert.Equal(writtenBefore + 2, MetricsText.Value(await worker.ScrapeMetricsAsync(), "scipix_outputs_total{format=\"hocr\"}"));
    }

    [Fact]
    public async Task A_job_asking_for_a_searchable_PDF_and_ALTO_gets_its_image_with_its_words_over_it_and_a_born_digital_one_its_own_pages()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        await worker.UploadAsync("born-digital.pdf", SampleImages.Bytes("born-digital.pdf"));
        var (scan, digital) = (Guid.NewGuid(), Guid.NewGuid());

        foreach (var (jobId, file) in new[] { (scan, "receipt.jpg"), (digital, "born-digital.pdf") })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{worker.Container}}}","blobName":"{{{file}}}"},"options":{"outputs":["pdf","hocr","alto","markdown"]}}""");
        }

        await broker.WaitForResultsAsync([scan, digital]);
        var result = broker.For([scan]).Single();
        Assert.True(result.Recognized, result.ToString());
        var outputs = result.Body.GetProperty("outputs").EnumerateArray().ToList();
        Assert.Equal(["pdf", "hocr", "alto", "markdown"], outputs.Select(o => o.GetProperty("format").GetString()));
        var location = outputs[0].GetProperty("location");
        Assert.Equal((worker.ResultContainer, $"{scan:D}.pdf"), (location.GetProperty("container").GetString(), location.GetProperty("blobName").GetString()));
        var blob = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient($"{scan:D}.pdf").DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/pdf", blob.Value.Details.ContentType);
        Assert.Equal(outputs[0].GetProperty("bytes").GetInt64(), blob.Value.Content.ToMemory().Length);

        using var pdf = UglyToad.PdfPig.PdfDocument.Open(blob.Value.Content.ToArray());
        var page = Assert.Single(pdf.GetPages());
        Assert.Single(page.GetImages());
        Assert.Equal(Squeezed(result.Text!), string.Concat(page.Letters.Select(l => l.Value)));

        // ALTO: every word of the result's text as a String, in order.
        var altoLocation = outputs[2].GetProperty("location");
        Assert.Equal($"{scan:D}.alto.xml", altoLocation.GetProperty("blobName").GetString());
        var altoBlob = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient($"{scan:D}.alto.xml").DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal("application/xml; charset=utf-8", altoBlob.Value.Details.ContentType);
        using (var altoStream = altoBlob.Value.Content.ToStream())
        {
            XNamespace alto = "http://www.loc.gov/standards/alto/ns-v4#";
            var strings = XDocument.Load(altoStream).Descendants(alto + "String").Select(e => (string?)e.Attribute("CONTENT"));
            Assert.Equal(Squeezed(result.Text!), string.Concat(strings));
        }

        // Markdown: the result's text paragraph by paragraph (a heading's marker and escapes aside, the same characters).
        Assert.Equal($"{scan:D}.md", outputs[3].GetProperty("location").GetProperty("blobName").GetString());
        var markdownBlob = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient($"{scan:D}.md").DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal("text/markdown; charset=utf-8", markdownBlob.Value.Details.ContentType);
        var markdown = markdownBlob.Value.Content.ToString();
        Assert.InRange(markdown.Split("\n\n").Length, 4, result.Body.GetProperty("pages")[0].GetProperty("lines").GetArrayLength());
        var unmarked = string.Join('\n', markdown.Split('\n').Select(l => System.Text.RegularExpressions.Regex.Replace(l, @"^(#{1,2} |- )", string.Empty).Replace("\\", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(Squeezed(result.Text!), Squeezed(unmarked));

        var born = broker.For([digital]).Single();
        Assert.True(born.Recognized, born.ToString());
        var copy = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient($"{digital:D}.pdf").DownloadContentAsync(TestContext.Current.CancellationToken);
        using var copied = UglyToad.PdfPig.PdfDocument.Open(copy.Value.Content.ToArray());
        using var original = UglyToad.PdfPig.PdfDocument.Open(SampleImages.Bytes("born-digital.pdf"));
        Assert.Equal(string.Concat(original.GetPage(1).Letters.Select(l => l.Value)), string.Concat(Assert.Single(copied.GetPages()).Letters.Select(l => l.Value)));
    }

    [Fact]
    public async Task A_job_asking_for_an_unknown_output_is_answered_invalid_job_naming_the_formats_and_the_next_job_is_read()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var (unknown, next) = (Guid.NewGuid(), Guid.NewGuid());

        await broker.PublishRawAsync(
            worker.QueueName,
            $$$"""{"jobId":"{{{unknown}}}","correlationId":"upload-7","image":{"container":"{{{worker.Container}}}","blobName":"receipt.jpg"},"options":{"outputs":["hocr","docx"]}}""");
        await broker.PublishRawAsync(
            worker.QueueName,
            $$$"""{"jobId":"{{{next}}}","image":{"container":"{{{worker.Container}}}","blobName":"receipt.jpg"},"options":{"outputs":["hocr"]}}""");

        await broker.WaitForResultsAsync([unknown, next]);
        Assert.True(broker.For([next]).Single().Recognized);
        var refused = Assert.Single(broker.For([unknown]));
        Assert.Equal(Contracts.RecognitionErrorCodes.InvalidJob, refused.ErrorCode);
        Assert.False(refused.Body.GetProperty("retryable").GetBoolean());
        Assert.Equal("upload-7", refused.Body.GetProperty("correlationId").GetString());
        Assert.Equal("""Invalid RecognizeDocument: options.outputs[1] is "docx": one of hocr, pdf, alto, markdown is expected.""", refused.Body.GetProperty("message").GetString());
        Assert.Equal(0u, await broker.MessageCountAsync(worker.ErrorQueueName));
        Assert.Equal(0u, await broker.MessageCountAsync($"{worker.QueueName}_skipped"));
    }

    [Fact]
    public async Task A_job_whose_hOCR_cannot_be_written_is_answered_failed_and_the_job_beside_it_is_not_held_up()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var (blocked, beside) = (Guid.NewGuid(), Guid.NewGuid());

        // A blob under the blocked job's hOCR name, leased by someone else: the worker's writes are refused (412, which may
        // pass: retried, then answered retryable).
        var results = worker.Storage.GetBlobContainerClient(worker.ResultContainer);
        await results.CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var taken = results.GetBlobClient($"{blocked:D}.hocr");
        await taken.UploadAsync(BinaryData.FromString("someone else's"), TestContext.Current.CancellationToken);
        await taken.GetBlobLeaseClient().AcquireAsync(TimeSpan.FromSeconds(-1), cancellationToken: TestContext.Current.CancellationToken);

        foreach (var jobId in new[] { blocked, beside })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{worker.Container}}}","blobName":"receipt.jpg"},"options":{"outputs":["hocr"]}}""");
        }

        await broker.WaitForResultsAsync([blocked, beside]);
        var failed = Assert.Single(broker.For([blocked])); // one answer: the batch was not retried
        Assert.False(failed.Recognized, failed.ToString());
        Assert.Equal("internal", failed.ErrorCode);
        Assert.True(failed.Body.GetProperty("retryable").GetBoolean());
        Assert.Contains($"Writing {blocked:D}.hocr failed", failed.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.True(broker.For([beside]).Single().Recognized);
        Assert.Equal("someone else's", (await taken.DownloadContentAsync(TestContext.Current.CancellationToken)).Value.Content.ToString());
    }

    // The hOCR blob a result names: checked against the result container, its name and size; parsed.
    private static async Task<(XDocument Hocr, byte[] Bytes)> HocrOf(WorkerUnderTest worker, ResultEvent result, Guid jobId)
    {
        var output = Assert.Single(result.Body.GetProperty("outputs").EnumerateArray());
        Assert.Equal("hocr", output.GetProperty("format").GetString());
        var location = output.GetProperty("location");
        Assert.Equal((worker.ResultContainer, $"{jobId:D}.hocr"), (location.GetProperty("container").GetString(), location.GetProperty("blobName").GetString()));
        var blob = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient(location.GetProperty("blobName").GetString())
            .DownloadContentAsync(TestContext.Current.CancellationToken);
        Assert.Equal("text/html; charset=utf-8", blob.Value.Details.ContentType);
        var bytes = blob.Value.Content.ToArray();
        Assert.Equal(output.GetProperty("bytes").GetInt64(), bytes.Length);
        using var stream = new MemoryStream(bytes);
        return (XDocument.Load(stream), bytes);
    }

    private static string Squeezed(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
