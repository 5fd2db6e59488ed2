using System.Globalization;
using System.Net;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Worker:PrefetchCount", "3", "Worker:PrefetchCount")]
    [InlineData("BlobStorage:AllowedContainers:0", "Not_A_Container", "BlobStorage:AllowedContainers")]
    [InlineData("Health:Port", "0", "Port")]
    public async Task A_misconfigured_worker_fails_at_start_naming_the_setting(string key, string value, string named)
    {
        await using var worker = new WorkerUnderTest(new() { [key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(() => worker.StartAsync());

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    // Pods often start before their broker (a fresh cluster, a broker restarting): the worker must wait for it, not exit,
    // and say so through readiness, not liveness, so that Kubernetes neither restarts it nor counts it ready.
    [Fact]
    public async Task A_worker_started_before_its_broker_is_live_but_not_ready_and_consumes_once_the_broker_is_there()
    {
        await using var relay = TcpRelay.Start(TestEnvironment.RabbitHost, TestEnvironment.RabbitPort);
        relay.Refuse();
        await using var worker = new WorkerUnderTest(new()
        {
            ["RabbitMq:Host"] = "127.0.0.1",
            ["RabbitMq:Port"] = relay.Port.ToString(CultureInfo.InvariantCulture),
        });
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync(waitForBroker: false);

        await Eventually.True(() => relay.Refused >= 2, TimeSpan.FromSeconds(30), "the worker to try the broker twice");
        Assert.Equal(HttpStatusCode.OK, await worker.HealthAsync("/health/live"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await worker.HealthAsync("/health/ready"));

        relay.Open();
        await Eventually.True(async () => await worker.HealthAsync("/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(60), "/health/ready once the broker is there");
        var (file, truth) = SampleImages.Lines[2];
        var job = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync(file, SampleImages.Bytes(file)), new RecognitionOptions(RecognitionOnly: true));
        await broker.PublishLineJobAsync(worker.QueueName, job.JobId, job.Image);
        await broker.WaitForResultsAsync([job.JobId]);

        var result = Assert.Single(broker.For([job.JobId]));
        Assert.True(result.Recognized && SampleImages.Cer(truth, result.Text!) <= 0.1, result.Body.ToString());
    }
}
