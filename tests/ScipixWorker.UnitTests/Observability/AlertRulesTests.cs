using System.Text.RegularExpressions;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Observability;

/// <summary>
/// The alerting rules (infra/prometheus/scipix-alerts.yml) name series the worker exports and the queue it consumes.
/// promtool checks their syntax and behaviour (make test-alerts), but its unit tests feed the series they name, so
/// only this test notices a rule that names a metric the worker does not have.
/// </summary>
public sealed partial class AlertRulesTests
{
    private static readonly string Rules = ObservabilityFiles.Read("infra", "prometheus", "scipix-alerts.yml");

    [Fact]
    public void The_rules_name_only_metrics_the_worker_exports()
    {
        var exported = ObservabilityFiles.WorkerMetricNames();
        var named = MetricName().Matches(Rules).Select(match => match.Value).Distinct().ToList();

        Assert.True(named.Count >= 6, string.Join(", ", named));
        Assert.All(named, name => Assert.True(exported.Contains(name) || exported.Contains(HistogramSeriesSuffix().Replace(name, "")), name));
    }

    [Fact]
    public void The_queue_rules_watch_the_default_queue_and_its_error_queue()
    {
        var queue = new WorkerOptions().QueueName;

        Assert.Contains($"queue=\"{queue}\"", Rules, StringComparison.Ordinal);
        Assert.Contains($"queue=\"{queue}_error\"", Rules, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\bscipix_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeriesSuffix();
}
