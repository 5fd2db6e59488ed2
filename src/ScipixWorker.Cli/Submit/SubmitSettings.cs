using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using RabbitMQ.Client;

namespace ScipixWorker.Cli.Submit;

/// <summary>
/// Where <c>scipix submit</c> sends jobs: the worker's own configuration keys (appsettings.json beside the
/// binary, then environment variables such as <c>RabbitMq__Host</c> and <c>BlobStorage__ConnectionString</c>),
/// with the worker's defaults.
/// </summary>
internal sealed record SubmitSettings(
    string RabbitHost,
    ushort RabbitPort,
    string VirtualHost,
    string Username,
    string Password,
    string QueueName,
    bool QuorumQueue,
    string? ConnectionString,
    Uri? AccountUrl,
    string DefaultContainer)
{
    public static SubmitSettings Load()
    {
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
            .AddEnvironmentVariables()
            .Build();
        var allowed = configuration.GetSection("BlobStorage:AllowedContainers").GetChildren().Select(c => c.Value)
            .Append(configuration["BlobStorage:AllowedContainers"])
            .SelectMany(v => (v ?? string.Empty).Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToList();
        var accountUrl = configuration["BlobStorage:AccountUrl"];
        return new SubmitSettings(
            configuration["RabbitMq:Host"] ?? "localhost",
            ushort.TryParse(configuration["RabbitMq:Port"], out var port) ? port : (ushort)5672,
            configuration["RabbitMq:VirtualHost"] ?? "/",
            configuration["RabbitMq:Username"] ?? "guest",
            configuration["RabbitMq:Password"] ?? "guest",
            configuration["Worker:QueueName"] ?? "recognize-document",
            IsQuorum(configuration["Worker:QueueType"]),
            configuration["BlobStorage:ConnectionString"],
            string.IsNullOrWhiteSpace(accountUrl) ? null : new Uri(accountUrl),
            allowed.FirstOrDefault() ?? "images");
    }

    /// <summary>Whether a Worker:QueueType value names a quorum queue (the worker reads it case-insensitively).</summary>
    public static bool IsQuorum(string? queueType) => string.Equals(queueType?.Trim(), "quorum", StringComparison.OrdinalIgnoreCase);

    /// <summary>A connection factory for the worker's broker; <paramref name="clientName"/> names the connection in RabbitMQ's management UI.</summary>
    public ConnectionFactory CreateConnectionFactory(string clientName) => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
        ClientProvidedName = clientName,
    };

    public BlobServiceClient CreateBlobServiceClient() =>
        !string.IsNullOrWhiteSpace(ConnectionString) ? new BlobServiceClient(ConnectionString)
        : AccountUrl is not null ? new BlobServiceClient(AccountUrl, new DefaultAzureCredential())
        : throw new InvalidOperationException("Set BlobStorage__ConnectionString or BlobStorage__AccountUrl (the worker's storage account).");

    public override string ToString() => $"amqp://{RabbitHost}:{RabbitPort}{VirtualHost} {(QuorumQueue ? "quorum queue" : "queue")} {QueueName}"; // never the password
}
