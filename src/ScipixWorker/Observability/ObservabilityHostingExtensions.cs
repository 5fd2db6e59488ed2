using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Prometheus;
using ScipixWorker.Ocr.Batching;

namespace ScipixWorker.Observability;

public static class ObservabilityHostingExtensions
{
    public const string ReadyTag = "ready";

    /// <summary>The checks of /health/live: only whether the worker is getting anywhere (a failing one restarts the pod).</summary>
    public const string LiveTag = "live";

    /// <summary>Metrics (section Metrics): <c>/metrics</c> on its own port. Call after AddOcrEngine (model timing gauges).</summary>
    public static TBuilder AddWorkerMetrics<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        DefaultMetrics.Configure();
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<MetricsOptions>, MetricsOptionsValidator>();
        builder.Services.AddHostedService<ModelMetricsService>();
        builder.Services.AddSingleton<IRecognitionObserver, RecognitionMetrics>();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<MetricsOptions>>((kestrel, metrics) => kestrel.ListenAnyIP(metrics.Value.Port));
        return builder;
    }

    /// <summary>
    /// Traces (section Tracing): the worker's spans (<see cref="WorkerTracing"/>) and MassTransit's, exported over OTLP.
    /// Nothing is registered, and no span is made, unless an endpoint is configured.
    /// </summary>
    public static TBuilder AddWorkerTracing<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<TracingOptions>().BindConfiguration(TracingOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TracingOptions>, TracingOptionsValidator>();
        var tracing = builder.Configuration.GetSection(TracingOptions.SectionName).Get<TracingOptions>() ?? new TracingOptions();
        if (tracing.EffectiveEndpoint(Environment.GetEnvironmentVariable) is null)
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(
                Environment.GetEnvironmentVariable("OTEL_SERVICE_NAME") ?? "scipix-worker",
                serviceVersion: typeof(WorkerTracing).Assembly.GetName().Version?.ToString(),
                serviceInstanceId: Environment.MachineName))
            .WithTracing(traces => traces
                .AddSource(WorkerTracing.SourceName, Ocr.Engine.OcrTracing.SourceName, "MassTransit")
                .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(Math.Clamp(tracing.SampleRatio, 0, 1))))
                .AddOtlpExporter(exporter =>
                {
                    if (tracing.ExporterEndpoint() is { } endpoint)
                    {
                        exporter.Endpoint = endpoint;
                    }

                    if (tracing.OtlpProtocol is { } protocol)
                    {
                        exporter.Protocol = protocol == OtlpProtocol.HttpProtobuf ? OtlpExportProtocol.HttpProtobuf : OtlpExportProtocol.Grpc;
                    }
                }));
        return builder;
    }

    /// <summary>
    /// Health (section Health): <c>/health/live</c> (the process answers, and jobs in flight are finishing:
    /// <see cref="JobProgressHealthCheck"/>) and <c>/health/ready</c> (engine warm, bus connected: MassTransit registers
    /// its bus check with the "ready" tag).
    /// </summary>
    public static TBuilder AddWorkerHealth<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<HealthOptions>().BindConfiguration(HealthOptions.SectionName)
            .Validate<IOptions<MetricsOptions>>((health, metrics) => health.Port != metrics.Value.Port, "Health:Port and Metrics:Port must differ.")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<HealthOptions>, HealthOptionsValidator>();
        builder.Services.AddSingleton<JobProgress>();
        builder.Services.AddHealthChecks()
            .AddCheck<EngineWarmHealthCheck>("ocr-engine-warm", tags: [ReadyTag])
            .AddCheck<JobProgressHealthCheck>("job-progress", tags: [LiveTag]);
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<HealthOptions>>((kestrel, health) => kestrel.ListenAnyIP(health.Value.Port));
        return builder;
    }

    /// <summary>Maps health on Health:Port and metrics on Metrics:Port.</summary>
    public static TApp MapWorkerEndpoints<TApp>(this TApp app)
        where TApp : IEndpointRouteBuilder
    {
        var health = app.ServiceProvider.GetRequiredService<IOptions<HealthOptions>>().Value;
        var metrics = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = c => c.Tags.Contains(LiveTag) }).RequireHost($"*:{health.Port}");
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag) }).RequireHost($"*:{health.Port}");
        app.MapMetrics().RequireHost($"*:{metrics.Port}");
        return app;
    }
}
