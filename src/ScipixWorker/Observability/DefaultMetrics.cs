using System.Diagnostics.Metrics;
using Prometheus;

namespace ScipixWorker.Observability;

/// <summary>
/// What prometheus-net publishes beside the worker's own metrics. It keeps the process metrics and the .NET meters
/// (the runtime's <c>system_runtime_dotnet_*</c>, MassTransit's <c>masstransit_messaging_*</c>, HttpClient's and
/// Kestrel's), and drops two sources that only repeat or clutter them: the EventCounter adapter, whose counters
/// (<c>system_runtime_cpu_usage</c>, <c>system_net_http_requests_started</c>, ...) are the same figures the runtime's
/// meters publish since .NET 9, under other names, at the price of events every few seconds; and the runtime's
/// internal meters (<c>Private.InternalDiagnostics.*</c>: 32 series of the QUIC library, which the worker never uses).
/// A scrape after a job went from 823 lines to 547 (docs/operations.md, "Metrics").
/// </summary>
internal static class DefaultMetrics
{
    private const string InternalMeterPrefix = "Private.InternalDiagnostics.";

    /// <summary>
    /// Sets prometheus-net's defaults for the process. Takes effect only before the registry is first collected from, so
    /// it runs while the host is built; a later call (a second host in one process, as in the tests) sets the same.
    /// </summary>
    public static void Configure()
    {
        Metrics.ConfigureMeterAdapter(options => options.InstrumentFilterPredicate = Publishes);
        Metrics.SuppressDefaultMetrics(new SuppressDefaultMetricOptions
        {
            SuppressProcessMetrics = false,
            SuppressDebugMetrics = false,
            SuppressMeters = false,
            SuppressEventCounters = true,
        });
    }

    /// <summary>Whether the meter adapter publishes the instrument: everything but the runtime's internal meters.</summary>
    public static bool Publishes(Instrument instrument) => !instrument.Meter.Name.StartsWith(InternalMeterPrefix, StringComparison.Ordinal);
}
