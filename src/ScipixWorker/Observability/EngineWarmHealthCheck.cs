using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Prometheus;
using ScipixWorker.Memory;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Observability;

/// <summary>Ready once the OCR engine is loaded and warmed up (or warm-up is disabled with Ocr:WarmUp=false).</summary>
internal sealed class EngineWarmHealthCheck(OcrEngine engine, IOptions<OcrEngineOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(engine.IsWarm || !options.Value.WarmUp
            ? HealthCheckResult.Healthy($"{engine.Model.Recognizer} on {engine.Model.ExecutionProvider}")
            : HealthCheckResult.Unhealthy("The OCR engine is warming up."));
}

/// <summary>
/// Publishes the engine's load and warm-up times, which models run and its memory budget (read at each scrape);
/// starts after the engine's warm-up service.
/// </summary>
internal sealed class ModelMetricsService(OcrEngine engine, ILogger<ModelMetricsService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        WorkerMetrics.ModelLoadSeconds.Set(engine.LoadTime.TotalSeconds);
        WorkerMetrics.ModelWarmupSeconds.Set(engine.WarmUpTime.TotalSeconds);
        var model = engine.Model;
        WorkerMetrics.ModelInfo.WithLabels(model.Detector, model.Recognizer, model.Classifier, model.Precision, model.ExecutionProvider).Set(1);
        WorkerMetrics.NativeAllocatorInfo.WithLabels(NativeAllocator.Current).Set(1);
        Jobs.Log.NativeAllocator(logger, NativeAllocator.Description);
        var budget = engine.MemoryBudget;
        WorkerMetrics.MemoryBudgetBytes.Set(budget.Capacity);
        WorkerMetrics.RecognitionBatchSizeLimit.Set(engine.LargestRecognitionBatch);
        Metrics.DefaultRegistry.AddBeforeCollectCallback(() =>
        {
            WorkerMetrics.MemoryBudgetInUseBytes.Set(budget.InUse);
            WorkerMetrics.MemoryBudgetWaitsTotal.IncTo(budget.Waits);
            WorkerMetrics.MemoryBudgetWaitSecondsTotal.IncTo(budget.WaitTime.TotalSeconds);
            WorkerMetrics.DecodesStopped.Set(engine.StoppedDecodes);

            // Also set when a batch is taken; read here too, so that crops dropped by a cancelled job (a timeout, a
            // shutdown) leave the gauge when the worker then idles.
            WorkerMetrics.RecognitionQueueDepth.Set(engine.RecognitionQueueDepth);
        });
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
