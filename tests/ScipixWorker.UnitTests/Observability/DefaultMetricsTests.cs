using System.Diagnostics.Metrics;
using ScipixWorker.Observability;

namespace ScipixWorker.UnitTests.Observability;

public sealed class DefaultMetricsTests
{
    [Theory]
    [InlineData("Private.InternalDiagnostics.System.Net.Quic.MsQuic", false)] // the runtime's QUIC library, 32 series
    [InlineData("Private.InternalDiagnostics.Anything", false)]
    [InlineData("System.Runtime", true)]
    [InlineData("MassTransit", true)]
    [InlineData("System.Net.Http", true)]
    [InlineData("Microsoft.AspNetCore.Server.Kestrel", true)]
    [InlineData("PrivateLabel.Orders", true)] // only the runtime's internal prefix, not every name starting alike
    public void The_meter_adapter_publishes_every_meter_but_the_runtimes_internal_ones(string meterName, bool published)
    {
        using var meter = new Meter(meterName);
        var counter = meter.CreateCounter<long>("probe");

        Assert.Equal(published, DefaultMetrics.Publishes(counter));
    }

    [Fact]
    public void Every_worker_metric_is_in_the_operations_guide()
    {
        var guide = ObservabilityFiles.Read("docs", "operations.md");
        var names = ObservabilityFiles.WorkerMetricNames();

        Assert.True(names.Count >= 20, $"{names.Count} metrics found by reflection");
        Assert.All(names, name => Assert.Contains($"`{name}`", guide, StringComparison.Ordinal));
    }
}
