using System.CommandLine;
using System.Text;
using System.Text.Json;
using ScipixWorker.Cli.Errors;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

/// <summary>
/// <c>scipix errors list | requeue | delete</c> on the real broker: what the worker moved to its error queue is shown
/// with the reason and left in place; a job moved back is read by the worker; a copy the broker does not take leaves
/// the message where it was; deleted messages are saved first when asked.
/// </summary>
public sealed class ErrorQueueTests
{
    [Fact]
    public async Task Faulted_jobs_are_listed_in_place_a_requeued_job_is_recognized_and_deleted_ones_are_saved()
    {
        await using var worker = new WorkerUnderTest();
        await using var broker = await Broker.ConnectAsync();
        await worker.StartAsync();
        // What the worker cannot answer (nobody to answer): no jobId, and one that is not a GUID.
        var notAGuidBody = $$$"""{"jobId":"job-42","image":{"container":"{{{worker.Container}}}","blobName":"a.png"}}""";
        await broker.PublishRawAsync(worker.QueueName, """{"image":{"container":"images","blobName":"a.png"}}""");
        await broker.PublishRawAsync(worker.QueueName, notAGuidBody);
        await Eventually.True(async () => await broker.MessageCountAsync(worker.ErrorQueueName) == 2, TimeSpan.FromSeconds(30), "2 messages in the error queue");

        // Listed twice: a listing takes nothing, and the order stays the queue's (the worker moved the two in either order).
        var first = await ReadAsync(worker.ErrorQueueName);
        Assert.Equal(new[] { 1, 2 }, first.Select(m => m.Position));
        Assert.All(first, m => Assert.Null(m.JobId));
        Assert.All(first, m => Assert.Equal("fault", m.Reason));
        Assert.Single(first, m => m.FaultMessage!.Contains("jobId is missing", StringComparison.Ordinal));
        var faulted = Assert.Single(first, m => m.FaultMessage!.Contains("not in a supported Guid format", StringComparison.Ordinal));
        Assert.Equal(2u, await broker.MessageCountAsync(worker.ErrorQueueName));
        var summary = await ScipixOutputAsync("list", "--queue", worker.ErrorQueueName, "--summary", "--json");
        var reasons = JsonDocument.Parse(summary).RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("reason").GetString()!, r => r.GetProperty("messages").GetInt32());
        Assert.Equal(2, reasons.Count);
        Assert.Equal(1, reasons["ScipixWorker.Jobs.InvalidJobException: Invalid RecognizeDocument: jobId is missing or empty."]);
        Assert.Equal(2u, await broker.MessageCountAsync(worker.ErrorQueueName));
        var order = first.Select(m => m.Body.Length).ToList();
        Assert.Equal(order, (await ReadAsync(worker.ErrorQueueName)).Select(m => m.Body.Length));
        Assert.Equal(2u, await broker.MessageCountAsync(worker.ErrorQueueName));

        // A good job that faulted (a worker's bug, since fixed): moved there by MassTransit with the same fault headers.
        var faultHeaders = faulted.Headers;
        var (file, truth) = SampleImages.Lines[0];
        var image = await worker.UploadAsync(file, SampleImages.Bytes(file));
        var good = Guid.NewGuid();
        await broker.PublishRawAsync(
            worker.ErrorQueueName,
            $$$"""{"jobId":"{{{good}}}","image":{"container":"{{{image.Container}}}","blobName":"{{{image.BlobName}}}"},"options":{"recognitionOnly":true}}""",
            headers: new Dictionary<string, object?>(faultHeaders));

        Assert.Equal(0, await ScipixAsync("requeue", "--queue", worker.ErrorQueueName, "--to", worker.QueueName, "--job", good.ToString()));
        await broker.WaitForResultsAsync([good]);
        var read = Assert.Single(broker.For([good]));
        Assert.True(read.Recognized && SampleImages.Cer(truth, read.Text!) <= 0.1, read.Body.ToString());
        var left = await ReadAsync(worker.ErrorQueueName);
        Assert.Equal(order, left.Select(m => m.Body.Length)); // the others in their places

        // Still malformed: back in the error queue, counted.
        Assert.Equal(0, await ScipixAsync("requeue", "--queue", worker.ErrorQueueName, "--to", worker.QueueName, "--all"));
        await Eventually.True(
            async () => (await ReadAsync(worker.ErrorQueueName)) is { Count: 2 } back && back.All(m => m.RequeueCount == 1),
            TimeSpan.FromSeconds(30),
            "the requeued malformed messages back in the error queue, counted");
        Assert.Equal(1, await ScipixAsync("requeue", "--queue", worker.ErrorQueueName, "--to", worker.QueueName, "--job", Guid.NewGuid().ToString()));
        Assert.Equal(2u, await broker.MessageCountAsync(worker.ErrorQueueName));

