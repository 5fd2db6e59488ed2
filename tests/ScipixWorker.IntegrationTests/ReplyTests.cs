using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MassTransit;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// A job's outcome goes back to whoever asked, besides the event: a plain-AMQP request's reply_to queue (a queue of its
/// own, or RabbitMQ's direct reply-to) with its correlation_id, and a MassTransit request client's response address.
/// </summary>
public sealed class ReplyTests
{
    [Fact]
    public async Task A_plain_amqp_request_gets_its_outcome_on_its_reply_queue_with_its_correlation_id_and_the_event_is_published_too()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        await using var client = await RpcClient.ConnectAsync();
        var replyQueue = await client.ReplyQueueAsync();
        var (read, missing, invalid) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        const string Sent = """scipix_replies_total{to="reply-to",outcome="sent"}""";
        var before = await worker.ScrapeMetricsAsync();

        await client.RequestAsync(worker.QueueName, LineJob(read, image), replyQueue, "req-read");
        await client.RequestAsync(worker.QueueName, $$$"""{"jobId":"{{{missing}}}","image":{"container":"{{{worker.Container}}}","blobName":"no-such.png"}}""", replyQueue, "req-missing");
        await client.RequestAsync(worker.QueueName, $$$"""{"jobId":"{{{invalid}}}","image":{"container":"{{{worker.Container}}}","blobName":"a.png"},"options":{"detailLevel":"all"}}""", replyQueue, "req-invalid");

        await Eventually.True(() => client.Replies.Count == 3, TimeSpan.FromSeconds(60), "three replies");
        var replies = client.Replies.ToDictionary(r => r.CorrelationId!);
        var recognized = replies["req-read"];
        Assert.Equal(read, recognized.Body.GetProperty("jobId").GetGuid());
        Assert.True(SampleImages.Cer(truth, recognized.Body.GetProperty("text").GetString()!) <= 0.1, recognized.Body.ToString());
        Assert.EndsWith(":DocumentRecognized", recognized.MessageType, StringComparison.Ordinal);
        Assert.Equal("application/json", recognized.ContentType);
        Assert.Equal(RecognitionErrorCodes.ImageNotFound, replies["req-missing"].Body.GetProperty("errorCode").GetString());
        Assert.EndsWith(":DocumentRecognitionFailed", replies["req-missing"].MessageType, StringComparison.Ordinal);
        Assert.Equal(RecognitionErrorCodes.InvalidJob, replies["req-invalid"].Body.GetProperty("errorCode").GetString());

