using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>Traces of each job (section Tracing), on the real RabbitMQ, Azurite and models.</summary>
public sealed class TracingTests
{
    // A trace context as an upstream producer sends it (W3C traceparent): its trace, and the span that published the job.
    private static (ActivityTraceId Trace, ActivitySpanId Span, string Header) ProducerContext()
    {
        var (trace, span) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());
        return (trace, span, $"00-{trace.ToHexString()}-{span.ToHexString()}-01");
    }

    private static Task PublishJobAsync(Broker broker, WorkerUnderTest worker, Guid jobId, string blobName, string traceparent, bool recognitionOnly = true) =>
        broker.PublishRawAsync(
            worker.QueueName,
            $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{worker.Container}}}","blobName":"{{{blobName}}}"},"options":{"recognitionOnly":{{{(recognitionOnly ? "true" : "false")}}}}}""",
            headers: new Dictionary<string, object?> { ["traceparent"] = Encoding.UTF8.GetBytes(traceparent) });

    /// <summary>Every span of the named sources that ends while it lives (of every worker in this process: filter by trace).</summary>
    private sealed class SpanRecorder : IDisposable
    {
        private readonly ActivityListener _listener;

        public SpanRecorder(params string[] sources)
        {
            _listener = new ActivityListener
            {
                ShouldListenTo = source => sources.Contains(source.Name),
                Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
                ActivityStopped = Spans.Enqueue,
            };
            ActivitySource.AddActivityListener(_listener);
        }

        public ConcurrentQueue<Activity> Spans { get; } = new();

        /// <summary>The spans of <paramref name="trace"/>, once its job's span has ended (a moment after the result arrives).</summary>
        public async Task<List<Activity>> OfJobAsync(ActivityTraceId trace)
        {
            await Eventually.True(() => Task.FromResult(Spans.Any(s => s.TraceId == trace && s.OperationName == "scipix.job")), TimeSpan.FromSeconds(10), "the job's span to end");
            return [.. Spans.Where(s => s.TraceId == trace)];
        }

        public void Dispose() => _listener.Dispose();
    }

    [Fact]
    public async Task A_job_continues_the_trace_its_producer_sent_and_its_result_carries_the_trace_on()
    {
        using var recorder = new SpanRecorder("ScipixWorker", "MassTransit");
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, _) = SampleImages.Lines[1];
        await worker.UploadAsync(file, SampleImages.Bytes(file));
        var (trace, producerSpan, traceparent) = ProducerContext();
        var jobId = Guid.NewGuid();

        await PublishJobAsync(broker, worker, jobId, file, traceparent);
        await broker.WaitForResultsAsync([jobId]);

        var result = broker.For([jobId]).Single();
        Assert.True(result.Recognized, result.ToString());
        var ours = await recorder.OfJobAsync(trace);
        var job = Assert.Single(ours, s => s.OperationName == "scipix.job");
        Assert.Equal(jobId.ToString(), job.GetTagItem("scipix.job_id"));
        Assert.Equal("recognized", job.GetTagItem("scipix.outcome"));
        // The job's span sits under the producer's span: directly, or under MassTransit's consume span of it.
        Assert.True(
            job.ParentSpanId == producerSpan || ours.Any(s => s.SpanId == job.ParentSpanId && s.ParentSpanId == producerSpan),
            $"the job's span {job.SpanId} has parent {job.ParentSpanId}, not the producer's {producerSpan}");
        var download = Assert.Single(ours, s => s.OperationName == "scipix.download");
        var ocr = Assert.Single(ours, s => s.OperationName == "scipix.ocr");
        Assert.Equal(job.SpanId, download.ParentSpanId);
        Assert.Equal(job.SpanId, ocr.ParentSpanId);
        Assert.Equal(1, ocr.GetTagItem("scipix.pages"));
        Assert.True(download.Duration > TimeSpan.Zero && ocr.Duration > TimeSpan.Zero);
        Assert.True(result.Headers.TryGetValue("traceparent", out var forwarded), $"headers: {string.Join(", ", result.Headers.Keys)}");
        Assert.Contains(trace.ToHexString(), forwarded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Each_scanned_page_of_a_job_is_a_span_inside_its_reading()
    {
        using var recorder = new SpanRecorder("ScipixWorker", "ScipixWorker.Ocr");
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        await worker.UploadAsync("scanned-pages.pdf", SampleImages.Bytes("scanned-pages.pdf"));
        var (trace, _, traceparent) = ProducerContext();
        var jobId = Guid.NewGuid();

        await PublishJobAsync(broker, worker, jobId, "scanned-pages.pdf", traceparent, recognitionOnly: false);
        await broker.WaitForResultsAsync([jobId]);

        var result = broker.For([jobId]).Single();
        Assert.True(result.Recognized, result.ToString());
        var ours = await recorder.OfJobAsync(trace);
        var ocr = Assert.Single(ours, s => s.OperationName == "scipix.ocr");
        var pages = ours.Where(s => s.OperationName == "scipix.page").OrderBy(s => s.GetTagItem("scipix.page")).ToList();
        Assert.Equal([1, 2], pages.Select(p => p.GetTagItem("scipix.page")));
        Assert.All(pages, page =>
        {
            Assert.Equal(ocr.SpanId, page.ParentSpanId);
            Assert.True((int)page.GetTagItem("scipix.lines")! > 0, "a page with no lines");
            Assert.True(page.StartTimeUtc >= ocr.StartTimeUtc && page.StartTimeUtc + page.Duration <= ocr.StartTimeUtc + ocr.Duration + TimeSpan.FromMilliseconds(1));
        });
    }

    [Fact]
    public async Task Traces_go_to_the_configured_collector_over_otlp()
    {
        using var collector = new OtlpCollector();
        var (trace, _, traceparent) = ProducerContext();
        var jobId = Guid.NewGuid();
        await using (var worker = new WorkerUnderTest(new()
        {
            ["Tracing:OtlpEndpoint"] = collector.Endpoint,
            ["Tracing:OtlpProtocol"] = "HttpProtobuf",
        }))
        {
            await using var broker = await Broker.ConnectAsync();
            await worker.StartAsync();
            var (file, _) = SampleImages.Lines[0];
            await worker.UploadAsync(file, SampleImages.Bytes(file));

            await PublishJobAsync(broker, worker, jobId, file, traceparent);
            await broker.WaitForResultsAsync([jobId]);
            await worker.StopAsync(); // the exporter sends what it holds as the host stops
        }

        var exported = collector.Requests.Where(r => r.Path == "/v1/traces").Select(r => r.Body).ToList();
        Assert.NotEmpty(exported);
        var traceBytes = Convert.FromHexString(trace.ToHexString());
        var ours = exported.Where(body => body.AsSpan().IndexOf(traceBytes) >= 0).ToList();
        Assert.NotEmpty(ours);
        var text = Encoding.UTF8.GetString([.. ours.SelectMany(b => b)]);
        Assert.Contains("scipix.job", text, StringComparison.Ordinal);
        Assert.Contains("scipix.ocr", text, StringComparison.Ordinal);
        Assert.Contains(jobId.ToString(), text, StringComparison.Ordinal);
        Assert.Contains("scipix-worker", text, StringComparison.Ordinal); // service.name
    }

    /// <summary>An OTLP/HTTP receiver: takes every POST, keeps its path and body, answers 200 with an empty export response.</summary>
    private sealed class OtlpCollector : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly Task _serving;

        public OtlpCollector()
        {
            Endpoint = $"http://127.0.0.1:{WorkerUnderTest.FreePort()}/";
            _listener.Prefixes.Add(Endpoint);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Endpoint { get; }

        public ConcurrentQueue<(string Path, byte[] Body)> Requests { get; } = new();

        public void Dispose()
        {
            _listener.Stop();
            _listener.Close();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // The listener was stopped under a pending accept.
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                using var body = new MemoryStream();
                await context.Request.InputStream.CopyToAsync(body);
                Requests.Enqueue((context.Request.Url!.AbsolutePath, body.ToArray()));
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/x-protobuf";
                context.Response.Close();
            }
        }
    }
}
