using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class IdempotencyGuardTests
{
    private readonly ManualTimeProvider _time = new();

    private IdempotencyGuard CreateGuard() =>
        new(Options.Create(new WorkerOptions { IdempotencyWindow = TimeSpan.FromMinutes(10), IdempotencyCapacity = 100 }), _time);

    [Fact]
    public void A_repeat_is_refused_while_the_first_runs_and_after_it_completed()
    {
        var guard = CreateGuard();

        Assert.True(guard.TryBegin("k"));
        Assert.False(guard.TryBegin("k"));
        guard.Complete("k");
        Assert.False(guard.TryBegin("k"));
    }

    [Fact]
    public void An_abandoned_job_may_run_again()
    {
        var guard = CreateGuard();
        Assert.True(guard.TryBegin("k"));

        guard.Abandon("k");

        Assert.True(guard.TryBegin("k"));
    }

    [Fact]
    public void A_key_is_forgotten_after_the_window()
    {
        var guard = CreateGuard();
        Assert.True(guard.TryBegin("k"));
        guard.Complete("k");

        _time.Advance(TimeSpan.FromMinutes(11));

        Assert.True(guard.TryBegin("k"));
    }

    [Fact]
    public void The_key_is_the_idempotency_key_or_else_the_job_id()
    {
        var jobId = Guid.Parse("6c5428c9-ee13-4d2d-a49e-21e2d5298e89");
        var image = new ImageLocation("c", "b");

        Assert.Equal("key:abc", IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image, IdempotencyKey: "abc")));
        Assert.Equal("job:6c5428c9ee134d2da49e21e2d5298e89", IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image)));
        Assert.NotEqual(
            IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image, IdempotencyKey: "job:6c5428c9ee134d2da49e21e2d5298e89")),
            IdempotencyGuard.KeyOf(new RecognizeDocument(jobId, image)));
    }
}