        // The events are published as ever, once each.
        await broker.WaitForResultsAsync([read, missing, invalid]);
        Assert.Equal(3, broker.For([read, missing, invalid]).Count);
        await Eventually.True(
            async () => MetricsText.Value(await worker.ScrapeMetricsAsync(), Sent) - MetricsText.Value(before, Sent) == 3, TimeSpan.FromSeconds(10), "three replies counted");
    }

    [Fact]
    public async Task A_repeated_request_is_answered_again_from_the_cache_and_published_once()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        await using var client = await RpcClient.ConnectAsync();
        var replyQueue = await client.ReplyQueueAsync();
        var jobId = Guid.NewGuid();
        const string Duplicates = """scipix_jobs_total{outcome="duplicate"}""";
        var before = await worker.ScrapeMetricsAsync();

        await client.RequestAsync(worker.QueueName, LineJob(jobId, image), replyQueue, "first");
        await Eventually.True(() => client.Replies.Count == 1, TimeSpan.FromSeconds(60), "the first reply");
        // The requester timed out before the answer came and asks again with the same job; then someone sends it without reply_to.
        await client.RequestAsync(worker.QueueName, LineJob(jobId, image), replyQueue, "again");
        await Eventually.True(() => client.Replies.Count == 2, TimeSpan.FromSeconds(60), "the second reply");
        await client.Channel.BasicPublishAsync(string.Empty, worker.QueueName, mandatory: false, new BasicProperties { ContentType = "application/json" },
            Encoding.UTF8.GetBytes(LineJob(jobId, image)), TestContext.Current.CancellationToken);
        await Eventually.True(async () => MetricsText.Value(await worker.ScrapeMetricsAsync(), Duplicates) - MetricsText.Value(before, Duplicates) == 2,
            TimeSpan.FromSeconds(30), "both repeats seen");

        var replies = client.Replies.ToDictionary(r => r.CorrelationId!);
        var (first, again) = (replies["first"].Body, replies["again"].Body);
        Assert.Equal(jobId, again.GetProperty("jobId").GetGuid());
        Assert.Equal(first.GetProperty("text").GetString(), again.GetProperty("text").GetString());
        Assert.True(SampleImages.Cer(truth, again.GetProperty("text").GetString()!) <= 0.1, again.ToString());
        Assert.Equal((false, true), (first.GetProperty("fromCache").GetBoolean(), again.GetProperty("fromCache").GetBoolean()));
        Assert.Equal(2, client.Replies.Count); // the repeat without reply_to is answered by nobody
        await broker.WaitForResultsAsync([jobId]);
        Assert.Single(broker.For([jobId])); // one event for the three deliveries
    }

    [Fact]
    public async Task A_direct_reply_to_request_gets_its_outcome_without_a_queue_of_its_own()
    {
        await using var worker = new WorkerUnderTest();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[1];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        await using var client = await RpcClient.ConnectAsync();
        const string DirectReplyTo = "amq.rabbitmq.reply-to";
        await client.ConsumeAsync(DirectReplyTo, autoAck: true); // RabbitMQ's pseudo-queue: consumed without acks, on the publishing channel
        var jobId = Guid.NewGuid();

        await client.RequestAsync(worker.QueueName, LineJob(jobId, image), DirectReplyTo, "rpc-1");

        await Eventually.True(() => client.Replies.Count == 1, TimeSpan.FromSeconds(60), "the reply");
        var reply = Assert.Single(client.Replies);
        Assert.Equal("rpc-1", reply.CorrelationId);
        Assert.Equal(jobId, reply.Body.GetProperty("jobId").GetGuid());
        Assert.True(SampleImages.Cer(truth, reply.Body.GetProperty("text").GetString()!) <= 0.1, reply.Body.ToString());
    }

    // The requester went away (its reply queue deleted with its connection): the job is answered by its event all the
    // same, once, and not run again.
    [Fact]
    public async Task A_reply_to_a_queue_that_is_gone_does_not_fail_the_job()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        await using var client = await RpcClient.ConnectAsync();
        var jobId = Guid.NewGuid();
        var before = await worker.ScrapeMetricsAsync();

        await client.RequestAsync(
            worker.QueueName,
            LineJob(jobId, image),
            $"it-gone-{Guid.NewGuid():N}",
            "lost-1");

        await broker.WaitForResultsAsync([jobId]);
        var read = Assert.Single(broker.For([jobId]));
        Assert.True(read.Recognized && SampleImages.Cer(truth, read.Text!) <= 0.1, read.Body.ToString());
        await Eventually.True(async () => await broker.MessageCountAsync(worker.QueueName) == 0, TimeSpan.FromSeconds(10), "the job acknowledged");
        // The job is counted once its reply is sent (or given up), after its event: the event can come first, and the
        // queue's count leaves out a delivery not yet acknowledged, so the count is waited for.
        var after = before;
        string Delta(string series) => (MetricsText.Value(after, series) - MetricsText.Value(before, series)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        const string Recognized = """scipix_jobs_total{outcome="recognized"}""";
        await Eventually.True(
            async () =>
            {
                after = await worker.ScrapeMetricsAsync();
                return Delta(Recognized) != "0";
            },
            TimeSpan.FromSeconds(10),
            "the job counted");
        Assert.Equal("1", Delta(Recognized));
        Assert.Equal("0", Delta("scipix_jobs_redelivered_total"));
        Assert.Single(broker.For([jobId])); // no second event
    }

    [Fact]
    public async Task With_replies_turned_off_a_request_gets_the_event_only()
    {
        await using var worker = new WorkerUnderTest(new Dictionary<string, string?> { ["Worker:SendReplies"] = "false" });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, _) = SampleImages.Lines[1];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        await using var client = await RpcClient.ConnectAsync();
        var replyQueue = await client.ReplyQueueAsync();
        var jobId = Guid.NewGuid();

        await client.RequestAsync(worker.QueueName, LineJob(jobId, image), replyQueue, "off-1");

        await broker.WaitForResultsAsync([jobId]);
        Assert.True(Assert.Single(broker.For([jobId])).Recognized);
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a reply would have come with the event
        Assert.Empty(client.Replies);
    }

    [Fact]
    public async Task A_masstransit_request_client_gets_the_outcome_as_its_response()
    {
        await using var worker = new WorkerUnderTest();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[2];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, TestEnvironment.VirtualHost, host =>
            {
                host.Username(TestEnvironment.Username);
                host.Password(TestEnvironment.Password);
            });
            rabbit.UseRawJsonDeserializer(RawSerializerOptions.AddTransportHeaders, isDefault: true); // the worker answers in plain JSON
        });
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var client = bus.CreateRequestClient<RecognizeDocument>(new Uri($"queue:{worker.QueueName}"), RequestTimeout.After(s: 60));
            const string Sent = """scipix_replies_total{to="response-address",outcome="sent"}""";
            var before = await worker.ScrapeMetricsAsync();

            var job = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true));
            var answered = await client.GetResponse<DocumentRecognized, DocumentRecognitionFailed>(job, TestContext.Current.CancellationToken);
            var askedAgain = await client.GetResponse<DocumentRecognized, DocumentRecognitionFailed>(job, TestContext.Current.CancellationToken); // a retry: a repeat
            var refused = await client.GetResponse<DocumentRecognized, DocumentRecognitionFailed>(
                new RecognizeDocument(Guid.NewGuid(), new ImageLocation(worker.Container, "no-such.png")), TestContext.Current.CancellationToken);

            Assert.True(answered.Is(out Response<DocumentRecognized>? recognized));
            Assert.True(SampleImages.Cer(truth, recognized!.Message.Text!) <= 0.1, recognized.Message.Text);
            Assert.True(refused.Is(out Response<DocumentRecognitionFailed>? failed));
            Assert.Equal(RecognitionErrorCodes.ImageNotFound, failed!.Message.ErrorCode);
            Assert.True(askedAgain.Is(out Response<DocumentRecognized>? again));
            Assert.Equal((recognized.Message.Text, true), (again!.Message.Text, again.Message.FromCache));
            // Counted once the broker confirmed the reply, which can be after the client has read it.
            await Eventually.True(
                async () => MetricsText.Value(await worker.ScrapeMetricsAsync(), Sent) - MetricsText.Value(before, Sent) == 3, TimeSpan.FromSeconds(10), "three replies counted");
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }
    }

    // scipix submit --wait waits on the worker's replies to its own bus: exit code 0 once each job's outcome came back; with
    // --inline the images go in the job messages, and nothing is uploaded.
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Scipix_submit_wait_gets_its_jobs_outcomes_as_replies(bool inline)
    {
        await using var worker = new WorkerUnderTest();
        await worker.StartAsync();
        await worker.Storage.GetBlobContainerClient(worker.Container).CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        const string Sent = """scipix_replies_total{to="response-address",outcome="sent"}""";
        var before = await worker.ScrapeMetricsAsync();
        var previous = Environment.GetEnvironmentVariable("Worker__QueueName");
        Environment.SetEnvironmentVariable("Worker__QueueName", worker.QueueName);
        try
        {
            var files = SampleImages.Lines.Take(2).Select(line => TestEnvironment.Asset("samples", line.File)).ToArray();
            var code = await new System.CommandLine.RootCommand { Cli.Submit.SubmitCommand.Create() }
                .Parse(["submit", .. files, "--wait", "--recognition-only", "--container", worker.Container, "--timeout", "60", .. (inline ? new[] { "--inline" } : [])])
                .InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(0, code);
            await Eventually.True(
                async () => MetricsText.Value(await worker.ScrapeMetricsAsync(), Sent) - MetricsText.Value(before, Sent) == 2, TimeSpan.FromSeconds(10), "two replies counted");
            var uploaded = 0;
            await foreach (var _ in worker.Storage.GetBlobContainerClient(worker.Container).GetBlobsAsync(cancellationToken: TestContext.Current.CancellationToken))
            {
                uploaded++;
            }

            Assert.Equal(inline ? 0 : 2, uploaded);
        }
        finally
        {
            Environment.SetEnvironmentVariable("Worker__QueueName", previous);
        }
    }

    private static string LineJob(Guid jobId, ScipixWorker.Contracts.ImageLocation image) =>
        $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{image.Container}}}","blobName":"{{{image.BlobName}}}"},"options":{"recognitionOnly":true}}""";

    private sealed record Reply(string? CorrelationId, string? ContentType, string MessageType, JsonElement Body);

    /// <summary>A plain AMQP client making requests the RabbitMQ tutorials' way: reply_to and correlation_id.</summary>
    private sealed class RpcClient : IAsyncDisposable
    {
        private readonly IConnection _connection;

        private RpcClient(IConnection connection, IChannel channel)
        {
            _connection = connection;
            Channel = channel;
        }

        public IChannel Channel { get; }

        public ConcurrentQueue<Reply> Replies { get; } = new();

        public static async Task<RpcClient> ConnectAsync()
        {
            var connection = await TestEnvironment.ConnectionFactory().CreateConnectionAsync();
            return new RpcClient(connection, await connection.CreateChannelAsync());
        }

        /// <summary>A private, exclusive reply queue, consumed: the tutorials' RPC client.</summary>
        public async Task<string> ReplyQueueAsync()
        {
            var queue = (await Channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
            await ConsumeAsync(queue, autoAck: false);
            return queue;
        }

        public async Task ConsumeAsync(string queue, bool autoAck)
        {
            var consumer = new AsyncEventingBasicConsumer(Channel);
            consumer.ReceivedAsync += async (_, delivery) =>
            {
                var type = delivery.BasicProperties.Headers?.TryGetValue("MT-MessageType", out var header) == true && header is byte[] bytes
                    ? Encoding.UTF8.GetString(bytes)
                    : string.Empty;
                Replies.Enqueue(new Reply(
                    delivery.BasicProperties.CorrelationId, delivery.BasicProperties.ContentType, type, JsonDocument.Parse(delivery.Body.ToArray()).RootElement.Clone()));
                if (!autoAck)
                {
                    await Channel.BasicAckAsync(delivery.DeliveryTag, multiple: false);
                }
            };
            await Channel.BasicConsumeAsync(queue, autoAck, consumer);
        }

        public async Task RequestAsync(string queue, string json, string replyTo, string correlationId)
        {
            var properties = new BasicProperties { ContentType = "application/json", ReplyTo = replyTo, CorrelationId = correlationId, DeliveryMode = DeliveryModes.Persistent };
            await Channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, Encoding.UTF8.GetBytes(json));
        }

        public async ValueTask DisposeAsync()
        {
            await Channel.CloseAsync();
            await _connection.CloseAsync();
            Channel.Dispose();
            _connection.Dispose();
        }
    }
}
