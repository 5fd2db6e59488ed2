using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Registers the OCR engine with a host.</summary>
public static class OcrEngineHostingExtensions
{
    /// <summary>
    /// Binds <see cref="OcrEngineOptions"/> to the <c>Ocr</c> section and <see cref="BatchingOptions"/> to
    /// <c>Batching</c> (validated at start), registers the <see cref="OcrEngine"/> singleton (told of its
    /// recognition batches through the registered <see cref="IRecognitionObserver"/>, if any) and a hosted service that loads and warms it up during start-up,
    /// before hosted services registered after this call (the message bus) start taking work.
    /// </summary>
    public static TBuilder AddOcrEngine<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<OcrEngineOptions>()
            .BindConfiguration(OcrEngineOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => File.Exists(o.Resolve(o.DetectorModel)), "Ocr:DetectorModel: the file does not exist (run `make models` or set Ocr:ModelDirectory).")
            .Validate(o => File.Exists(o.Resolve(o.RecognizerModel)), "Ocr:RecognizerModel: the file does not exist.")
            .Validate(o => string.IsNullOrWhiteSpace(o.ClassifierModel) || File.Exists(o.Resolve(o.ClassifierModel)), "Ocr:ClassifierModel: the file does not exist.")
            .Validate(o => File.Exists(o.Resolve(o.Dictionary)), "Ocr:Dictionary: the file does not exist.")
            .Validate(o => o.DetectorMinAreaSide <= o.DetectorLimitSide, "Ocr:DetectorMinAreaSide must not exceed Ocr:DetectorLimitSide (no page may get more detector pixels than a square one at the limit).")
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OcrEngineOptions>, PrecisionOptionsValidator>();
        builder.Services.AddOptions<BatchingOptions>()
            .BindConfiguration(BatchingOptions.SectionName)
            .ValidateDataAnnotations()
            .Validate(o => o.MinBatchSize <= o.MaxBatchSize, "Batching:MinBatchSize must not exceed Batching:MaxBatchSize.")
            .ValidateOnStart();
        builder.Services.AddSingleton(sp => new OcrEngine(
            sp.GetRequiredService<IOptions<OcrEngineOptions>>().Value,
            sp.GetRequiredService<ILogger<OcrEngine>>(),
            sp.GetRequiredService<IOptions<BatchingOptions>>().Value,
            sp.GetService<IRecognitionObserver>()));
        builder.Services.AddHostedService<OcrEngineWarmUpService>();
        return builder;
    }
}

/// <summary>Loads and warms the engine while the host starts, so readiness means the first job runs warm.</summary>
internal sealed class OcrEngineWarmUpService(OcrEngine engine, IOptions<OcrEngineOptions> options) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.WarmUp)
        {
            engine.WarmUp(cancellationToken);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
