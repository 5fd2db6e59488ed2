using MassTransit;
using RabbitMQ.Client;

namespace ScipixWorker.Cli.Submit;

/// <summary>
/// Where the CLI sends jobs: the worker's queue. A classic queue through MassTransit's queue address, which declares
/// the queue (so jobs sent before a worker ever started wait in it). A quorum queue (Worker:QueueType=Quorum) is
/// declared here first, with its type, its exchange and the binding the worker's endpoint declares too, and jobs go
/// through the exchange: MassTransit's queue address would declare the queue classic, which the broker refuses for a
/// quorum queue (PRECONDITION_FAILED).
/// </summary>
internal static class JobQueue
{
    public static async Task<ISendEndpoint> GetSendEndpointAsync(IBus bus, SubmitSettings settings, string queueName, bool quorum, CancellationToken cancellationToken)
    {
        if (!quorum)
        {
            return await bus.GetSendEndpoint(new Uri($"queue:{queueName}"));
        }

        await using var connection = await settings.CreateConnectionFactory("scipix declare").CreateConnectionAsync(cancellationToken);
        await using var channel = await connection.CreateChannelAsync(cancellationToken: cancellationToken);
        await channel.QueueDeclareAsync(
            queueName, durable: true, exclusive: false, autoDelete: false,
            arguments: new Dictionary<string, object?> { ["x-queue-type"] = "quorum" }, cancellationToken: cancellationToken);
        await channel.ExchangeDeclareAsync(queueName, ExchangeType.Fanout, durable: true, autoDelete: false, cancellationToken: cancellationToken);
        await channel.QueueBindAsync(queueName, queueName, string.Empty, cancellationToken: cancellationToken);
        await channel.CloseAsync(cancellationToken);
        await connection.CloseAsync(cancellationToken);
        return await bus.GetSendEndpoint(new Uri($"exchange:{queueName}"));
    }
}