        var saveTo = Directory.CreateTempSubdirectory("scipix-errors-");
        try
        {
            Assert.Equal(0, await ScipixAsync("delete", "--queue", worker.ErrorQueueName, "--all", "--save", saveTo.FullName));
            Assert.Equal(0u, await broker.MessageCountAsync(worker.ErrorQueueName));
            var saved = saveTo.GetFiles("*.json").Select(f => JsonDocument.Parse(File.ReadAllText(f.FullName)).RootElement).ToList();
            Assert.Equal(2, saved.Count);
            var savedJob = Assert.Single(saved, s => s.GetProperty("body").GetString() == notAGuidBody);
            Assert.Equal(1, savedJob.GetProperty("requeueCount").GetInt32());
            Assert.Equal("fault", savedJob.GetProperty("headers").GetProperty("MT-Reason").GetString());
        }
        finally
        {
            saveTo.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_copy_the_broker_does_not_route_leaves_the_message_in_the_error_queue_and_a_routed_one_goes_without_its_fault_headers()
    {
        await using var broker = await Broker.ConnectAsync();
        var id = Guid.NewGuid().ToString("N")[..12];
        var errors = $"it-errors-{id}";
        var target = $"it-target-{id}";
        await broker.DeclareQueueAsync(errors);
        var jobId = Guid.NewGuid();
        var body = $$$"""{"jobId":"{{{jobId}}}","idempotencyKey":"invoice-7","image":{"container":"images","blobName":"a.png"}}""";
        var headers = new Dictionary<string, object?>
        {
            ["MT-Reason"] = "fault",
            ["MT-Fault-Message"] = "Connection refused",
            ["MT-Fault-ExceptionType"] = "System.Net.Http.HttpRequestException",
            ["MT-Host-MachineName"] = "worker-7",
            ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            [FaultedMessage.RequeueCountHeader] = 2,
        };
        await broker.PublishRawAsync(errors, body, headers: headers);
        await Eventually.True(async () => await broker.MessageCountAsync(errors) == 1, TimeSpan.FromSeconds(10), "the message in the error queue");

        Assert.Equal(1, await ScipixAsync("requeue", "--queue", errors, "--to", target, "--all")); // no such queue: returned
        var stayed = Assert.Single(await ReadAsync(errors));
        Assert.Equal("Connection refused", stayed.FaultMessage);
        Assert.Equal(2, stayed.RequeueCount);

        await broker.DeclareQueueAsync(target);
        Assert.Equal(0, await ScipixAsync("requeue", "--queue", errors, "--to", target, "--all"));
        Assert.Equal(0u, await broker.MessageCountAsync(errors));
        var moved = Assert.Single(await broker.DrainAsync(target));
        Assert.Equal(body, Encoding.UTF8.GetString(moved.Body.Span));
        Assert.Equal("application/json", moved.BasicProperties.ContentType);
        Assert.Null(Broker.Header(moved, "MT-Reason"));
        Assert.Null(Broker.Header(moved, "MT-Fault-Message"));
        Assert.Null(Broker.Header(moved, "MT-Host-MachineName"));
        Assert.Equal(headers["traceparent"], Broker.Header(moved, "traceparent"));
        Assert.Equal("3", Broker.Header(moved, FaultedMessage.RequeueCountHeader));
    }

    /// <summary>Runs <c>scipix errors ARGS</c> in-process, on the broker the environment names (as the tests' worker).</summary>
    private static Task<int> ScipixAsync(params string[] args) =>
        new RootCommand { ErrorsCommand.Create() }.Parse(["errors", .. args]).InvokeAsync(cancellationToken: TestContext.Current.CancellationToken);

    /// <summary>Runs <c>scipix errors ARGS</c> in-process and returns what it printed on stdout.</summary>
    private static async Task<string> ScipixOutputAsync(params string[] args)
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            Assert.Equal(0, await ScipixAsync(args));
        }
        finally
        {
            Console.SetOut(previous);
        }

        return output.ToString();
    }

    private static async Task<List<FaultedMessage>> ReadAsync(string queueName)
    {
        var settings = Cli.Submit.SubmitSettings.Load();
        await using var queue = await ErrorQueue.OpenAsync(settings, queueName, TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException($"{queueName} does not exist.");
        var messages = new List<FaultedMessage>();
        await queue.ForEachAsync(100, (message, _) =>
        {
            messages.Add(message);
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken);
        return messages;
    }
}
