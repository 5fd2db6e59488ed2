using Azure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class TransientRetryTests
{
    private static TransientRetry Create(int retries) =>
        new(Options.Create(new WorkerOptions { TransientRetryCount = retries, TransientRetryDelay = TimeSpan.FromMilliseconds(1) }), TimeProvider.System, NullLogger<TransientRetry>.Instance);

    [Fact]
    public async Task A_storage_blip_is_retried_until_it_succeeds()
    {
        var attempts = 0;

        var result = await Create(retries: 3).ExecuteAsync("read", Guid.NewGuid(), _ =>
            ++attempts < 3 ? throw new RequestFailedException(503, "busy") : Task.FromResult(42), TestContext.Current.CancellationToken);

        Assert.Equal(42, result);
        Assert.Equal(3, attempts);
    }

    [Fact]
    public async Task An_outage_that_outlasts_the_retries_fails_the_job_as_retryable()
    {
        var attempts = 0;

        var exception = await Assert.ThrowsAsync<JobFailedException>(() => Create(retries: 2).ExecuteAsync<int>("read", Guid.NewGuid(), _ =>
        {
            attempts++;
            throw new RequestFailedException(500, "down");
        }, TestContext.Current.CancellationToken));

        Assert.Equal(3, attempts);
        Assert.Equal(RecognitionErrorCodes.Internal, exception.Failure.Code);
        Assert.True(exception.Failure.Retryable);
    }

    [Fact]
    public async Task A_permanent_error_is_not_retried()
    {
        var attempts = 0;

        await Assert.ThrowsAsync<RequestFailedException>(() => Create(retries: 3).ExecuteAsync<int>("read", Guid.NewGuid(), _ =>
        {
            attempts++;
            throw new RequestFailedException(404, "gone");
        }, TestContext.Current.CancellationToken));

        Assert.Equal(1, attempts);
    }
}
