using ScipixWorker.Contracts;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

public sealed class IdempotencyTests
{
    [Fact]
    public async Task A_repeated_idempotency_key_yields_one_result()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, _) = SampleImages.Lines[2];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var options = new RecognitionOptions(RecognitionOnly: true);
        var first = new RecognizeDocument(Guid.NewGuid(), image, options, IdempotencyKey: $"order-{Guid.NewGuid()}");
        var sameKey = first with { JobId = Guid.NewGuid() };
        var noKey = new RecognizeDocument(Guid.NewGuid(), image, options);

        await worker.SendAsync(first, sameKey, noKey, noKey); // same key in one batch; same JobId twice
        await broker.WaitForResultsAsync([first.JobId, noKey.JobId]);
        await worker.SendAsync(sameKey, noKey); // and again after the results
        await Eventually.True(async () => await broker.MessageCountAsync(worker.QueueName) == 0, TimeSpan.FromSeconds(10), "the queue to drain");
        await Task.Delay(TimeSpan.FromSeconds(1), TestContext.Current.CancellationToken); // a duplicate would arrive now

        Assert.Single(broker.For([first.JobId, sameKey.JobId]));
        Assert.Single(broker.For([noKey.JobId]));
    }

    [Fact]
    public async Task The_same_image_with_the_same_options_is_served_from_the_result_cache()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        var (file, truth) = SampleImages.Lines[0];
        var first = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("a.png", SampleImages.Bytes(file)), new RecognitionOptions(RecognitionOnly: true));
        var copy = new RecognizeDocument(Guid.NewGuid(), await worker.UploadAsync("copy-of-a.png", SampleImages.Bytes(file)), new RecognitionOptions(RecognitionOnly: true));

        await worker.SendAsync(first);
        await broker.WaitForResultsAsync([first.JobId]);
        await worker.SendAsync(copy);
        await broker.WaitForResultsAsync([copy.JobId]);

        var fresh = Assert.Single(broker.For([first.JobId]));
        var cached = Assert.Single(broker.For([copy.JobId]));
        Assert.False(fresh.FromCache);
        Assert.True(cached.FromCache);
        Assert.Equal(fresh.Text, cached.Text);
        Assert.True(SampleImages.Cer(truth, cached.Text!) <= 0.1);
    }
}
