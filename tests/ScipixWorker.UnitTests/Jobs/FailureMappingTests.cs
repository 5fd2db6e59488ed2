using System.Net.Sockets;
using Azure;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class FailureMappingTests
{
    [Theory]
    [InlineData(OcrErrorCode.UnsupportedFormat, RecognitionErrorCodes.UnsupportedFormat)]
    [InlineData(OcrErrorCode.CorruptImage, RecognitionErrorCodes.CorruptImage)]
    [InlineData(OcrErrorCode.ImageTooLarge, RecognitionErrorCodes.ImageTooLarge)]
    [InlineData(OcrErrorCode.EmptyImage, RecognitionErrorCodes.CorruptImage)]
    public void Engine_errors_map_to_permanent_contract_codes(OcrErrorCode engineCode, string expected)
    {
        var failure = FailureMapping.FromOcr(new OcrException(engineCode, "bad image"));

        Assert.Equal(expected, failure.Code);
        Assert.False(failure.Retryable);
        Assert.Equal("bad image", failure.Message);
    }

    [Theory]
    [InlineData(404, RecognitionErrorCodes.ImageNotFound)]
    [InlineData(403, RecognitionErrorCodes.AccessDenied)]
    [InlineData(401, RecognitionErrorCodes.AccessDenied)]
    [InlineData(400, RecognitionErrorCodes.ImageNotFound)]
    public void Permanent_storage_errors_map_to_contract_codes(int status, string expected)
    {
        var failure = FailureMapping.FromStoragePermanent(new RequestFailedException(status, "no"), "c/b");

        Assert.NotNull(failure);
        Assert.Equal(expected, failure.Code);
        Assert.False(failure.Retryable);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    [InlineData(408)]
    [InlineData(412)]
    [InlineData(0)]
    public void Server_errors_throttling_and_lost_connections_are_transient(int status)
    {
        var exception = new RequestFailedException(status, "try later");

        Assert.Null(FailureMapping.FromStoragePermanent(exception, "c/b"));
        Assert.True(FailureMapping.IsTransient(exception, CancellationToken.None));
    }

    [Fact]
    public void Not_found_is_not_transient()
    {
        Assert.False(FailureMapping.IsTransient(new RequestFailedException(404, "gone"), CancellationToken.None));
    }

    [Fact]
    public void A_timeout_is_transient_but_our_own_cancellation_is_not()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        Assert.True(FailureMapping.IsTransient(new TaskCanceledException("timed out"), CancellationToken.None));
        Assert.False(FailureMapping.IsTransient(new OperationCanceledException(cancelled.Token), cancelled.Token));
        Assert.True(FailureMapping.IsTransient(new IOException("reset"), CancellationToken.None));
        Assert.True(FailureMapping.IsTransient(new SocketException(), CancellationToken.None));
        Assert.False(FailureMapping.IsTransient(new InvalidOperationException("bug"), CancellationToken.None));
    }

    [Fact]
    public void Retry_delays_double_from_the_base_delay_within_the_jitter()
    {
        var baseDelay = TimeSpan.FromMilliseconds(100);

        Assert.Equal(TimeSpan.FromMilliseconds(100), TransientRetry.Backoff(1, baseDelay, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(200), TransientRetry.Backoff(2, baseDelay, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(400), TransientRetry.Backoff(3, baseDelay, 0.5));
        Assert.Equal(TimeSpan.FromMilliseconds(320), TransientRetry.Backoff(3, baseDelay, 0));
        Assert.Equal(TimeSpan.FromMilliseconds(480), TransientRetry.Backoff(3, baseDelay, 1));
    }
}
