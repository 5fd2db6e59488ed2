using System.Globalization;
using System.Net;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;
using ScipixWorker.Observability;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// The worker's broker connection lost twice in the middle of a run, through a <see cref="TcpRelay"/> between the worker
/// and RabbitMQ (the test's own client talks to RabbitMQ directly). The jobs in flight at each loss are redelivered
/// while their first runs are still in the worker, and those runs' result publishes may be lost with the connection
/// or wait for confirmations that never come: every job must still be answered, and none failed (docs/worker.md,
/// "Broker restarts").
/// </summary>
public sealed class ConnectionLossTests
{
    private const int JobCount = 60;

    // WorkerUnderTest's deliveries: 4 jobs, 2 at a time, so at most 8 unacknowledged jobs at a loss.
    private const int Prefetch = 8;

    [Fact]
    public Task Jobs_in_flight_when_the_connection_resets_are_all_answered() => LoseTheConnectionTwice(relay => relay.CutAll());

    // The case that lost jobs in broker restarts: the broker has let the connection go and requeued its jobs, while the
    // worker, hearing nothing, keeps waiting for its publishes' confirmations until its heartbeat gives up on it.
    [Fact]
    public Task Jobs_in_flight_when_the_connection_goes_silent_are_all_answered() => LoseTheConnectionTwice(relay => relay.SilenceAll());

    private static async Task LoseTheConnectionTwice(Func<TcpRelay, int> loseConnections)
    {
        await using var relay = TcpRelay.Start(TestEnvironment.RabbitHost, TestEnvironment.RabbitPort);
        var settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = "127.0.0.1",
            ["RabbitMq:Port"] = relay.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:Heartbeat"] = "00:00:01",
            ["Worker:PublishTimeout"] = "00:00:02",
            ["Worker:ResultCacheEntries"] = "0", // every job read by the models, so that jobs are in flight at the losses
        };
        await using var worker = new WorkerUnderTest(settings);
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var images = await worker.UploadSampleLinesAsync();

        var redeliveredBefore = WorkerMetrics.JobsRedeliveredTotal.Value;
        var ids = Enumerable.Range(0, JobCount).Select(_ => Guid.NewGuid()).ToList();
        for (var i = 0; i < JobCount; i++)
        {
            // Sent on the test's own connection, which the losses do not touch.
            await broker.PublishLineJobAsync(worker.QueueName, ids[i], images[i % images.Count]);
        }

        var losses = new List<(int Answered, int Connections)>();
        foreach (var answered in new[] { JobCount / 6, JobCount / 2 })
        {
            await Eventually.True(() => Answered(broker, ids) >= answered, TimeSpan.FromSeconds(60), $"{answered} answered jobs");
            losses.Add((Answered(broker, ids), loseConnections(relay)));
        }

        await broker.WaitForResultsAsync(ids, TimeSpan.FromSeconds(120));
        await Eventually.True(async () => await broker.MessageCountAsync(worker.QueueName) == 0, TimeSpan.FromSeconds(30), "the queue to drain");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a late repeat would arrive now

        var results = broker.For(ids);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"losses (answered, connections): {string.Join(", ", losses)}; {results.Count} results for {JobCount} jobs; {relay.Accepted} connections relayed");
        Assert.All(losses, loss => Assert.True(loss.Connections > 0, "a loss must find the worker's connection"));
        Assert.True(losses[^1].Answered < JobCount, $"the losses must come with jobs still to do (answered at each: {string.Join(", ", losses)})");
        Assert.True(relay.Accepted > losses.Count, "the worker must reconnect after the losses");
        Assert.True(WorkerMetrics.JobsRedeliveredTotal.Value > redeliveredBefore, "the jobs in flight at the losses come back redelivered, and are counted");
        Assert.All(results, r => Assert.True(r.Recognized, r.Body.ToString()));
        Assert.Equal(JobCount, results.Select(r => r.JobId).Distinct().Count());
        Assert.All(results, r => Assert.True(SampleImages.Cer(SampleImages.Lines[ids.IndexOf(r.JobId) % images.Count].Truth, r.Text!) <= 0.1, r.Text));

        // A result that reached the broker just before the loss, its confirmation lost with the connection, is published
        // again by the redelivered job (at least once, docs/contract.md): at most the jobs in flight at the losses.
        Assert.True(results.Count - JobCount <= losses.Count * Prefetch, $"{results.Count - JobCount} jobs answered twice");
        await Eventually.True(async () => await worker.HealthAsync("/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/health/ready after the losses");
    }

    private static int Answered(Broker broker, IReadOnlyCollection<Guid> ids) => broker.For(ids).Select(r => r.JobId).Distinct().Count();
}
