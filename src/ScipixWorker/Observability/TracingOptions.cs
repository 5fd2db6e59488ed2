using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Observability;

/// <summary>
/// Traces of each job (section <c>Tracing</c>), exported over OTLP to a collector (the OpenTelemetry Collector, Jaeger,
/// Tempo, an APM vendor's agent). Off unless an endpoint is given here or in the standard
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> environment variable; the other <c>OTEL_*</c> variables (headers, timeout, service
/// name) apply as the OpenTelemetry SDK defines them. docs/operations.md, "Traces".
/// </summary>
public sealed class TracingOptions
{
    public const string SectionName = "Tracing";

    /// <summary>The collector's OTLP endpoint (<c>http://otel-collector:4317</c>); unset: <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, or no tracing.</summary>
    public Uri? OtlpEndpoint { get; set; }

    /// <summary>OTLP over gRPC (port 4317 by convention) or HTTP with protobuf bodies (4318); unset: the SDK's default or <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>.</summary>
    public OtlpProtocol? OtlpProtocol { get; set; }

    /// <summary>
    /// The share of traces this worker starts that are recorded, 0..1. A job whose producer sent a trace context follows
    /// the producer's sampling decision whatever this says (parent-based sampling).
    /// </summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = 1.0;

    /// <summary>
    /// The endpoint the exporter is given when this section sets one: over HTTP the traces' path (<c>/v1/traces</c>) is
    /// added, as the SDK adds it to the environment variable's; null when the section sets none (the SDK then reads the
    /// <c>OTEL_EXPORTER_OTLP_*</c> variables itself).
    /// </summary>
    public Uri? ExporterEndpoint() =>
        OtlpEndpoint is null || OtlpProtocol != Observability.OtlpProtocol.HttpProtobuf || OtlpEndpoint.AbsolutePath.EndsWith("/v1/traces", StringComparison.Ordinal)
            ? OtlpEndpoint
            : new Uri(OtlpEndpoint, OtlpEndpoint.AbsolutePath.TrimEnd('/') + "/v1/traces");

    /// <summary>The endpoint in effect: this section's, else the standard environment variable's; null: tracing is off.</summary>
    public Uri? EffectiveEndpoint(Func<string, string?> environment) =>
        OtlpEndpoint ?? (Uri.TryCreate(environment("OTEL_EXPORTER_OTLP_ENDPOINT"), UriKind.Absolute, out var fromEnvironment) ? fromEnvironment : null);
}

/// <summary>The OTLP transports (<see cref="TracingOptions.OtlpProtocol"/>).</summary>
public enum OtlpProtocol
{
    /// <summary>gRPC (the OpenTelemetry SDK's default).</summary>
    Grpc,

    /// <summary>HTTP/1.1 with protobuf bodies, to <c>/v1/traces</c> under the endpoint.</summary>
    HttpProtobuf,
}

[OptionsValidator]
internal sealed partial class TracingOptionsValidator : IValidateOptions<TracingOptions>;
