using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace ScipixWorker.IntegrationTests.Support;

/// <summary>
/// A plain AMQP client (no MassTransit), as a non-.NET service would use: publishes raw JSON jobs, reads
/// the result events as raw JSON from its own queue bound to the event exchanges, peeks at error queues.
/// </summary>
internal sealed class Broker : IAsyncDisposable
{
    public const string RecognizedExchange = "ScipixWorker.Contracts:DocumentRecognized";
    public const string FailedExchange = "ScipixWorker.Contracts:DocumentRecognitionFailed";

    private readonly IConnection _connection;
    private readonly IChannel _channel;
    private readonly ConcurrentQueue<ResultEvent> _events = new();
    private readonly List<string> _queuesToDelete = [];

    private Broker(IConnection connection, IChannel channel)
    {
        _connection = connection;
        _channel = channel;
    }

    public IReadOnlyCollection<ResultEvent> Events => _events;

    public static async Task<Broker> ConnectAsync()
    {
        var connection = await TestEnvironment.ConnectionFactory().CreateConnectionAsync();
        var channel = await connection.CreateChannelAsync();
        var broker = new Broker(connection, channel);
        await broker.ListenForResultsAsync();
        return broker;
    }

    /// <summary>Sends a JSON body to a queue through the default exchange, as pika or the management API would.</summary>
    public async Task PublishRawAsync(string queue, string json, string? contentType = "application/json", IDictionary<string, object?>? headers = null)
    {
        var properties = new BasicProperties { ContentType = contentType, DeliveryMode = DeliveryModes.Persistent, Headers = headers };
        await _channel.BasicPublishAsync(string.Empty, queue, mandatory: false, properties, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>Sends a single-line job (recognitionOnly) as plain JSON on this client's own connection, not the worker's.</summary>
    public Task PublishLineJobAsync(string queue, Guid jobId, ScipixWorker.Contracts.ImageLocation image) =>
        PublishRawAsync(
            queue,
            $$$"""{"jobId":"{{{jobId}}}","image":{"container":"{{{image.Container}}}","blobName":"{{{image.BlobName}}}"},"options":{"recognitionOnly":true}}""");

    public async Task DeclareQueueAsync(string queue)
    {
        await _channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
        _queuesToDelete.Add(queue);
    }

    /// <summary>Messages ready in the queue; 0 when it does not exist (yet).</summary>
    public async Task<uint> MessageCountAsync(string queue)
    {
        // A passive declare of a missing queue closes its channel: use a throwaway one.
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            return (await channel.QueueDeclarePassiveAsync(queue)).MessageCount;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
        {
            return 0;
        }
    }

    /// <summary>
    /// Takes the next message in the queue without acknowledging it, then closes the channel, as a consumer that died
    /// would: the broker puts it back (a quorum queue counts it). Returns the message's x-delivery-count (null when absent).
    /// The message may take a moment to be there: a publish without confirms, or one a closed channel just gave back,
    /// reaches a quorum queue once its nodes agree (CI once found the queue empty right after a take).
    /// </summary>
    public async Task<long?> TakeAndDropAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        var giveUp = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        BasicGetResult? message;
        while ((message = await channel.BasicGetAsync(queue, autoAck: false)) is null)
        {
            if (DateTime.UtcNow >= giveUp)
            {
                throw new InvalidOperationException($"{queue} is still empty after 10 s.");
            }

            await Task.Delay(50);
        }

        var count = message.BasicProperties.Headers?.TryGetValue("x-delivery-count", out var value) == true ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture) : (long?)null;
        await channel.CloseAsync();
        return count;
    }

    /// <summary>Declares a durable classic queue of this name on a throwaway channel; the broker's reply code if it refuses (else 0).</summary>
    public async Task<int> TryDeclareClassicAsync(string queue)
    {
        await using var channel = await _connection.CreateChannelAsync();
        try
        {
            await channel.QueueDeclareAsync(queue, durable: true, exclusive: false, autoDelete: false);
            return 0;
        }
        catch (RabbitMQ.Client.Exceptions.OperationInterruptedException exception) when (exception.ShutdownReason is { } reason)
        {
            return reason.ReplyCode;
        }
    }

