using MassTransit;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.Jobs;

/// <summary>
/// Rejects invalid jobs one by one, before batching: the throw faults only that message, which MassTransit
/// moves to the error queue with the reason in its MT-Fault-* headers. Never reaches the batch consumer.
/// </summary>
internal sealed class JobValidationFilter : IFilter<ConsumeContext<RecognizeDocument>>
{
    public Task Send(ConsumeContext<RecognizeDocument> context, IPipe<ConsumeContext<RecognizeDocument>> next)
    {
        if (JobValidator.Validate(context.Message) is { } problem)
        {
            WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Rejected).Inc();
            throw new InvalidJobException($"Invalid RecognizeDocument: {problem}");
        }

        return next.Send(context);
    }

    public void Probe(ProbeContext context) => context.CreateFilterScope("jobValidation");
}
