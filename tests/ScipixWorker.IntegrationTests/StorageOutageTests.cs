using System.Globalization;
using System.Net;
using Azure.Storage.Blobs;
using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// Blob storage down, then hanging, then back, through a <see cref="TcpRelay"/> between the worker and Azurite (the
/// test uploads directly). A job caught by the outage is retried in-process, then answered <c>internal</c> and
/// retryable, without stalling the worker; sent again once storage is back, the same job runs (a retryable failure
/// does not consume its key: docs/worker.md, "Transient errors").
/// </summary>
public sealed class StorageOutageTests
{
    [Fact]
    public async Task Jobs_caught_by_a_storage_outage_are_answered_retryable_and_run_when_sent_again()
    {
        var endpoint = new BlobServiceClient(TestEnvironment.BlobConnectionString).Uri;
        await using var relay = TcpRelay.Start(endpoint.Host, endpoint.Port);
        var settings = new Dictionary<string, string?>
        {
            ["BlobStorage:ConnectionString"] = TestEnvironment.BlobConnectionString.Replace(
                $"{endpoint.Host}:{endpoint.Port}", $"127.0.0.1:{relay.Port}", StringComparison.Ordinal),
            ["BlobStorage:NetworkTimeout"] = "00:00:01",
        };
        await using var worker = new WorkerUnderTest(settings);
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var images = await worker.UploadSampleLinesAsync();

        var before = await RunAsync(worker, broker, images);
        relay.Refuse();
        var refused = await RunAsync(worker, broker, images);
        relay.Mute();
        var hanging = await RunAsync(worker, broker, images);
        relay.Open();
        var caught = refused.Concat(hanging).ToList();
        await worker.SendAsync([.. caught]); // the caller retries the retryable failures, same jobs
        await broker.WaitForResultsAsync([.. caught.Select(j => j.JobId)], TimeSpan.FromSeconds(60));
        await Eventually.True(() => caught.All(j => broker.For([j.JobId]).Count == 2), TimeSpan.FromSeconds(60), "the second answers");

        Assert.All(broker.For(before.Select(j => j.JobId)), r => Assert.True(r.Recognized, r.Body.ToString()));
        foreach (var job in caught)
        {
            var answers = broker.For([job.JobId]);
            var failure = answers[0];
            Assert.False(failure.Recognized, failure.Body.ToString());
            Assert.Equal(RecognitionErrorCodes.Internal, failure.ErrorCode);
            Assert.True(failure.Body.GetProperty("retryable").GetBoolean(), failure.Body.ToString());
            Assert.Contains("Storage unavailable", failure.Body.GetProperty("message").GetString(), StringComparison.Ordinal);
            var truth = SampleImages.Lines[images.IndexOf(job.Image)].Truth;
            Assert.True(answers[1].Recognized && SampleImages.Cer(truth, answers[1].Text!) <= 0.1, answers[1].Body.ToString());
        }

        Assert.Equal(2 * caught.Count, broker.For(caught.Select(j => j.JobId)).Count);
        await Eventually.True(async () => await worker.HealthAsync("/health/ready") == HttpStatusCode.OK, TimeSpan.FromSeconds(30), "/health/ready after the outage");
    }

    // One job per sample line, sent together; returns once each has its answer.
    private static async Task<List<RecognizeDocument>> RunAsync(WorkerUnderTest worker, Broker broker, List<ImageLocation> images)
    {
        var jobs = images.Select(image => new RecognizeDocument(Guid.NewGuid(), image, new RecognitionOptions(RecognitionOnly: true))).ToList();
        await worker.SendAsync([.. jobs]);
        await broker.WaitForResultsAsync([.. jobs.Select(j => j.JobId)], TimeSpan.FromSeconds(60));
        return jobs;
    }
}
