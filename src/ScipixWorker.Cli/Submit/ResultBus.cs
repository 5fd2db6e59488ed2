using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using ScipixWorker.Contracts;

namespace ScipixWorker.Cli.Submit;

/// <summary>
/// The CLI's bus to the worker: sends jobs, and optionally receives both result events on a private,
/// auto-deleted queue bound to the event exchanges (the worker publishes plain JSON whose MT-MessageType
/// header says which event it is). Used by <c>scipix submit</c> and <c>scipix bench</c>.
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
            rabbit.Host(settings.RabbitHost, settings.RabbitPort, settings.VirtualHost, host =>
            {
                host.Username(settings.Username);
                host.Password(settings.Password);
            });
            rabbit.ConfigureJsonSerializerOptions(o =>
            {
                o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
                return o;
            });
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
}
