using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>
/// Retries one job's storage call with exponential backoff when it fails transiently. A call still failing
/// after the retries becomes a retryable <see cref="JobFailedException"/>: that job alone fails (the
/// caller may send it again); the rest of its batch is untouched.
/// </summary>
internal sealed class TransientRetry(IOptions<WorkerOptions> options, TimeProvider time, ILogger<TransientRetry> logger)
{
    public async Task<T> ExecuteAsync<T>(string operation, Guid jobId, Func<CancellationToken, Task<T>> action, CancellationToken cancellationToken)
    {
        var retries = options.Value.TransientRetryCount;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(cancellationToken);
            }
            catch (Exception exception) when (FailureMapping.IsTransient(exception, cancellationToken))
            {
                if (attempt > retries)
                {
                    throw new JobFailedException(
                        new JobFailure(RecognitionErrorCodes.Internal, $"Storage unavailable: {operation} failed {attempt} times; last error: {exception.Message}", Retryable: true),
                        exception);
                }

                var delay = Backoff(attempt, options.Value.TransientRetryDelay, Random.Shared.NextDouble());
                Log.TransientRetry(logger, operation, jobId, attempt, delay.TotalMilliseconds, exception.Message);
                await Task.Delay(delay, time, cancellationToken);
            }
        }
    }

    /// <summary>The delay before retry <paramref name="attempt"/> (1-based): base x 2^(attempt-1), +/-20% jitter.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, double random01) =>
        baseDelay * Math.Pow(2, attempt - 1) * (0.8 + (0.4 * Math.Clamp(random01, 0, 1)));
}
