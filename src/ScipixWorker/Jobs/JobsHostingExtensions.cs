using System.Text.Json;
using System.Text.Json.Serialization;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Contracts;
using ScipixWorker.Messaging;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Batching;

namespace ScipixWorker.Jobs;

public static class JobsHostingExtensions
{
    /// <summary>
    /// Binds Worker and RabbitMq (validated at start) and configures MassTransit: the batch consumer on
    /// Worker:QueueName, accepting MassTransit envelopes and plain JSON (any AMQP client), publishing results
    /// as plain JSON, and a graceful stop that lets in-flight jobs finish.
    /// </summary>
    public static TBuilder AddJobConsumers<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<WorkerOptions>().BindConfiguration(WorkerOptions.SectionName).ValidateOnStart();

        // Recognitions run Batching:Executors at a time: unless configured, each ONNX Runtime session gets
        // cores / executors intra-op threads.
        services.AddOptions<OcrEngineOptions>().PostConfigure<IOptions<BatchingOptions>>((ocr, batching) => ocr.ShareCoresAmong(batching.Value.Executors));
        services.AddSingleton<IValidateOptions<WorkerOptions>, WorkerOptionsValidator>();
        services.AddOptions<RabbitMqOptions>().BindConfiguration(RabbitMqOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RabbitMqOptions>, RabbitMqOptionsValidator>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var worker = sp.GetRequiredService<IOptions<WorkerOptions>>();
            var shared = worker.Value.IdempotencyStore == IdempotencyStore.Blob ? ActivatorUtilities.CreateInstance<Storage.BlobIdempotencyStore>(sp) : null;
            return new IdempotencyGuard(worker, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<IdempotencyGuard>>(), shared);
        });
        services.AddSingleton<ResultCache>();
        services.AddSingleton<InferenceGate>();
        services.AddSingleton<TransientRetry>();
        services.AddSingleton<JobProcessor>();
        services.AddSingleton(sp => sp.GetRequiredService<OcrEngine>().MemoryBudget);
        services.AddHostedService<Memory.NativeHeapTrimmer>();

        // Shutdown: the host waits ShutdownTimeout; the bus lets consumers run for 70% of it, then cancels them
        // (cancelled jobs are requeued) and must be stopped by 90% of it.
        services.AddOptions<HostOptions>().Configure<IOptions<WorkerOptions>>((host, worker) =>
            host.ShutdownTimeout = worker.Value.ShutdownTimeout ?? host.ShutdownTimeout);
        services.AddOptions<MassTransitHostOptions>().Configure<IOptions<HostOptions>>((bus, host) =>
        {
            bus.WaitUntilStarted = false;
            bus.StopTimeout = WorkerOptions.BusStopTimeout(host.Value.ShutdownTimeout);
            bus.ConsumerStopTimeout = WorkerOptions.ConsumerStopTimeout(host.Value.ShutdownTimeout);
        });

        services.AddMassTransit(bus =>
        {
            // MassTransit 8.4+ reports anonymous usage to its authors after start; a worker in a closed network
            // should not call out (it logged a failed report with a stack trace there). MASSTRANSIT_USAGE_TELEMETRY=true
            // turns it back on.
            bus.ConfigureUsageTelemetryOptions(telemetry => telemetry.Enabled = false);
            bus.AddConsumer<RecognizeDocumentBatchConsumer>();
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var broker = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                var worker = context.GetRequiredService<IOptions<WorkerOptions>>().Value;
                rabbit.Host(broker.Host, (ushort)broker.Port, broker.VirtualHost, host =>
                {
                    host.Username(broker.Username);
                    host.Password(broker.Password);
                    host.Heartbeat(broker.Heartbeat);
                });

                // Results go out as plain JSON (the body is the event; type and ids are in headers), so any
                // AMQP client can bind a queue to the event exchanges and read them (docs/contract.md).
                rabbit.UseRawJsonSerializer(RawSerializerOptions.AddTransportHeaders, isDefault: false);
                rabbit.ConfigureJsonSerializerOptions(WorkerJson);

                rabbit.ReceiveEndpoint(worker.QueueName, endpoint =>
                {
                    // A job may arrive as a MassTransit envelope or as plain JSON from any AMQP client (no or
                    // application/json content type), which is read as a RecognizeDocument whatever its headers.
                    endpoint.UseRawJsonDeserializer(RawSerializerOptions.AnyMessageType, isDefault: true);
                    endpoint.PrefetchCount = worker.EffectivePrefetchCount;
                    if (worker.QueueType == QueueType.Quorum)
                    {
                        endpoint.SetQuorumQueue();
                    }

                    if (worker.MaxPriority > 0)
                    {
                        endpoint.SetQueueArgument("x-max-priority", worker.MaxPriority);
                    }

                    // Invalid jobs that name themselves are answered invalid-job (unreadable ones too: RecognizeDocumentReader);
                    // only messages that name no job, and the consumer's own faults, go to the error queue.
                    endpoint.UseFilter(new JobValidationFilter(context.GetRequiredService<ILogger<JobValidationFilter>>(), worker.SendReplies));
                    endpoint.ConfigureConsumer<RecognizeDocumentBatchConsumer>(context, consumer =>
                    {
                        consumer.Options<BatchOptions>(batch => batch
                            .SetMessageLimit(worker.MaxBatchSize)
                            .SetTimeLimit(worker.BatchTimeLimit)
                            .SetConcurrencyLimit(worker.ConcurrentBatches));

                        // Only a failure to publish a result escapes the consumer. Retrying the batch is safe:
                        // the jobs already answered are skipped by the idempotency guard.
                        consumer.UseMessageRetry(retry => retry.Exponential(3, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(2)));
                    });
                });

                Log.ConsumerConfigured(
                    context.GetRequiredService<ILogger<RecognizeDocumentBatchConsumer>>(), worker.QueueName, Describe(worker), worker.MaxBatchSize,
                    worker.BatchTimeLimit.TotalMilliseconds, worker.ConcurrentBatches, worker.EffectivePrefetchCount, worker.EffectiveConcurrentInferences,
                    worker.MaxQueuedCrops, worker.ImagesAhead, worker.ImageBytesAhead, context.GetRequiredService<IdempotencyGuard>().Describe());
            });
        });
        return builder;
    }

    private static string Describe(WorkerOptions worker) => worker.QueueType switch
    {
        QueueType.Quorum when worker.DeliveryLimit > 0 => $"quorum queue, a job answered delivery-limit-exceeded after {worker.DeliveryLimit} deliveries without an answer",
        QueueType.Quorum => "quorum queue, no delivery limit",
        _ => (worker.MaxPriority > 0 ? $"classic queue, {worker.MaxPriority} priorities" : "classic queue")
            + (worker.DeliveryLimit <= 0 ? ", no delivery limit"
                : worker.IdempotencyStore == IdempotencyStore.Blob ? $", a job answered delivery-limit-exceeded after {worker.DeliveryLimit} runs lost with their replicas"
                : ", no delivery limit (on a classic queue it needs Worker:IdempotencyStore=Blob)"),
    };

    // MassTransit's System.Text.Json options are process-wide: add the converters once.
    private static JsonSerializerOptions WorkerJson(JsonSerializerOptions options)
    {
        if (!options.Converters.OfType<JsonStringEnumConverter>().Any())
        {
            options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        }

        if (!options.Converters.OfType<RecognizeDocumentReader>().Any())
        {
            options.Converters.Add(new RecognizeDocumentReader());
        }

        return options;
    }
}
