using MassTransit;
using Microsoft.Extensions.Logging;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.Jobs;

/// <summary>
/// Checks each job before batching. An invalid job that names itself (a non-empty jobId) is answered here with
/// <c>invalid-job</c> and goes no further; one without a jobId cannot be answered: the throw faults only that message,
/// which MassTransit moves to the error queue with the reason in its MT-Fault-* headers. Neither reaches the batch
/// consumer, so neither can fail a batch.
/// </summary>
internal sealed class JobValidationFilter(ILogger logger, bool sendReplies) : IFilter<ConsumeContext<RecognizeDocument>>
{
    public async Task Send(ConsumeContext<RecognizeDocument> context, IPipe<ConsumeContext<RecognizeDocument>> next)
    {
        if (JobValidator.Validate(context.Message) is not { } problem)
        {
            await next.Send(context);
            return;
        }

        if (context.Message is not { JobId: var jobId } || jobId == Guid.Empty)
        {
            WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Rejected).Inc();
            throw new InvalidJobException($"Invalid RecognizeDocument: {problem}");
        }

        var failed = InvalidJobAnswer.Create(jobId, context.Message.CorrelationId, problem);
        await context.Publish(failed, (PublishContext<DocumentRecognitionFailed> c) => WorkerTracing.Propagate(c), context.CancellationToken);
        await JobReplies.SendAsync(context, failed, sendReplies, logger, context.CancellationToken);
        InvalidJobAnswer.Published(logger, failed);

        // Handled: acknowledged once this returns, not moved to the _skipped queue as a message nothing consumed.
        await context.NotifyConsumed(context, TimeSpan.Zero, nameof(JobValidationFilter));
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("jobValidation");
}
