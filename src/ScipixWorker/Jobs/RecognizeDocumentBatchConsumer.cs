using MassTransit;
using Microsoft.Extensions.Logging;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.Jobs;

/// <summary>
/// Takes jobs in batches and runs each one independently: every job publishes its own result or failure,
/// so one bad image never fails, retries or duplicates the others. The batch throws only if a result could
/// not be published (the broker is gone); a redelivered batch then skips the jobs already answered
/// (idempotency).
/// </summary>
internal sealed class RecognizeDocumentBatchConsumer(JobProcessor processor, ILogger<RecognizeDocumentBatchConsumer> logger)
    : IConsumer<Batch<RecognizeDocument>>
{
    public async Task Consume(ConsumeContext<Batch<RecognizeDocument>> context)
    {
        Log.BatchReceived(logger, context.Message.Length);
        WorkerMetrics.BatchSize.Observe(context.Message.Length);
        await Task.WhenAll(context.Message.Select(processor.ProcessAsync));
    }
}
