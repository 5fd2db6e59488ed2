using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using ScipixWorker.Contracts;

namespace ScipixWorker.Cli.Submit;

/// <summary>
/// The CLI's bus to the worker: sends jobs, and receives their outcomes either as the worker's replies to this bus
/// (<see cref="CreateForReplies"/>: <c>scipix submit --wait</c>) or as the events themselves, every job's, on a private
/// queue bound to the event exchanges (<see cref="Create"/>: <c>scipix bench</c>, which times every job). The worker
/// publishes and replies in plain JSON whose MT-MessageType header says which outcome it is.
/// </summary>
internal static class ResultBus
{
    /// <param name="settings">Broker connection.</param>
    /// <param name="resultQueue">The private queue's name; null sends jobs only.</param>
    /// <param name="recognized">Called for each <see cref="DocumentRecognized"/>.</param>
    /// <param name="failed">Called for each <see cref="DocumentRecognitionFailed"/>.</param>
    /// <param name="prefetch">The result queue's prefetch; null keeps MassTransit's default.</param>
    /// <param name="durableFor">
    /// A durable queue, kept through a broker restart and deleted this long after its last use (RabbitMQ's
    /// <c>x-expires</c>, so a queue left by a process that died cannot collect results for ever); null: private and
    /// auto-deleted, gone with the connection.
    /// </param>
    public static IBusControl Create(SubmitSettings settings, string? resultQueue,
        Action<DocumentRecognized> recognized, Action<DocumentRecognitionFailed> failed, int? prefetch = null, TimeSpan? durableFor = null) =>
        Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            Connect(rabbit, settings);
            if (resultQueue is null)
            {
                return;
            }

            rabbit.ReceiveEndpoint(resultQueue, endpoint =>
            {
                endpoint.AutoDelete = durableFor is null;
                endpoint.Durable = durableFor is not null;
                if (durableFor is { } expiry)
                {
                    endpoint.SetQueueArgument("x-expires", (long)expiry.TotalMilliseconds);
                }

                if (prefetch is { } count)
                {
                    endpoint.PrefetchCount = count;
                }

                endpoint.UseRawJsonDeserializer(RawSerializerOptions.AddTransportHeaders, isDefault: true);
                endpoint.Handler<DocumentRecognized>(c =>
                {
                    recognized(c.Message);
                    return Task.CompletedTask;
                });
                endpoint.Handler<DocumentRecognitionFailed>(c =>
                {
                    failed(c.Message);
                    return Task.CompletedTask;
                });
            });
        });

    /// <summary>
    /// A bus whose jobs ask the worker for their outcomes as replies (send each with <c>ResponseAddress = bus.Address</c>):
    /// they come to the bus's own temporary queue, and only this process's jobs' outcomes come, whatever else the worker
    /// is doing (a queue bound to the event exchanges gets every job's event). Used by <c>scipix submit --wait</c>.
    /// </summary>
    public static IBusControl CreateForReplies(SubmitSettings settings, Action<DocumentRecognized> recognized, Action<DocumentRecognitionFailed> failed)
    {
        var bus = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            Connect(rabbit, settings);
            rabbit.UseRawJsonDeserializer(RawSerializerOptions.AddTransportHeaders, isDefault: true); // the worker answers in plain JSON
        });
        bus.ConnectHandler<DocumentRecognized>(c =>
        {
            recognized(c.Message);
            return Task.CompletedTask;
        });
        bus.ConnectHandler<DocumentRecognitionFailed>(c =>
        {
            failed(c.Message);
            return Task.CompletedTask;
        });
        return bus;
    }

    private static void Connect(IRabbitMqBusFactoryConfigurator rabbit, SubmitSettings settings)
    {
        rabbit.Host(settings.RabbitHost, settings.RabbitPort, settings.VirtualHost, host =>
        {
            host.Username(settings.Username);
            host.Password(settings.Password);
        });
        rabbit.ConfigureJsonSerializerOptions(o =>
        {
            if (!o.Converters.OfType<JsonStringEnumConverter>().Any())
            {
                o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
            }

            return o;
        });
    }
}
