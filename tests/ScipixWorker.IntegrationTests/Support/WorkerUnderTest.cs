using System.Net;
using System.Net.Sockets;
using Azure.Storage.Blobs;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.IntegrationTests.Support;

/// <summary>
/// The real worker host, in-process, on its own queue and containers (unique names per test), against
/// the real RabbitMQ and Azurite. Disposing stops it and deletes its queues and containers.
/// </summary>
internal sealed class WorkerUnderTest : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _settings;
    private readonly bool _ownsResources = true;
    private WebApplication? _app;

    public WorkerUnderTest(Dictionary<string, string?>? overrides = null)
    {
        var id = Guid.NewGuid().ToString("N")[..12];
        QueueName = $"it-recognize-{id}";
        Container = $"it-{id}";
        OtherContainer = $"it-{id}-denied";
        ResultContainer = $"it-{id}-results";
        IdempotencyContainer = $"it-{id}-keys";
        (HealthPort, MetricsPort) = TwoFreePorts();
        _settings = new Dictionary<string, string?>
        {
            ["RabbitMq:Host"] = TestEnvironment.RabbitHost,
            ["RabbitMq:Port"] = TestEnvironment.RabbitPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = TestEnvironment.VirtualHost,
            ["RabbitMq:Username"] = TestEnvironment.Username,
            ["RabbitMq:Password"] = TestEnvironment.Password,
            ["BlobStorage:ConnectionString"] = TestEnvironment.BlobConnectionString,
            ["BlobStorage:AllowedContainers:0"] = Container,
            ["BlobStorage:ResultContainer"] = ResultContainer,
            ["BlobStorage:IdempotencyContainer"] = IdempotencyContainer,
            ["Worker:QueueName"] = QueueName,
            // Deliveries of several jobs, two at a time (the worker's default is one job, 64 at a time), so that the
            // tests see jobs share a delivery and fail alone in it.
            ["Worker:MaxBatchSize"] = "4",
            ["Worker:BatchTimeLimit"] = "00:00:00.200",
            ["Worker:ConcurrentBatches"] = "2",
            ["Worker:ShutdownTimeout"] = "00:00:10",
            ["Worker:TransientRetryDelay"] = "00:00:00.050",
            ["Health:Port"] = HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Metrics:Port"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ocr:ModelDirectory"] = TestEnvironment.ModelDirectory,
            ["Ocr:WarmUp"] = "false",
        };
        foreach (var (key, value) in overrides ?? [])
        {
            _settings[key] = value;
        }

        Storage = new BlobServiceClient(TestEnvironment.BlobConnectionString);
    }

    // Another replica of `original`: its own host and ports, the same queue, containers and settings.
    private WorkerUnderTest(WorkerUnderTest original)
    {
        QueueName = original.QueueName;
        Container = original.Container;
        OtherContainer = original.OtherContainer;
        ResultContainer = original.ResultContainer;
        IdempotencyContainer = original.IdempotencyContainer;
        (HealthPort, MetricsPort) = TwoFreePorts();
        _settings = new Dictionary<string, string?>(original._settings)
        {
            ["Health:Port"] = HealthPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Metrics:Port"] = MetricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        Storage = original.Storage;
        _ownsResources = false;
    }

    public string QueueName { get; }

    public string ErrorQueueName => $"{QueueName}_error";

    /// <summary>The container jobs may read.</summary>
    public string Container { get; }

    /// <summary>A container that exists but is not in the allow-list.</summary>
    public string OtherContainer { get; }

    public string ResultContainer { get; }

    /// <summary>Where the replicas share idempotency keys (Worker:IdempotencyStore=Blob).</summary>
    public string IdempotencyContainer { get; }

    public int HealthPort { get; }

    public int MetricsPort { get; }

    public BlobServiceClient Storage { get; }

    public IServiceProvider Services => (_app ?? throw new InvalidOperationException("Not started.")).Services;

    /// <param name="waitForBroker">Wait until the bus is connected (false: return once the host has started).</param>
    public async Task StartAsync(bool waitForBroker = true)
    {
        await Storage.GetBlobContainerClient(Container).CreateIfNotExistsAsync();
        await Storage.GetBlobContainerClient(OtherContainer).CreateIfNotExistsAsync();
        _app = Build(_settings);
        try
        {
            await _app.StartAsync(TestContext.Current.CancellationToken);
        }
        catch
        {
            await _app.DisposeAsync();
            _app = null;
            throw;
        }

        if (waitForBroker)
        {
            var bus = _app.Services.GetRequiredService<IBusControl>();
            await bus.WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Stops the host as SIGTERM would (graceful: in-flight jobs finish or go back to the queue).</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
            _app = null;
        }
    }

    /// <summary>A second replica (not started) on the same queue and containers; the original cleans them up.</summary>
    public WorkerUnderTest Replica() => new(this);

    /// <summary>Another worker process on the same queue and containers (after <see cref="StopAsync"/>).</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        _app = Build(_settings);
        await _app.StartAsync(TestContext.Current.CancellationToken);
    }

    public async Task<ImageLocation> UploadAsync(string name, byte[] bytes, string? container = null)
    {
        var client = Storage.GetBlobContainerClient(container ?? Container).GetBlobClient(name);
        await client.UploadAsync(new BinaryData(bytes), overwrite: true, TestContext.Current.CancellationToken);
        return new ImageLocation(container ?? Container, name);
    }

    /// <summary>Uploads the sample lines (<see cref="SampleImages.Lines"/>), in their order.</summary>
    public async Task<List<ImageLocation>> UploadSampleLinesAsync()
    {
        var images = new List<ImageLocation>();
        foreach (var (file, _) in SampleImages.Lines)
        {
            images.Add(await UploadAsync(file, SampleImages.Bytes(file)));
        }

        return images;
    }

    /// <summary>Sends jobs the .NET way: a MassTransit envelope to the worker's queue.</summary>
    public async Task SendAsync(params RecognizeDocument[] jobs)
    {
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{QueueName}"));
        foreach (var job in jobs)
        {
            await endpoint.Send(job, TestContext.Current.CancellationToken);
        }
    }

    public async Task<string> ScrapeMetricsAsync()
    {
        using var http = new HttpClient();
        return await http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"), TestContext.Current.CancellationToken);
    }

    public async Task<HttpStatusCode> HealthAsync(string path, int? port = null)
    {
        using var http = new HttpClient();
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port ?? HealthPort}{path}"), TestContext.Current.CancellationToken);
        return response.StatusCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        if (!_ownsResources)
        {
            return;
        }

        await using var broker = await Broker.ConnectAsync();
        foreach (var queue in new[] { QueueName, ErrorQueueName, $"{QueueName}_skipped" })
        {
            await broker.DeleteQueueAsync(queue);
        }

        foreach (var container in new[] { Container, OtherContainer, ResultContainer, IdempotencyContainer })
        {
            await Storage.GetBlobContainerClient(container).DeleteIfExistsAsync();
        }
    }

    private static WebApplication Build(Dictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        if (TestContext.Current.TestOutputHelper is { } output)
        {
            builder.Logging.AddProvider(new TestOutputLoggerProvider(output));
        }
        builder.AddWorker();
        var app = builder.Build();
        app.MapWorkerEndpoints();
        return app;
    }

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // Two different free ports: the first is held while the second is asked for, since a port just let go may be handed
    // out again at once (the worker then refused to start: "Health:Port and Metrics:Port must differ").
    private static (int First, int Second) TwoFreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, FreePort());
    }
}
