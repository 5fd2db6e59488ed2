using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;
using ScipixWorker.Cli.Submit;

namespace ScipixWorker.Cli.Errors;

/// <summary>
/// An error queue read one message at a time on a channel of its own. A message read is not taken: it stays
/// unacknowledged until it is moved (<see cref="RequeueAsync"/>), deleted (<see cref="DeleteAsync"/>) or the channel
/// closes, when the broker puts every message left back where it was. So a listing, an interrupted run or a publish
/// the broker refused loses nothing, and a message is acknowledged here only once the broker confirmed its copy.
/// </summary>
internal sealed class ErrorQueue : IAsyncDisposable
{
    private readonly IConnection _connection;
    private readonly IChannel _channel;

    private ErrorQueue(string name, IConnection connection, IChannel channel)
    {
        Name = name;
        _connection = connection;
        _channel = channel;
    }

    public string Name { get; }

    /// <summary>Opens the queue; null when it does not exist (nothing has faulted on that endpoint yet).</summary>
    public static async Task<ErrorQueue?> OpenAsync(SubmitSettings settings, string name, CancellationToken cancellationToken)
    {
        var connection = await settings.CreateConnectionFactory("scipix errors").CreateConnectionAsync(cancellationToken);
        try
        {
            await using (var probe = await connection.CreateChannelAsync(cancellationToken: cancellationToken))
            {
                try
                {
                    await probe.QueueDeclarePassiveAsync(name, cancellationToken); // a missing queue closes the channel: a throwaway one
                }
                catch (OperationInterruptedException exception) when (exception.ShutdownReason?.ReplyCode == 404)
                {
                    await connection.CloseAsync(cancellationToken);
                    await connection.DisposeAsync();
                    return null;
                }
            }

            var channel = await connection.CreateChannelAsync(
                new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true), cancellationToken);
            return new ErrorQueue(name, connection, channel);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads the messages now in the queue, oldest first, up to <paramref name="limit"/>, and hands each to
    /// <paramref name="visit"/> with the tag that moves or deletes it. Messages that arrive during the run (a requeued
    /// job that faulted again) are left for the next run: the count is taken once, at the start. Returns how many were
    /// read and how many were in the queue then.
    /// </summary>
    public async Task<(int Read, uint Ready)> ForEachAsync(int limit, Func<FaultedMessage, Delivery, Task> visit, CancellationToken cancellationToken)
    {
        var ready = (await _channel.QueueDeclarePassiveAsync(Name, cancellationToken)).MessageCount;
        var read = 0;
        while (read < Math.Min(ready, (uint)Math.Max(0, limit))
            && await _channel.BasicGetAsync(Name, autoAck: false, cancellationToken) is { } delivery)
        {
            read++;
            var properties = delivery.BasicProperties;
            var message = new FaultedMessage(
                read,
                properties.ContentType,
                properties.MessageId,
                properties.CorrelationId,
                properties.Headers is { } headers ? new Dictionary<string, object?>(headers) : new Dictionary<string, object?>(),
                delivery.Body.ToArray());
            await visit(message, new Delivery(delivery.DeliveryTag, properties));
        }

        return (read, ready);
    }

    /// <summary>
    /// Sends the message to <paramref name="queue"/> through the default exchange, as it came (body, content type,
    /// ids, delivery mode) with its fault headers dropped, waits for the broker's confirmation, and only then takes it
    /// off the error queue. A queue that does not exist returns the publish (mandatory) and the message stays.
    /// </summary>
    public async Task RequeueAsync(FaultedMessage message, Delivery delivery, string queue, CancellationToken cancellationToken)
    {
        var properties = new BasicProperties(delivery.Properties) { Headers = message.HeadersToRequeue() };
        await _channel.BasicPublishAsync(string.Empty, queue, mandatory: true, properties, message.Body, cancellationToken);
        await _channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken);
    }

    public async Task DeleteAsync(Delivery delivery, CancellationToken cancellationToken) =>
        await _channel.BasicAckAsync(delivery.Tag, multiple: false, cancellationToken);

    /// <summary>A message read and not yet acknowledged: its tag on this channel and its AMQP properties.</summary>
    public readonly record struct Delivery(ulong Tag, IReadOnlyBasicProperties Properties);

    public async ValueTask DisposeAsync()
    {
        // Closing the channel gives every message read and not acknowledged back to the queue, in its place.
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