    /// <summary>Takes every message now in the queue (acknowledging them).</summary>
    public async Task<List<BasicGetResult>> DrainAsync(string queue)
    {
        var messages = new List<BasicGetResult>();
        while (await _channel.BasicGetAsync(queue, autoAck: true) is { } message)
        {
            messages.Add(message);
        }

        return messages;
    }

    public static string? Header(BasicGetResult message, string name) =>
        message.BasicProperties.Headers?.TryGetValue(name, out var value) == true
            ? value switch { byte[] bytes => Encoding.UTF8.GetString(bytes), null => null, _ => value.ToString() }
            : null;

    public List<ResultEvent> For(IEnumerable<Guid> jobIds)
    {
        var set = jobIds.ToHashSet();
        return _events.Where(e => set.Contains(e.JobId)).ToList();
    }

    public Task WaitForResultsAsync(IReadOnlyCollection<Guid> jobIds, TimeSpan? timeout = null) =>
        Eventually.True(
            () => jobIds.All(id => _events.Any(e => e.JobId == id)),
            timeout ?? TimeSpan.FromSeconds(60),
            $"a result for each of {jobIds.Count} job(s) (have {For(jobIds).Count})");

    public async Task DeleteQueueAsync(string queue) => await _channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);

    public async ValueTask DisposeAsync()
    {
        foreach (var queue in _queuesToDelete)
        {
            await _channel.QueueDeleteAsync(queue, ifUnused: false, ifEmpty: false);
        }

        await _channel.CloseAsync();
        await _connection.CloseAsync();
        _channel.Dispose();
        _connection.Dispose();
    }

    private async Task ListenForResultsAsync()
    {
        var queue = (await _channel.QueueDeclareAsync(string.Empty, durable: false, exclusive: true, autoDelete: true)).QueueName;
        foreach (var exchange in new[] { RecognizedExchange, FailedExchange })
        {
            // Declared as MassTransit declares them, so it does not matter who comes first.
            await _channel.ExchangeDeclareAsync(exchange, ExchangeType.Fanout, durable: true, autoDelete: false);
            await _channel.QueueBindAsync(queue, exchange, string.Empty);
        }

        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var json = JsonDocument.Parse(delivery.Body.ToArray()).RootElement.Clone();
            var type = delivery.BasicProperties.Headers?.TryGetValue("MT-MessageType", out var header) == true && header is byte[] bytes
                ? Encoding.UTF8.GetString(bytes)
                : string.Empty;
            var headers = (delivery.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .Where(h => h.Value is byte[])
                .ToDictionary(h => h.Key, h => Encoding.UTF8.GetString((byte[])h.Value!));
            _events.Enqueue(new ResultEvent(delivery.Exchange, type, delivery.BasicProperties.ContentType, json) { Headers = headers });
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(queue, autoAck: true, consumer);
    }
}

/// <summary>A result event as a plain AMQP consumer sees it: the exchange, the type header and the JSON body.</summary>
internal sealed record ResultEvent(string Exchange, string MessageType, string? ContentType, JsonElement Body)
{
    public Guid JobId => Body.GetProperty("jobId").GetGuid();

    public bool Recognized => Exchange == Broker.RecognizedExchange;

    public string? Text => Body.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null;

    public string? ErrorCode => Body.TryGetProperty("errorCode", out var code) && code.ValueKind == JsonValueKind.String ? code.GetString() : null;

    public bool FromCache => Body.TryGetProperty("fromCache", out var fromCache) && fromCache.GetBoolean();

    /// <summary>The message's AMQP headers that are strings (MassTransit's, and the trace context it propagates).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public override string ToString() => Body.ToString();
}
