using Microsoft.Extensions.Logging;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;

namespace ScipixWorker.Jobs;

/// <summary>
/// The answer to a message that names its job but is not a valid one: <see cref="DocumentRecognitionFailed"/> with
/// <c>invalid-job</c>, not retryable, saying what is wrong. Its one outcome, as for any job that cannot succeed; only a
/// message that names no job goes to the error queue.
/// </summary>
internal static class InvalidJobAnswer
{
    public static DocumentRecognitionFailed Create(Guid jobId, string? correlationId, string problem) =>
        new(jobId, correlationId, RecognitionErrorCodes.InvalidJob, $"Invalid RecognizeDocument: {problem}", Retryable: false);

    /// <summary>Counts and logs an answer once it is published.</summary>
    public static void Published(ILogger logger, DocumentRecognitionFailed failed)
    {
        WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Failed).Inc(); // an error event was published, as for any failed job
        WorkerMetrics.JobFailuresTotal.WithLabels(failed.ErrorCode).Inc();
        Log.JobFailed(logger, failed.JobId, failed.ErrorCode, failed.Retryable, failed.Message);
    }
}
