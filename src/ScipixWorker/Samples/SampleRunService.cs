using System.Collections.Concurrent;
using Azure.Storage.Blobs;
using MassTransit;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Storage;

namespace ScipixWorker.Samples;

/// <summary>
/// <c>--samples &lt;dir&gt;</c> (make run): once the worker is up, uploads the images of the folder to the first
/// allowed container, queues one job each (files named <c>line-*</c> are single-line crops: recognition
/// only), prints each result's text as it arrives, and leaves the worker consuming until Ctrl-C.
/// </summary>
internal sealed class SampleRunService(
    SampleRunOptions samples,
    IBusControl bus,
    IReceiveEndpointConnector endpoints,
    BlobServiceClient storage,
    IOptions<BlobStorageOptions> storageOptions,
    IOptions<WorkerOptions> workerOptions,
    IHostApplicationLifetime lifetime,
    ILogger<SampleRunService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var files = Directory.Exists(samples.Directory)
            ? Directory.EnumerateFiles(samples.Directory).Where(f => OcrEngine.FileExtensions.Contains(Path.GetExtension(f).ToLowerInvariant())).Order(StringComparer.Ordinal).ToList()
            : [];
        if (files.Count == 0)
        {
            Log.NoSamples(logger, samples.Directory);
            return;
        }

        await WhenStartedAsync(stoppingToken);
        await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromMinutes(1));

        var pending = new ConcurrentDictionary<Guid, string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Print(Guid jobId, string line)
        {
            if (pending.TryRemove(jobId, out var file))
            {
                Console.WriteLine($"== {file}: {line}");
                if (pending.IsEmpty)
                {
                    done.TrySetResult();
                }
            }
        }

        var handle = endpoints.ConnectReceiveEndpoint(new TemporaryEndpointDefinition("samples"), DefaultEndpointNameFormatter.Instance, (_, endpoint) =>
        {
            endpoint.Handler<DocumentRecognized>(c =>
            {
                var text = c.Message.Text ?? $"(result in blob {c.Message.ResultLocation?.Container}/{c.Message.ResultLocation?.BlobName})";
                var turned = string.Concat(c.Message.Pages.Where(p => p.Rotation != 0).Select(p => $", page {p.PageNumber} read turned {p.Rotation} degrees"));
                Print(c.Message.JobId, $"{c.Message.Timings.TotalMs:F0} ms{(c.Message.FromCache ? ", from cache" : string.Empty)}{turned}\n{text}\n");
                return Task.CompletedTask;
            });
            endpoint.Handler<DocumentRecognitionFailed>(c =>
            {
                Print(c.Message.JobId, $"FAILED {c.Message.ErrorCode}: {c.Message.Message}\n");
                return Task.CompletedTask;
            });
        });
        try
        {
            await handle.Ready.WaitAsync(TimeSpan.FromMinutes(1), stoppingToken);
            var container = storage.GetBlobContainerClient(storageOptions.Value.AllowedContainers[0]);
            await container.CreateIfNotExistsAsync(cancellationToken: stoppingToken);
            var queue = await bus.GetSendEndpoint(new Uri($"queue:{workerOptions.Value.QueueName}"));
            foreach (var file in files)
            {
                var name = Path.GetFileName(file);
                await container.GetBlobClient($"samples/{name}").UploadAsync(file, overwrite: true, stoppingToken);
                var job = new RecognizeDocument(
                    Guid.NewGuid(),
                    new ImageLocation(container.Name, $"samples/{name}"),
                    new RecognitionOptions(RecognitionOnly: name.StartsWith("line-", StringComparison.OrdinalIgnoreCase)),
                    CorrelationId: name);
                pending[job.JobId] = name;
                await queue.Send(job, stoppingToken);
            }

            Log.SamplesQueued(logger, files.Count, container.Name);
            await done.Task.WaitAsync(TimeSpan.FromMinutes(5), stoppingToken);
            Log.SamplesDone(logger);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (TimeoutException)
        {
            Log.SamplesTimedOut(logger, pending.Count);
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }

    private Task WhenStartedAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        return started.Task.WaitAsync(stoppingToken);
    }
}

internal sealed record SampleRunOptions(string Directory);

public static class SamplesHostingExtensions
{
    /// <summary>With <c>--samples &lt;dir&gt;</c> on the command line (configuration key <c>samples</c>), runs the sample images once the worker is up.</summary>
    public static TBuilder AddSampleRun<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (builder.Configuration["samples"] is { Length: > 0 } directory)
        {
            builder.Services.AddSingleton(new SampleRunOptions(directory));
            builder.Services.AddHostedService<SampleRunService>();
        }

        return builder;
    }
}
