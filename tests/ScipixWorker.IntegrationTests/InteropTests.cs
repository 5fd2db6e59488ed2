using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

public sealed class InteropTests
{
    [Fact]
    public async Task A_plain_json_job_without_the_envelope_is_answered_with_plain_json()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[1];
        await worker.UploadAsync(file, SampleImages.Bytes(file));
        var withContentType = Guid.NewGuid();
        var withoutContentType = Guid.NewGuid();
        var asText = Guid.NewGuid(); // a client that labels its JSON text/plain: read as JSON all the same

        foreach (var (jobId, contentType) in new[] { (withContentType, "application/json"), (withoutContentType, (string?)null), (asText, "text/plain") })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","correlationId":"py-1","image":{"container":"{{{worker.Container}}}","blobName":"{{{file}}}"},"options":{"recognitionOnly":true,"detailLevel":"full"}}""",
                contentType);
        }

        await broker.WaitForResultsAsync([withContentType, withoutContentType, asText]);

        foreach (var result in broker.For([withContentType, withoutContentType, asText]))
        {
            Assert.True(result.Recognized, result.Body.ToString());
            Assert.Equal("application/json", result.ContentType);
            Assert.Equal("urn:message:ScipixWorker.Contracts:DocumentRecognized", result.MessageType);
            Assert.Equal("py-1", result.Body.GetProperty("correlationId").GetString());
            Assert.False(result.Body.TryGetProperty("message", out _), "the body is the event itself, not a MassTransit envelope");
            Assert.True(SampleImages.Cer(truth, result.Text!) <= 0.1, result.Text);
            Assert.Equal(8, result.Body.GetProperty("pages")[0].GetProperty("lines")[0].GetProperty("box").GetArrayLength());
        }
    }

    [Fact]
    public async Task A_job_asking_for_words_gets_each_line_s_words_with_their_boxes_and_one_asking_for_full_gets_none()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var (words, full) = (Guid.NewGuid(), Guid.NewGuid());

        foreach (var (jobId, detail) in new[] { (words, "words"), (full, "full") })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{worker.Container}}}","blobName":"receipt.jpg"},"options":{"detailLevel":"{{{detail}}}"}}""",
                "application/json");
        }

        await broker.WaitForResultsAsync([words, full]);

        var lines = broker.For([words]).Single().Body.GetProperty("pages")[0].GetProperty("lines").EnumerateArray().ToList();
        Assert.True(lines.Count >= 25, $"{lines.Count} lines");
        var wordCount = 0;
        foreach (var line in lines)
        {
            var text = line.GetProperty("text").GetString()!;
            var lineBox = line.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            var lineWords = line.GetProperty("words").EnumerateArray().ToList();
            Assert.Equal(text.Replace(" ", string.Empty, StringComparison.Ordinal), string.Concat(lineWords.Select(w => w.GetProperty("text").GetString())));
            foreach (var word in lineWords)
            {
                var box = word.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
                Assert.Equal(8, box.Length);
                Assert.InRange(word.GetProperty("confidence").GetSingle(), 0f, 1f);
                Assert.True(box.Where((_, i) => i % 2 == 0).All(x => x >= lineBox.Where((_, i) => i % 2 == 0).Min() - 0.5f && x <= lineBox.Where((_, i) => i % 2 == 0).Max() + 0.5f), $"'{word}' outside '{text}'");
                wordCount++;
            }
        }

        Assert.True(wordCount > lines.Count, $"{wordCount} words on {lines.Count} lines");
        var fullPage = broker.For([full]).Single().Body.GetProperty("pages")[0];
        var fullLines = fullPage.GetProperty("lines");
        Assert.All(fullLines.EnumerateArray(), line =>
        {
            Assert.Equal(8, line.GetProperty("box").GetArrayLength());
            Assert.False(line.TryGetProperty("words", out _), "a job at full detail gets no words");
        });

        // The receipt's paragraphs (its shop's address, its items, its totals ...): runs of its lines, every line in one.
        foreach (var page in new[] { fullPage, broker.For([words]).Single().Body.GetProperty("pages")[0] })
        {
            var paragraphs = page.GetProperty("paragraphs").EnumerateArray().ToList();
            Assert.InRange(paragraphs.Count, 4, page.GetProperty("lines").GetArrayLength() / 2);
            var next = 0;
            foreach (var paragraph in paragraphs)
            {
                Assert.Equal(next, paragraph.GetProperty("firstLine").GetInt32());
                next += paragraph.GetProperty("lineCount").GetInt32();
                Assert.Equal(8, paragraph.GetProperty("box").GetArrayLength());
                Assert.Contains(paragraph.GetProperty("role").GetString(), new[] { "text", "heading", "listItem" });
            }

            // Its name in handwriting, larger than the print, heads it; its address and items are text.
            Assert.Equal("heading", paragraphs[0].GetProperty("role").GetString());
            Assert.Equal("text", paragraphs[1].GetProperty("role").GetString());

            Assert.Equal(page.GetProperty("lines").GetArrayLength(), next);
        }
    }

    [Fact]
    public async Task An_invalid_job_that_names_itself_is_answered_invalid_job_saying_which_field_and_why()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var image = $$$"""{"container":"{{{worker.Container}}}","blobName":"a.png"}""";
        var before = await worker.ScrapeMetricsAsync();
        var cases = new (Guid JobId, string Json, string Message)[]
        {
            (Guid.NewGuid(), $$$"""{"image":{{{image}}},"options":{"detailLevel":"everything"}}""",
                """options.detailLevel is "everything": one of text, lines, full, words is expected."""),
            (Guid.NewGuid(), $$$"""{"image":{{{image}}},"options":{"firstPage":"two"}}""", """options.firstPage is "two": a whole number is expected."""),
            (Guid.NewGuid(), $$$"""{"image":{{{image}}},"deadline":"tomorrow"}""",
                """deadline is "tomorrow": an ISO 8601 date and time (2026-11-27T14:00:00Z) is expected."""),
            (Guid.NewGuid(), $$$"""{"image":{"uri":"http://127.0.0.1:10000/devstoreaccount1/c/a.png","container":"c","blobName":"a.png"}}""",
                "image must have one of uri, container and blobName, or data."),
            (Guid.NewGuid(), $$$"""{"image":{{{image}}},"options":{"firstPage":3,"lastPage":2}}""", "options.lastPage (2) is before options.firstPage (3)."),
        };
        foreach (var (jobId, json, _) in cases)
        {
            await broker.PublishRawAsync(worker.QueueName, $$$"""{"jobId":"{{{jobId}}}",{{{json[1..]}}}""");
        }

        // The same from a MassTransit client: the job is the envelope's message.
        var enveloped = Guid.NewGuid();
        await broker.PublishRawAsync(
            worker.QueueName,
            $$$$"""{"messageId":"{{{{Guid.NewGuid()}}}}","messageType":["urn:message:ScipixWorker.Contracts:RecognizeDocument"],"message":{"jobId":"{{{{enveloped}}}}","image":{{{{image}}}},"options":{"outputs":["docx"]}}}""",
            "application/vnd.masstransit+json");

        await broker.WaitForResultsAsync([.. cases.Select(c => c.JobId), enveloped]);
        foreach (var (jobId, _, message) in cases)
        {
            var refused = Assert.Single(broker.For([jobId]));
            Assert.Equal(RecognitionErrorCodes.InvalidJob, refused.ErrorCode);
            Assert.False(refused.Body.GetProperty("retryable").GetBoolean());
            Assert.Equal($"Invalid RecognizeDocument: {message}", refused.Body.GetProperty("message").GetString());
        }

        var fromEnvelope = Assert.Single(broker.For([enveloped]));
        Assert.Equal(RecognitionErrorCodes.InvalidJob, fromEnvelope.ErrorCode);
        Assert.Contains("""outputs[0] is "docx": one of hocr, pdf, alto, markdown is expected.""", fromEnvelope.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal(0u, await broker.MessageCountAsync(worker.ErrorQueueName));
        Assert.Equal(0u, await broker.MessageCountAsync($"{worker.QueueName}_skipped"));
        var after = await worker.ScrapeMetricsAsync();
        foreach (var series in new[] { """scipix_jobs_total{outcome="failed"}""", """scipix_job_failures_total{code="invalid-job"}""" })
        {
            Assert.Equal(cases.Length + 1, MetricsText.Value(after, series) - MetricsText.Value(before, series));
        }
    }

    [Fact]
    public async Task A_malformed_message_lands_in_the_error_queue_with_the_reason()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();

        await broker.PublishRawAsync(worker.QueueName, """{"image":{"container":"images","blobName":"a.png"}}""");
        await broker.PublishRawAsync(worker.QueueName, """{"jobId":"not-a-guid","image":{}}""");
        await broker.PublishRawAsync(worker.QueueName, "{ this is not json");
        await Eventually.True(async () => await broker.MessageCountAsync(worker.ErrorQueueName) == 3, TimeSpan.FromSeconds(30), "3 messages in the error queue");

        var faults = await broker.DrainAsync(worker.ErrorQueueName);
        Assert.All(faults, m => Assert.Equal("fault", Broker.Header(m, "MT-Reason")));
        var reasons = faults.Select(m => Broker.Header(m, "MT-Fault-Message") ?? string.Empty).ToList();
        Assert.Contains(reasons, r => r.Contains("jobId is missing", StringComparison.Ordinal));
        Assert.Equal(3, reasons.Count(r => r.Length > 0));
        Assert.DoesNotContain(broker.Events, e => e.Body.GetProperty("jobId").GetString() == Guid.Empty.ToString());
    }
}
