using ScipixWorker.Jobs;
using ScipixWorker.Observability;
using ScipixWorker.Samples;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Storage;

namespace ScipixWorker;

public static class WorkerHostingExtensions
{
    /// <summary>Everything the worker runs. Order matters: the engine warms up before the bus starts taking jobs.</summary>
    public static TBuilder AddWorker<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        // Per-request logs of health probes and scrapes are noise; configuration (Logging:LogLevel) can still raise them.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        return builder.AddOcrEngine().AddWorkerMetrics().AddWorkerTracing().AddWorkerHealth().AddBlobSource().AddJobConsumers().AddSampleRun();
    }
}
