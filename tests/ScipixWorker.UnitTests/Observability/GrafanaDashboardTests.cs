using System.Text.Json;
using System.Text.RegularExpressions;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Observability;

/// <summary>
/// The Grafana dashboard (infra/grafana/dashboards/scipix-worker.json) queries series the worker exports, through the
/// data source its provisioning declares. `make test-alerts` parses its PromQL with promtool (scripts/check-dashboard.sh).
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly JsonElement Dashboard = JsonDocument.Parse(ObservabilityFiles.Read("infra", "grafana", "dashboards", "scipix-worker.json")).RootElement;

    private static List<JsonElement> Panels => Dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row").ToList();

    private static List<string> Expressions => Panels
        .SelectMany(p => p.GetProperty("targets").EnumerateArray())
        .Select(t => t.GetProperty("expr").GetString()!)
        .ToList();

    [Fact]
    public void The_panels_name_only_metrics_the_worker_exports()
    {
        var exported = ObservabilityFiles.WorkerMetricNames();
        var named = Expressions.SelectMany(e => MetricName().Matches(e).Select(m => m.Value)).Distinct().ToList();

        Assert.True(named.Count >= 15, string.Join(", ", named));
        Assert.All(named, name => Assert.True(exported.Contains(name) || exported.Contains(HistogramSeriesSuffix().Replace(name, "")), name));
    }

    [Fact]
    public void Every_panel_queries_the_provisioned_data_source_and_has_its_own_id_and_place()
    {
        var provisioning = ObservabilityFiles.Read("infra", "grafana", "provisioning", "datasources", "prometheus.yml");
        var uid = DataSourceUid().Match(provisioning).Groups[1].Value;
        var all = Dashboard.GetProperty("panels").EnumerateArray().ToList();

        Assert.Equal("prometheus", uid);
        Assert.All(Panels, p => Assert.Equal(uid, p.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.All(Panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()), t => Assert.Equal(uid, t.GetProperty("datasource").GetProperty("uid").GetString()));
        Assert.Equal(all.Count, all.Select(p => p.GetProperty("id").GetInt32()).Distinct().Count());
        var places = all.Select(p => p.GetProperty("gridPos")).Select(g => (X: g.GetProperty("x").GetInt32(), Y: g.GetProperty("y").GetInt32(), W: g.GetProperty("w").GetInt32())).ToList();
        Assert.Equal(places.Count, places.Distinct().Count());
        Assert.All(places, g => Assert.InRange(g.X + g.W, 1, 24));
    }

    [Fact]
    public void The_queue_panels_watch_the_default_queue_and_its_error_queue()
    {
        var queue = new WorkerOptions().QueueName;

        Assert.Contains(Expressions, e => e.Contains($"queue=\"{queue}\"", StringComparison.Ordinal));
        Assert.Contains(Expressions, e => e.Contains($"queue=\"{queue}_error\"", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\bscipix_[a-z_]+")]
    private static partial Regex MetricName();

    [GeneratedRegex("_(bucket|sum|count)$")]
    private static partial Regex HistogramSeriesSuffix();

    [GeneratedRegex(@"uid:\s*(\S+)")]
    private static partial Regex DataSourceUid();
}
