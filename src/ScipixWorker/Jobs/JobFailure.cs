using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>Why a job failed, as published in <see cref="DocumentRecognitionFailed"/>.</summary>
internal sealed record JobFailure(string Code, string Message, bool Retryable)
{
    public DocumentRecognitionFailed ToEvent(RecognizeDocument job) => new(job.JobId, job.CorrelationId, Code, Message, Retryable);
}

/// <summary>A job that cannot succeed (or not now): the processor publishes <see cref="Failure"/> for it.</summary>
internal sealed class JobFailedException(JobFailure failure, Exception? innerException = null)
    : Exception(failure.Message, innerException)
{
    public JobFailure Failure { get; } = failure;

    public static JobFailedException Permanent(string code, string message, Exception? inner = null) => new(new JobFailure(code, message, false), inner);
}
