using Microsoft.Extensions.Logging;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Source-generated log messages of the OCR engine (event ids 2000-2099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning,
        Message = "CUDA could not be used for {Model} on device {DeviceId}, falling back to the CPU: {Reason}")]
    public static partial void CudaUnavailable(ILogger logger, string model, int deviceId, string reason);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information,
        Message = "Loaded {Model} on {Provider} in {ElapsedMs:F0} ms")]
    public static partial void ModelLoaded(ILogger logger, string model, string provider, double elapsedMs);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information,
        Message = "OCR engine warmed up in {ElapsedMs:F0} ms ({Runs} runs)")]
    public static partial void WarmedUp(ILogger logger, double elapsedMs, int runs);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Information,
        Message = "Angle classifier disabled (Ocr:ClassifierModel is empty)")]
    public static partial void ClassifierDisabled(ILogger logger);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Information,
        Message = "{Role} runs {Precision} ({Model} on {Provider}): {Reason}")]
    public static partial void PrecisionChosen(ILogger logger, string role, string precision, string model, string provider, string reason);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information,
        Message = "{Role} start-up timing: fp32 {Fp32Ms:F1} ms, {Candidate} {CandidateMs:F1} ms (medians of {Runs} runs), speed-up {Speedup:F2}x, needs {MinSpeedup:F2}x")]
    public static partial void PrecisionTimed(ILogger logger, string role, double fp32Ms, string candidate, double candidateMs, int runs, double speedup, double minSpeedup);
}
