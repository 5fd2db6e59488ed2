using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using ScipixWorker.Jobs;

namespace ScipixWorker.Observability;

/// <summary>Unhealthy (tag live) when jobs are in flight and none has finished for Worker:StallTimeout.</summary>
internal sealed class JobProgressHealthCheck(JobProgress progress, IOptions<WorkerOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = options.Value.StallTimeout;
        var inFlight = progress.InFlight;
        var since = progress.SinceProgress;
        return Task.FromResult(limit > TimeSpan.Zero && inFlight > 0 && since > limit
            ? HealthCheckResult.Unhealthy($"{inFlight} job(s) in flight and none finished for {since.TotalSeconds:F0} s (Worker:StallTimeout {limit}): the worker looks wedged.")
            : HealthCheckResult.Healthy($"{inFlight} job(s) in flight; the last finished {since.TotalSeconds:F0} s ago."));
    }
}
