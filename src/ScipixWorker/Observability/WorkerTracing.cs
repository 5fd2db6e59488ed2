using System.Diagnostics;
using MassTransit;

namespace ScipixWorker.Observability;

/// <summary>
/// The worker's spans (ActivitySource <see cref="SourceName"/>): one a job, <c>scipix.job</c>, with the job's
/// <c>scipix.download</c> and <c>scipix.ocr</c> inside it. A job's span continues the trace its producer sent (the W3C
/// <c>traceparent</c> header any producer can set, or MassTransit's own <c>MT-Activity-Id</c> through its consume span),
/// so an upload's trace runs on through the OCR, and the result goes out with the trace in both headers
/// (<see cref="Propagate"/>) into whatever consumes it.
/// Activities cost nothing while no listener is attached (tracing off).
/// </summary>
internal static class WorkerTracing
{
    public const string SourceName = "ScipixWorker";

    // Tags (attributes) of the spans.
    public const string JobId = "scipix.job_id";
    public const string Redelivered = "scipix.redelivered";
    public const string Outcome = "scipix.outcome";
    public const string ErrorCode = "scipix.error_code";
    public const string Blob = "scipix.blob";
    public const string Bytes = "scipix.bytes";
    public const string Mode = "scipix.mode";
    public const string Pages = "scipix.pages";
    public const string Lines = "scipix.lines";
    public const string FromCache = "scipix.from_cache";

    public static ActivitySource Source { get; } = new(SourceName, typeof(WorkerTracing).Assembly.GetName().Version?.ToString());

    /// <summary>
    /// The span of one job: a child of the trace context its message carries (<c>traceparent</c>, <c>tracestate</c>),
    /// else of the consume span MassTransit started, else a new trace. In a delivery of several jobs each job keeps its
    /// own producer's trace.
    /// </summary>
    public static Activity? StartJob(ConsumeContext context)
    {
        if (!Source.HasListeners())
        {
            return null;
        }

        // Inside MassTransit's consume span when it continues the job's own trace; else the trace the message carries
        // (a delivery of several jobs has one consume span, and a producer MassTransit does not trace sends the header).
        var consume = Activity.Current;
        if (context.ReceiveContext.TransportHeaders.TryGetHeader("traceparent", out var header) && header is string traceparent
            && ActivityContext.TryParse(traceparent, context.ReceiveContext.TransportHeaders.Get<string>("tracestate"), isRemote: true, out var sent)
            && consume?.TraceId != sent.TraceId)
        {
            return Source.StartActivity("scipix.job", ActivityKind.Consumer, sent);
        }

        return consume is null
            ? Source.StartActivity("scipix.job", ActivityKind.Consumer)
            : Source.StartActivity("scipix.job", ActivityKind.Internal, consume.Context);
    }

    /// <summary>
    /// Puts the current trace context on a message as W3C <c>traceparent</c> (and <c>tracestate</c>) headers, which any
    /// consumer's tracing reads; MassTransit's own <c>MT-Activity-Id</c> header carries it only to MassTransit consumers.
    /// </summary>
    public static void Propagate(SendContext context)
    {
        if (Activity.Current is { IdFormat: ActivityIdFormat.W3C } current)
        {
            context.Headers.Set("traceparent", current.Id);
            if (!string.IsNullOrEmpty(current.TraceStateString))
            {
                context.Headers.Set("tracestate", current.TraceStateString);
            }
        }
    }
}
