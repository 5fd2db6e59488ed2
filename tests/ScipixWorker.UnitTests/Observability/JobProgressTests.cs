using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;
using ScipixWorker.Observability;

namespace ScipixWorker.UnitTests.Observability;

public sealed class JobProgressTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromMinutes(20);

    [Fact]
    public async Task Jobs_in_flight_with_none_finishing_for_the_stall_timeout_fail_liveness()
    {
        var time = new ManualTimeProvider();
        var progress = new JobProgress(time);
        progress.Started();
        progress.Started();

        time.Advance(Stall - TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(progress));
        time.Advance(TimeSpan.FromSeconds(2));
        var wedged = await CheckAsync(progress);

        Assert.Equal(HealthStatus.Unhealthy, wedged.Status);
        Assert.Contains("2 job(s) in flight", wedged.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_job_finishing_resets_the_clock_while_others_run()
    {
        var time = new ManualTimeProvider();
        var progress = new JobProgress(time);
        progress.Started();
        progress.Started();

        time.Advance(Stall - TimeSpan.FromMinutes(1));
        progress.Finished();
        time.Advance(Stall - TimeSpan.FromMinutes(1));

        Assert.Equal(1, progress.InFlight);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(progress));
    }

    [Fact]
    public async Task An_idle_worker_is_live_however_long_it_waits_and_its_idle_time_is_not_a_stall()
    {
        var time = new ManualTimeProvider();
        var progress = new JobProgress(time);
        progress.Started();
        progress.Finished();

        time.Advance(Stall * 10);
        Assert.Equal(HealthStatus.Healthy, await StatusAsync(progress));
        progress.Started(); // the first job after the idle spell starts the clock afresh
        time.Advance(Stall - TimeSpan.FromSeconds(1));

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(progress));
    }

    [Fact]
    public async Task A_stall_timeout_of_zero_turns_the_check_off()
    {
        var time = new ManualTimeProvider();
        var progress = new JobProgress(time);
        progress.Started();
        time.Advance(TimeSpan.FromDays(1));

        Assert.Equal(HealthStatus.Healthy, await StatusAsync(progress, TimeSpan.Zero));
    }

    private static async Task<HealthStatus> StatusAsync(JobProgress progress, TimeSpan? stall = null) => (await CheckAsync(progress, stall)).Status;

    private static Task<HealthCheckResult> CheckAsync(JobProgress progress, TimeSpan? stall = null) =>
        new JobProgressHealthCheck(progress, Options.Create(new WorkerOptions { StallTimeout = stall ?? Stall }))
            .CheckHealthAsync(new HealthCheckContext(), TestContext.Current.CancellationToken);
}
