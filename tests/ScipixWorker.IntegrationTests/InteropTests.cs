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

        foreach (var (jobId, contentType) in new[] { (withContentType, "application/json"), (withoutContentType, (string?)null) })
        {
            await broker.PublishRawAsync(
                worker.QueueName,
                $$$"""{"jobId":"{{{jobId}}}","correlationId":"py-1","image":{"container":"{{{worker.Container}}}","blobName":"{{{file}}}"},"options":{"recognitionOnly":true,"detailLevel":"full"}}""",
                contentType);
        }

        await broker.WaitForResultsAsync([withContentType, withoutContentType]);

        foreach (var result in broker.For([withContentType, withoutContentType]))
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
        var fullLines = broker.For([full]).Single().Body.GetProperty("pages")[0].GetProperty("lines");
        Assert.All(fullLines.EnumerateArray(), line =>
        {
            Assert.Equal(8, line.GetProperty("box").GetArrayLength());
            Assert.False(line.TryGetProperty("words", out _), "a job at full detail gets no words");
        });
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
