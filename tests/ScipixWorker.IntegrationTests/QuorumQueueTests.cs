using ScipixWorker.Cli.Submit;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// <c>Worker:QueueType=Quorum</c>: the worker declares a quorum queue, and a job whose earlier deliveries all ended
/// without an answer (taken by a consumer that then died, Worker:DeliveryLimit times) is answered
/// <c>delivery-limit-exceeded</c>, retryable, instead of being run again; the jobs beside it run, and sent again it runs.
/// </summary>
public sealed class QuorumQueueTests
{
    private const int DeliveryLimit = 2;

    [Fact]
    public async Task A_job_delivered_too_often_without_an_answer_is_answered_retryable_and_runs_when_sent_again()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Worker:QueueType"] = "Quorum",
            ["Worker:DeliveryLimit"] = DeliveryLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        await using var worker = new WorkerUnderTest(settings);
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        Assert.Equal(406, await broker.TryDeclareClassicAsync(worker.QueueName)); // PRECONDITION_FAILED: it is a quorum queue
        await worker.StopAsync();

        var (file, truth) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var poison = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true));
        var beside = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true));
        await broker.PublishLineJobAsync(worker.QueueName, poison.JobId, poison.Image);
        var counts = new List<long?>();
        for (var i = 0; i < DeliveryLimit; i++)
        {
            counts.Add(await broker.TakeAndDropAsync(worker.QueueName)); // a consumer that dies with the job
        }

        Assert.Equal(DeliveryLimit - 1, counts[^1] ?? 0); // RabbitMQ 3.10 says 0 on the first delivery; later versions leave it out
        await broker.PublishLineJobAsync(worker.QueueName, beside.JobId, beside.Image);

        await worker.RestartAsync();
        await broker.WaitForResultsAsync([poison.JobId, beside.JobId]);
        var refused = Assert.Single(broker.For([poison.JobId]));
        Assert.False(refused.Recognized, refused.Body.ToString());
        Assert.Equal(RecognitionErrorCodes.DeliveryLimitExceeded, refused.ErrorCode);
        Assert.True(refused.Body.GetProperty("retryable").GetBoolean());
        Assert.Contains($"Delivered {DeliveryLimit + 1} times", refused.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
        var read = Assert.Single(broker.For([beside.JobId]));
        Assert.True(read.Recognized && SampleImages.Cer(truth, read.Text!) <= 0.1, read.Body.ToString());

        await broker.PublishLineJobAsync(worker.QueueName, poison.JobId, poison.Image); // the caller retries: a new message, no deliveries yet
        await Eventually.True(() => broker.For([poison.JobId]).Count == 2, TimeSpan.FromSeconds(60), "the job sent again to be answered");
        var again = broker.For([poison.JobId])[1];
        Assert.True(again.Recognized && SampleImages.Cer(truth, again.Text!) <= 0.1, again.Body.ToString());
    }

    // scipix submit and bench send to a quorum queue through its exchange, having declared the queue with its type: sent
    // through MassTransit's queue address, the classic declaration it makes would be refused.
    [Fact]
    public async Task Jobs_the_cli_sends_before_any_worker_started_wait_in_the_quorum_queue_and_are_read()
    {
        await using var worker = new WorkerUnderTest(new Dictionary<string, string?> { ["Worker:QueueType"] = "Quorum" });
        await using var broker = await Broker.ConnectAsync();
        await worker.Storage.GetBlobContainerClient(worker.Container).CreateIfNotExistsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var (file, truth) = SampleImages.Lines[1];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var job = new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true));
        var settings = new SubmitSettings(
            TestEnvironment.RabbitHost, (ushort)TestEnvironment.RabbitPort, TestEnvironment.VirtualHost, TestEnvironment.Username, TestEnvironment.Password,
            worker.QueueName, QuorumQueue: true, TestEnvironment.BlobConnectionString, AccountUrl: null, worker.Container);
        var bus = ResultBus.Create(settings, resultQueue: null, _ => { }, _ => { });
        await bus.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            var endpoint = await JobQueue.GetSendEndpointAsync(bus, settings, worker.QueueName, settings.QuorumQueue, TestContext.Current.CancellationToken);
            await endpoint.Send(job, TestContext.Current.CancellationToken);
        }
        finally
        {
            await bus.StopAsync(CancellationToken.None);
        }

        await worker.StartAsync(); // declares the queue the CLI declared: the same type, or the start fails
        await broker.WaitForResultsAsync([job.JobId]);

        var read = Assert.Single(broker.For([job.JobId]));
        Assert.True(read.Recognized && SampleImages.Cer(truth, read.Text!) <= 0.1, read.Body.ToString());
    }
}
