using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;
using ScipixWorker.Observability;

namespace ScipixWorker.IntegrationTests;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Shutdown_with_jobs_in_flight_loses_none_and_duplicates_none()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Worker:MaxBatchSize"] = "4",
            ["Worker:ConcurrentBatches"] = "2",
            ["Worker:MaxConcurrentInferences"] = "1",
            ["Worker:ResultCacheEntries"] = "0",
        };
        await using var worker = new WorkerUnderTest(settings);
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var image = await worker.UploadAsync("receipt.jpg", SampleImages.Receipt);
        var line = await worker.UploadAsync("line.png", SampleImages.Bytes(SampleImages.Lines[0].File));
        var jobs = Enumerable.Range(0, 16)
            .Select(i => i % 2 == 0
                ? new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(DetailLevel: DetailLevel.Text))
                : new RecognizeDocument(Guid.NewGuid(), line, new RecognitionOptions(RecognitionOnly: true)))
            .ToList();
        var ids = jobs.Select(j => j.JobId).ToList();

        var requeuedBefore = WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Requeued).Value;

        await worker.SendAsync([.. jobs]);
        await Eventually.True(() => broker.For(ids).Count > 0, TimeSpan.FromSeconds(60), "the first result");
        await worker.StopAsync();
        var answeredBeforeStop = broker.For(ids).Select(e => e.JobId).ToHashSet();
        var left = await broker.MessageCountAsync(worker.QueueName);

        Assert.True(answeredBeforeStop.Count < jobs.Count, "the test must stop the worker with jobs still to do");
        Assert.True(WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Requeued).Value > requeuedBefore, "jobs waiting for inference at shutdown go back to the queue");
        Assert.True(answeredBeforeStop.Count + left >= jobs.Count, $"{answeredBeforeStop.Count} answered + {left} queued < {jobs.Count}: jobs were lost");

        await worker.RestartAsync();
        await broker.WaitForResultsAsync(ids, TimeSpan.FromSeconds(120));
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a duplicate would arrive now

        var results = broker.For(ids);
        var duplicated = results.GroupBy(r => r.JobId).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicated.Count == 0, $"answered twice: {string.Join(", ", duplicated.Select(id => $"{id} (before stop: {answeredBeforeStop.Contains(id)})"))}");
        Assert.Equal(jobs.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Recognized, r.Body.ToString()));
    }
}
