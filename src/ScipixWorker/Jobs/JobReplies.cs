using MassTransit;
using Microsoft.Extensions.Logging;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.Jobs;

/// <summary>
/// A job's outcome sent back to whoever asked for it, besides the event every subscriber gets: to a MassTransit
/// request client's response address (<c>IRequestClient&lt;RecognizeDocument&gt;</c>, matched by its RequestId), or to
/// the AMQP <c>reply_to</c> queue of a plain-AMQP request (the RPC pattern of RabbitMQ's tutorials and its direct
/// reply-to, <c>amq.rabbitmq.reply-to</c>), through the default exchange, with the request's <c>correlation_id</c>.
/// The event is published first and is the outcome of record: a reply the broker does not take is logged and counted,
/// never retried, and never fails the job (a reply to a queue that is gone is dropped by the broker, silently).
/// </summary>
internal static class JobReplies
{
    /// <summary>MassTransit sends to the address that ends so through the default exchange, routed by the request's reply_to.</summary>
    private const string ReplyToQueue = "amq.rabbitmq.reply-to";

    /// <summary>True when the job's message says where to reply: a MassTransit response address or an AMQP <c>reply_to</c>.</summary>
    public static bool IsRequest(ConsumeContext<RecognizeDocument> context) => context.ResponseAddress is not null || ReplyTo(context) is not null;

    public static async Task SendAsync<T>(ConsumeContext<RecognizeDocument> context, T outcome, bool enabled, ILogger logger, CancellationToken cancellationToken)
        where T : class
    {
        if (!enabled)
        {
            return; // Worker:SendReplies=false: events only
        }

        var replyTo = ReplyTo(context);
        var to = context.ResponseAddress is not null ? "response-address" : replyTo is not null ? "reply-to" : null;
        if (to is null)
        {
            return;
        }

        try
        {
            await (replyTo is null
                ? context.RespondAsync(outcome, Propagate<T>(null))
                : ReplyToAsync(context, outcome, replyTo.Value.CorrelationId, cancellationToken));
            WorkerMetrics.RepliesTotal.WithLabels(to, "sent").Inc();
        }
        catch (Exception exception)
        {
            // Cancelled too (a dropped connection): the event is out, so the job is answered; only the courtesy copy is lost.
            WorkerMetrics.RepliesTotal.WithLabels(to, "failed").Inc();
            Log.ReplyFailed(logger, context.Message.JobId, to, exception.Message);
        }
    }

    // The request's AMQP reply_to (and correlation_id) when it names one and no MassTransit response address does.
    private static (string Queue, string? CorrelationId)? ReplyTo(ConsumeContext<RecognizeDocument> context) =>
        context.ResponseAddress is null
        && context.ReceiveContext.TryGetPayload<RabbitMqBasicConsumeContext>(out var delivery)
        && delivery.Properties.IsReplyToPresent() && !string.IsNullOrEmpty(delivery.Properties.ReplyTo)
            ? (delivery.Properties.ReplyTo!, delivery.Properties.IsCorrelationIdPresent() ? delivery.Properties.CorrelationId : null)
            : null;

    private static async Task ReplyToAsync<T>(ConsumeContext<RecognizeDocument> context, T outcome, string? correlationId, CancellationToken cancellationToken)
        where T : class
    {
        var endpoint = await context.GetSendEndpoint(ReplyToAddress(context.ReceiveContext.InputAddress));
        await endpoint.Send(outcome, Propagate<T>(correlationId), cancellationToken);
    }

    /// <summary>The reply-to address on the input queue's host and virtual host: its last path segment replaced.</summary>
    internal static Uri ReplyToAddress(Uri inputAddress)
    {
        var path = inputAddress.AbsolutePath;
        return new UriBuilder(inputAddress) { Path = $"{path[..(path.LastIndexOf('/') + 1)]}{ReplyToQueue}", Query = string.Empty }.Uri;
    }

    private static IPipe<SendContext<T>> Propagate<T>(string? correlationId)
        where T : class =>
        Pipe.Execute<SendContext<T>>(send =>
        {
            WorkerTracing.Propagate(send);
            if (correlationId is not null && send.TryGetPayload<RabbitMqSendContext>(out var rabbit))
            {
                rabbit.BasicProperties.CorrelationId = correlationId; // the AMQP RPC convention: the request's, as it came
            }
        });
}
