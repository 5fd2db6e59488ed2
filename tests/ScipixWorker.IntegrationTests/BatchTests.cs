using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;
using ScipixWorker.Tests.Support;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.IntegrationTests;

public sealed class BatchTests
{
    private static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_batch_of_jobs_yields_exactly_one_result_per_job_with_the_right_text()
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:MaxBatchSize"] = "3", ["Worker:ResultCacheEntries"] = "0" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var expected = new Dictionary<Guid, string>();
        var jobs = new List<RecognizeDocument>();
        foreach (var (file, truth) in SampleImages.Lines.Concat(SampleImages.Lines))
        {
            var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
            var job = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true), CorrelationId: file);
            expected[job.JobId] = truth;
            jobs.Add(job);
        }

        await worker.SendAsync([.. jobs]);
        await broker.WaitForResultsAsync(expected.Keys);
        await Task.Delay(SettleTime, TestContext.Current.CancellationToken); // a duplicate would arrive now

        var results = broker.For(expected.Keys);
        Assert.Equal(jobs.Count, results.Count);
        foreach (var result in results)
        {
            Assert.True(result.Recognized, result.Body.ToString());
            Assert.Equal(jobs.Single(j => j.JobId == result.JobId).CorrelationId, result.Body.GetProperty("correlationId").GetString());
            var cer = SampleImages.Cer(expected[result.JobId], result.Text!);
            Assert.True(cer <= 0.1, $"CER {cer:P1}: expected '{expected[result.JobId]}', got '{result.Text}'");
        }
    }

    [Theory]
    [InlineData("1", "16", "16777216")]
    [InlineData("64", "1", "16777216")]
    [InlineData("64", "0", "1")]
    public async Task Receipts_and_lines_all_finish_under_the_tightest_bounds_before_stage_one(string maxQueuedCrops, string imagesAhead, string imageBytesAhead)
    {
        // At most one crop waiting for recognition before the next image is detected: each receipt's 30-odd lines hold
        // back every later job until they are nearly all read, and nothing may wait on itself. Or one downloaded image
        // waiting for a stage-1 slot: every other job waits before downloading, and each reservation must come back. Or
        // a budget of one byte for the downloaded images: each takes all of it, the others wait with their size known.
        // The worker's own deliveries: one job each, 64 at a time, so every job here is in flight at once.
        await using var worker = new WorkerUnderTest(new()
        {
            ["Worker:MaxQueuedCrops"] = maxQueuedCrops, ["Worker:ImagesAhead"] = imagesAhead, ["Worker:ImageBytesAhead"] = imageBytesAhead,
            ["Worker:MaxBatchSize"] = "1", ["Worker:ConcurrentBatches"] = "64", ["Worker:ResultCacheEntries"] = "0",
        });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var receipt = await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var expected = new Dictionary<Guid, (string Truth, double MaxCer)>();
        var jobs = new List<RecognizeDocument>();
        for (var i = 0; i < 3; i++)
        {
            var job = new RecognizeDocument(Guid.NewGuid(), receipt);
            expected[job.JobId] = (SampleImages.ReceiptTruth, 0.25);
            jobs.Add(job);
            var (file, truth) = SampleImages.Lines[i];
            var line = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync(file, SampleImages.Bytes(file)), new RecognitionOptions(RecognitionOnly: true));
            expected[line.JobId] = (truth, 0.1);
            jobs.Add(line);
        }

        await worker.SendAsync([.. jobs]);
        await broker.WaitForResultsAsync(expected.Keys, TimeSpan.FromSeconds(90));

        var results = broker.For(expected.Keys);
        Assert.Equal(jobs.Count, results.Count);
        foreach (var result in results)
        {
            Assert.True(result.Recognized, result.Body.ToString());
            var (truth, maxCer) = expected[result.JobId];
            var cer = SampleImages.Cer(truth, result.Text!);
            Assert.True(cer <= maxCer, $"CER {cer:P1}: expected '{truth}', got '{result.Text}'");
        }
    }

    [Fact]
    public async Task A_corrupt_image_a_decompression_bomb_a_missing_blob_a_disallowed_container_and_a_late_job_fail_alone_in_their_batch()
    {
        // Ocr:MaxPixels = 1 M caps one decode at 16 MB: the bomb's 10 frames on a 1000 x 1000 canvas need 40 MB.
        // One downloaded image at a time (Worker:ImagesAhead), and a budget of one byte for them (Worker:ImageBytesAhead):
        // a job that fails before, during or after its download must hand its reservation and its bytes back, or every
        // job after it would wait for ever.
        await using var worker = new WorkerUnderTest(new()
        {
            ["Worker:MaxBatchSize"] = "8", ["Worker:BatchTimeLimit"] = "00:00:05", ["Ocr:MaxPixels"] = "1000000", ["Worker:ImagesAhead"] = "1", ["Worker:ImageBytesAhead"] = "1",
        });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var good = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var goodByUri = await worker.UploadAsync("by-uri.png", SampleImages.Bytes(file));
        var corrupt = await worker.UploadAsync("corrupt.png", SampleImages.Bytes(file)[..200]);
        var bomb = await worker.UploadAsync("bomb.gif", AnimatedGifs.OnePixelFrames(1000, 1000, frames: 10));
        var denied = await worker.UploadAsync(file, SampleImages.Bytes(file), worker.OtherContainer);
        var uri = worker.Storage.GetBlobContainerClient(goodByUri.Container).GetBlobClient(goodByUri.BlobName).Uri;
        var lineOnly = new RecognitionOptions(RecognitionOnly: true);
        var jobs = new Dictionary<string, RecognizeDocument>
        {
            ["good"] = new(Guid.NewGuid(), good, lineOnly),
            ["good-by-uri"] = new(Guid.NewGuid(), new ImageLocation(Uri: uri), lineOnly),
            [RecognitionErrorCodes.CorruptImage] = new(Guid.NewGuid(), corrupt, lineOnly),
            [RecognitionErrorCodes.ImageTooLarge] = new(Guid.NewGuid(), bomb),
            [RecognitionErrorCodes.ImageNotFound] = new(Guid.NewGuid(), new ImageLocation(worker.Container, "no-such-blob.png"), lineOnly),
            [RecognitionErrorCodes.AccessDenied] = new(Guid.NewGuid(), denied, lineOnly),
            [RecognitionErrorCodes.DeadlineExceeded] = new(Guid.NewGuid(), good, lineOnly, Deadline: DateTimeOffset.UtcNow.AddMinutes(-1)),
            ["good-too"] = new(Guid.NewGuid(), good, lineOnly),
        };
        var before = await worker.ScrapeMetricsAsync();

        await worker.SendAsync([.. jobs.Values]);
        await broker.WaitForResultsAsync([.. jobs.Values.Select(j => j.JobId)]);
        await Task.Delay(SettleTime, TestContext.Current.CancellationToken);

        var after = await worker.ScrapeMetricsAsync();
        Assert.Equal(1, MetricsText.Value(after, "scipix_batch_size_count") - MetricsText.Value(before, "scipix_batch_size_count"));
        Assert.Equal(8, MetricsText.Value(after, "scipix_batch_size_sum") - MetricsText.Value(before, "scipix_batch_size_sum"));
        Assert.Equal(0, MetricsText.Value(after, "scipix_image_bytes_ahead")); // every job's bytes handed back
        foreach (var (outcome, job) in jobs)
        {
            var result = Assert.Single(broker.For([job.JobId]));
            if (outcome.StartsWith("good", StringComparison.Ordinal))
            {
                Assert.True(result.Recognized, result.Body.ToString());
                Assert.True(SampleImages.Cer(truth, result.Text!) <= 0.1, result.Text);
            }
            else
            {
                Assert.False(result.Recognized, result.Body.ToString());
                Assert.Equal(outcome, result.ErrorCode);
                Assert.False(result.Body.GetProperty("retryable").GetBoolean());
                Assert.False(string.IsNullOrWhiteSpace(result.Body.GetProperty("message").GetString()));
            }
        }

        Assert.Equal(0u, await broker.MessageCountAsync(worker.ErrorQueueName));
    }

    [Fact]
    public async Task A_blob_over_the_size_limit_fails_from_its_download_headers_and_the_jobs_around_it_are_read()
    {
        // The limit sits between the three line images (14-25 kB) and a receipt page (59 kB); a blob exactly at the limit
        // passes. The oversized blob's body is never read: its connection is dropped, and the next downloads still work.
        var (file, truth) = SampleImages.Lines[0];
        var line = SampleImages.Bytes(file);
        var receipt = SampleImages.Receipt;
        var limit = line.Length + 1_000;
        Assert.True(receipt.Length > limit);
        await using var worker = new WorkerUnderTest(new() { ["Worker:MaxBatchSize"] = "4", ["BlobStorage:MaxBlobBytes"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture), ["Worker:ResultCacheEntries"] = "0" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var lineOnly = new RecognitionOptions(RecognitionOnly: true);
        var atLimit = line.Concat(new byte[limit - line.Length]).ToArray(); // a PNG with trailing bytes after IEND still decodes
        var jobs = new Dictionary<string, RecognizeDocument>
        {
            ["before"] = new(Guid.NewGuid(), await worker.UploadAsync(file, line), lineOnly),
            ["too-large"] = new(Guid.NewGuid(), await worker.UploadAsync("receipt.jpg", receipt)),
            ["at-limit"] = new(Guid.NewGuid(), await worker.UploadAsync("at-limit.png", atLimit), lineOnly),
            ["after"] = new(Guid.NewGuid(), await worker.UploadAsync("after.png", line), lineOnly),
        };

        await worker.SendAsync([.. jobs.Values]);
        await broker.WaitForResultsAsync([.. jobs.Values.Select(j => j.JobId)]);

        foreach (var (name, job) in jobs)
        {
            var result = Assert.Single(broker.For([job.JobId]));
            if (name == "too-large")
            {
                Assert.False(result.Recognized, result.Body.ToString());
                Assert.Equal(RecognitionErrorCodes.ImageTooLarge, result.ErrorCode);
                Assert.False(result.Body.GetProperty("retryable").GetBoolean());
                Assert.Contains($"{receipt.Length} bytes", result.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
            }
            else
            {
                Assert.True(result.Recognized, $"{name}: {result.Body}");
                Assert.True(SampleImages.Cer(truth, result.Text!) <= 0.1, $"{name}: {result.Text}");
            }
        }
    }

    [Fact]
    public async Task Receipt_pages_upright_and_scanned_sideways_are_recognized_within_the_CER_bound()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var upright = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("receipt.jpg", SampleImages.Receipt), new RecognitionOptions(DetailLevel: DetailLevel.Full));
        var sideways = new RecognizeDocument(
            Guid.NewGuid(), await worker.UploadAsync("receipt-sideways.jpg", SampleImages.Bytes("receipt-sideways.jpg")), new RecognitionOptions(DetailLevel: DetailLevel.Full));

        var before = await worker.ScrapeMetricsAsync();

        await worker.SendAsync(upright, sideways);
        await broker.WaitForResultsAsync([upright.JobId, sideways.JobId], TimeSpan.FromSeconds(90));

        var after = await worker.ScrapeMetricsAsync();
        const string Turned = "scipix_pages_turned_total{rotation=\"90\"}";
        Assert.Equal(1, MetricsText.Value(after, Turned) - MetricsText.Value(before, Turned));

        foreach (var (job, truth, rotation) in new[] { (upright, SampleImages.ReceiptTruth, 0), (sideways, SampleImages.SidewaysReceiptTruth, 90) })
        {
            var result = Assert.Single(broker.For([job.JobId]));
            Assert.True(result.Recognized, result.Body.ToString());
            var page = Assert.Single(result.Body.GetProperty("pages").EnumerateArray());
            Assert.Equal(rotation, page.GetProperty("rotation").GetInt32());
            Assert.True(page.GetProperty("lines").GetArrayLength() > 10);
            Assert.Equal(8, page.GetProperty("lines")[0].GetProperty("box").GetArrayLength());
            var cer = SampleImages.Cer(truth, result.Text!);
            Assert.True(cer <= 0.25, $"CER {cer:P1}:\n{result.Text}");
        }
    }

    [Fact]
    public async Task Scanned_and_born_digital_pdfs_are_read_and_a_pdf_with_neither_fails_alone_in_its_batch()
    {
        // One page in flight per job: the two-page scan goes through the engine one page at a time.
        await using var worker = new WorkerUnderTest(new() { ["Worker:MaxBatchSize"] = "3", ["Worker:BatchTimeLimit"] = "00:00:05", ["Worker:PagesInFlightPerJob"] = "1" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var builder = new PdfDocumentBuilder();
        builder.AddPage(PageSize.A4).AddText("Invoice 20817", 12, new PdfPoint(50, 700), builder.AddStandard14Font(Standard14Font.Helvetica));
        var unreadable = new PdfDocumentBuilder();
        unreadable.AddPage(PageSize.A4).AddText("Cover", 12, new PdfPoint(50, 700), unreadable.AddStandard14Font(Standard14Font.Helvetica));
        var icons = unreadable.AddPage(PageSize.A4); // two icons: no scan, no tiles, no text, no picture large enough to hold any
        icons.AddPng(Icon(), new PdfRectangle(50, 600, 62, 612));
        icons.AddPng(Icon(), new PdfRectangle(300, 100, 312, 112));

        var scanned = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("scanned-pages.pdf", SampleImages.Bytes("scanned-pages.pdf")));
        var digital = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("digital.pdf", builder.Build()), new RecognitionOptions(DetailLevel: DetailLevel.Full));
        var neither = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("icons.pdf", unreadable.Build()));
        var before = await worker.ScrapeMetricsAsync();

        await worker.SendAsync(scanned, digital, neither);
        await broker.WaitForResultsAsync([scanned.JobId, digital.JobId, neither.JobId], TimeSpan.FromSeconds(90));

        var after = await worker.ScrapeMetricsAsync();
        const string ScannedPages = "scipix_pages_recognized_total{format=\"pdf\",source=\"image\"}";
        const string TextPages = "scipix_pages_recognized_total{format=\"pdf\",source=\"text-layer\"}";
        Assert.Equal((2, 1), (MetricsText.Value(after, ScannedPages) - MetricsText.Value(before, ScannedPages), MetricsText.Value(after, TextPages) - MetricsText.Value(before, TextPages)));

        var result = Assert.Single(broker.For([scanned.JobId]));
        Assert.True(result.Recognized, result.Body.ToString());
        var pages = result.Body.GetProperty("pages").EnumerateArray().ToList();
        Assert.Equal([1, 2], pages.Select(p => p.GetProperty("pageNumber").GetInt32()));
        Assert.Equal(["image", "image"], pages.Select(p => p.GetProperty("source").GetString()));
        Assert.Contains("HOME MASTER", pages[0].GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((463, 1013), (pages[1].GetProperty("width").GetInt32(), pages[1].GetProperty("height").GetInt32())); // shown upright
        var cer = SampleImages.Cer(SampleImages.ReceiptTruth, pages[1].GetProperty("text").GetString()!);
        Assert.True(cer <= 0.25, $"page 2 CER {cer:P1}:\n{pages[1].GetProperty("text").GetString()}");

        var text = Assert.Single(broker.For([digital.JobId]));
        Assert.True(text.Recognized, text.Body.ToString());
        var page = Assert.Single(text.Body.GetProperty("pages").EnumerateArray());
        Assert.Equal(("textLayer", 595, 842, "Invoice 20817"),
            (page.GetProperty("source").GetString(), page.GetProperty("width").GetInt32(), page.GetProperty("height").GetInt32(), page.GetProperty("text").GetString()));
        var line = Assert.Single(page.GetProperty("lines").EnumerateArray());
        var box = line.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        Assert.Equal(1f, line.GetProperty("confidence").GetSingle());
        Assert.InRange(box[0], 49, 51); // x = 50 pt
        Assert.InRange(box[5], 135, 142.5); // the baseline 700 pt up is 142 pt from the top

        var failed = Assert.Single(broker.For([neither.JobId]));
        Assert.False(failed.Recognized);
        Assert.Equal(RecognitionErrorCodes.UnsupportedFormat, failed.Body.GetProperty("errorCode").GetString());
        Assert.Contains("Page 2 of the PDF has neither text nor a scanned image", failed.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_picture_on_a_born_digital_page_is_read_into_its_text_in_points()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddText("Expense claim 2026-117: receipt attached", 12, new PdfPoint(50, 800), builder.AddStandard14Font(Standard14Font.Helvetica));
        page.AddJpeg(SampleImages.Receipt, new PdfRectangle(50, 40, 281.5, 546.5)); // 463 x 1013 pixels at half a point each
        var job = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("claim.pdf", builder.Build()), new RecognitionOptions(DetailLevel: DetailLevel.Full));
        const string Pictures = "scipix_pdf_pictures_total", ReadBefore = "scipix_pdf_pictures_read_before_total";
        var before = await worker.ScrapeMetricsAsync();

        await worker.SendAsync(job);
        await broker.WaitForResultsAsync([job.JobId], TimeSpan.FromSeconds(60));

        var result = Assert.Single(broker.For([job.JobId]));
        Assert.True(result.Recognized, result.Body.ToString());
        var read = Assert.Single(result.Body.GetProperty("pages").EnumerateArray());
        Assert.Equal(("textLayer", 595, 842), (read.GetProperty("source").GetString(), read.GetProperty("width").GetInt32(), read.GetProperty("height").GetInt32()));
        var text = read.GetProperty("text").GetString()!;
        Assert.StartsWith("Expense claim 2026-117: receipt attached\n", text, StringComparison.Ordinal);
        var cer = SampleImages.Cer(SampleImages.ReceiptTruth, text[(text.IndexOf('\n', StringComparison.Ordinal) + 1)..]);
        Assert.True(cer <= 0.25, $"receipt CER {cer:P1}:\n{text}");
        var lines = read.GetProperty("lines").EnumerateArray().ToList();
        Assert.Equal(1f, lines[0].GetProperty("confidence").GetSingle());
        Assert.All(lines.Skip(1), l =>
        {
            // The receipt's lines, read by the models, in points inside the picture's place (295.5-802 points from the top).
            var box = l.GetProperty("box").EnumerateArray().Select(v => v.GetSingle()).ToArray();
            Assert.True(l.GetProperty("confidence").GetSingle() < 1f, l.ToString());
            Assert.All(box.Where((_, i) => i % 2 == 0), x => Assert.InRange(x, 49, 283));
            Assert.All(box.Where((_, i) => i % 2 == 1), y => Assert.InRange(y, 294, 803));
        });
        var afterFirst = await worker.ScrapeMetricsAsync();
        Assert.Equal(1, MetricsText.Value(afterFirst, Pictures) - MetricsText.Value(before, Pictures));
        Assert.Equal(0, MetricsText.Value(afterFirst, ReadBefore) - MetricsText.Value(before, ReadBefore));

        // The next claim carries the same receipt (the same picture, another file): its reading was kept, not read again.
        var again = new PdfDocumentBuilder();
        var next = again.AddPage(PageSize.A4);
        next.AddText("Expense claim 2026-118: receipt attached", 12, new PdfPoint(50, 800), again.AddStandard14Font(Standard14Font.Helvetica));
        next.AddJpeg(SampleImages.Receipt, new PdfRectangle(50, 40, 281.5, 546.5));
        var second = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("claim-118.pdf", again.Build()), new RecognitionOptions(DetailLevel: DetailLevel.Full));

        await worker.SendAsync(second);
        await broker.WaitForResultsAsync([second.JobId], TimeSpan.FromSeconds(60));

        var repeat = Assert.Single(broker.For([second.JobId]));
        Assert.True(repeat.Recognized, repeat.Body.ToString());
        Assert.False(repeat.Body.GetProperty("fromCache").GetBoolean());
        Assert.Equal(text.Replace("2026-117", "2026-118", StringComparison.Ordinal), Assert.Single(repeat.Body.GetProperty("pages").EnumerateArray()).GetProperty("text").GetString());
        var afterSecond = await worker.ScrapeMetricsAsync();
        Assert.Equal(1, MetricsText.Value(afterSecond, Pictures) - MetricsText.Value(afterFirst, Pictures));
        Assert.Equal(1, MetricsText.Value(afterSecond, ReadBefore) - MetricsText.Value(afterFirst, ReadBefore));
    }

    [Fact]
    public async Task A_job_reads_the_pages_it_asks_for_and_a_first_page_past_the_end_fails_alone()
    {
        // One page in flight per job, so that a range is walked in groups as a long document is.
        await using var worker = new WorkerUnderTest(new() { ["Worker:PagesInFlightPerJob"] = "1" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var pdf = await worker.UploadAsync("scanned-pages.pdf", SampleImages.Bytes("scanned-pages.pdf"));
        var second = new RecognizeDocument(Guid.NewGuid(), pdf, new RecognitionOptions(FirstPage: 2));
        var first = new RecognizeDocument(Guid.NewGuid(), pdf, new RecognitionOptions(FirstPage: 1, LastPage: 1));
        var past = new RecognizeDocument(Guid.NewGuid(), pdf, new RecognitionOptions(FirstPage: 3, LastPage: 9));

        await worker.SendAsync(second, first, past);
        await broker.WaitForResultsAsync([second.JobId, first.JobId, past.JobId], TimeSpan.FromSeconds(90));

        var secondPage = Assert.Single(broker.For([second.JobId]));
        Assert.True(secondPage.Recognized, secondPage.Body.ToString());
        Assert.Equal(2, secondPage.Body.GetProperty("pageCount").GetInt32());
        var page = Assert.Single(secondPage.Body.GetProperty("pages").EnumerateArray());
        Assert.Equal(2, page.GetProperty("pageNumber").GetInt32());
        var cer = SampleImages.Cer(SampleImages.ReceiptTruth, page.GetProperty("text").GetString()!);
        Assert.True(cer <= 0.25, $"page 2 CER {cer:P1}");

        var firstPage = Assert.Single(broker.For([first.JobId]));
        Assert.True(firstPage.Recognized, firstPage.Body.ToString());
        page = Assert.Single(firstPage.Body.GetProperty("pages").EnumerateArray());
        Assert.Equal(1, page.GetProperty("pageNumber").GetInt32());
        Assert.Contains("HOME MASTER", page.GetProperty("text").GetString(), StringComparison.OrdinalIgnoreCase);

        var failed = Assert.Single(broker.For([past.JobId]));
        Assert.False(failed.Recognized);
        Assert.Equal(RecognitionErrorCodes.PageOutOfRange, failed.ErrorCode);
        Assert.Contains("the file has 2 page(s)", failed.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_still_running_at_the_job_timeout_is_stopped_and_answered_and_the_next_job_runs()
    {
        // 24 scanned receipt pages: half a minute or more of work on a CPU, against a 2-s limit.
        await using var worker = new WorkerUnderTest(new() { ["Worker:JobTimeout"] = "00:00:02", ["Worker:MaxBatchSize"] = "1" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var longJob = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("long.pdf", ReceiptPages(24)), new RecognitionOptions(DetailLevel: DetailLevel.Text));
        var line = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync(file, SampleImages.Bytes(file)), new RecognitionOptions(RecognitionOnly: true));

        await worker.SendAsync(longJob);
        await broker.WaitForResultsAsync([longJob.JobId], TimeSpan.FromSeconds(30));
        await worker.SendAsync(line);
        await broker.WaitForResultsAsync([line.JobId], TimeSpan.FromSeconds(30));

        var stopped = Assert.Single(broker.For([longJob.JobId]));
        Assert.False(stopped.Recognized, stopped.Body.ToString());
        Assert.Equal(RecognitionErrorCodes.ProcessingTimeout, stopped.ErrorCode);
        Assert.False(stopped.Body.GetProperty("retryable").GetBoolean());
        Assert.Contains("Worker:JobTimeout (00:00:02)", stopped.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var read = Assert.Single(broker.For([line.JobId]));
        Assert.True(read.Recognized && SampleImages.Cer(truth, read.Text!) <= 0.1, read.Body.ToString());

        // Stopped, not left running: nothing in flight and no crops queued once both are answered (the engine's own
        // count: the queue-depth gauge is set only when a batch is taken, so it can still show the dropped crops).
        var engine = worker.Services.GetRequiredService<ScipixWorker.Ocr.Engine.OcrEngine>();
        await Eventually.True(
            () => ScipixWorker.Observability.WorkerMetrics.JobsInFlight.Value == 0 && engine.RecognitionQueueDepth == 0,
            TimeSpan.FromSeconds(10),
            $"the stopped job's work to end (in flight {ScipixWorker.Observability.WorkerMetrics.JobsInFlight.Value}, crops queued {engine.RecognitionQueueDepth})");
        Assert.Equal(0, MetricsText.Value(await worker.ScrapeMetricsAsync(), "scipix_recognition_queue_depth")); // read at the scrape
    }

    // The wiring of /health/live's progress check (its logic has unit tests): a 1-s stall limit, and one long job that
    // finishes nothing for longer than that.
    [Fact]
    public async Task Liveness_fails_while_jobs_in_flight_finish_nothing_for_the_stall_timeout_and_recovers()
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:StallTimeout"] = "00:00:01", ["Worker:JobTimeout"] = "00:00:00" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, await worker.HealthAsync("/health/live"));
        var longJob = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("long.pdf", ReceiptPages(8)), new RecognitionOptions(DetailLevel: DetailLevel.Text));

        await worker.SendAsync(longJob);
        await Eventually.True(async () => await worker.HealthAsync("/health/live") == System.Net.HttpStatusCode.ServiceUnavailable, TimeSpan.FromSeconds(30), "/health/live to fail during the long job");
        await broker.WaitForResultsAsync([longJob.JobId], TimeSpan.FromSeconds(120));

        Assert.True(Assert.Single(broker.For([longJob.JobId])).Recognized);
        await Eventually.True(async () => await worker.HealthAsync("/health/live") == System.Net.HttpStatusCode.OK, TimeSpan.FromSeconds(10), "/health/live once the job finished");
    }

    [Fact]
    public async Task A_result_too_large_for_a_message_is_written_to_a_result_blob()
    {
        await using var worker = new WorkerUnderTest(new() { ["Worker:InlineResultMaxBytes"] = "256" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var job = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync(file, SampleImages.Bytes(file)), new RecognitionOptions(true, DetailLevel.Full));

        await worker.SendAsync(job);
        await broker.WaitForResultsAsync([job.JobId]);

        var result = Assert.Single(broker.For([job.JobId]));
        Assert.True(result.Recognized);
        Assert.Equal(0, result.Body.GetProperty("pages").GetArrayLength());
        Assert.Null(result.Text);
        var location = result.Body.GetProperty("resultLocation");
        Assert.Equal(worker.ResultContainer, location.GetProperty("container").GetString());
        var blob = await worker.Storage.GetBlobContainerClient(worker.ResultContainer).GetBlobClient(location.GetProperty("blobName").GetString())
            .DownloadContentAsync(TestContext.Current.CancellationToken);
        var full = JsonDocument.Parse(blob.Value.Content.ToMemory()).RootElement;
        Assert.Equal(job.JobId, full.GetProperty("jobId").GetGuid());
        Assert.True(SampleImages.Cer(truth, full.GetProperty("text").GetString()!) <= 0.1);
        Assert.Equal(8, full.GetProperty("pages")[0].GetProperty("lines")[0].GetProperty("box").GetArrayLength());
    }

    // A PDF of the receipt scan, once a page: about a second of work a page on two cores.
    private static byte[] ReceiptPages(int count)
    {
        var builder = new PdfDocumentBuilder();
        for (var i = 0; i < count; i++)
        {
            builder.AddPage(PageSize.A4).AddJpeg(SampleImages.Receipt, new PdfRectangle(0, 0, 595, 842));
        }

        return builder.Build();
    }

    // A 12 x 12 pixel PNG: too small a picture to hold a line of text.
    private static byte[] Icon()
    {
        using var icon = new SixLabors.ImageSharp.Image<SixLabors.ImageSharp.PixelFormats.Rgb24>(12, 12, SixLabors.ImageSharp.Color.Black);
        using var png = new MemoryStream();
        SixLabors.ImageSharp.ImageExtensions.SaveAsPng(icon, png);
        return png.ToArray();
    }
}
