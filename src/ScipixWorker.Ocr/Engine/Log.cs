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

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information,
        Message = "Simplified {Model}'s graph in {ElapsedMs:F0} ms: {Affines} scale-and-shift pairs folded into the convolution before them, {PointwiseAffines} into the 1 x 1 convolution after them, {HardSwishes} HardSwish activations from 4 nodes to 2; {NodesBefore} -> {NodesAfter} nodes")]
    public static partial void GraphSimplified(ILogger logger, string model, double elapsedMs, int affines, int pointwiseAffines, int hardSwishes, int nodesBefore, int nodesAfter);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning,
        Message = "{Model}'s graph was loaded as it is, not simplified: {Reason}")]
    public static partial void GraphNotSimplified(ILogger logger, string model, string reason);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Warning,
        Message = "A picture on page {Page} of a PDF was left out, the rest of the page read: {Reason}")]
    public static partial void PictureLeftOut(ILogger logger, int page, string reason);
}
