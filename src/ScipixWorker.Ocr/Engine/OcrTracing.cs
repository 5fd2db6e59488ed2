using System.Diagnostics;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// The engine's spans (ActivitySource <see cref="SourceName"/>): <c>scipix.page</c> for each scanned page of
/// <see cref="OcrEngine.RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, PageRange, CancellationToken, CancellationToken)"/>,
/// from the start of its decoding to its crops being ready for recognition (detection, orientation, cropping), with the
/// page's number, size, lines and rotation. A host that traces listens to it; without a listener no span is made.
/// </summary>
public static class OcrTracing
{
    /// <summary>The ActivitySource's name, for a tracer to listen to.</summary>
    public const string SourceName = "ScipixWorker.Ocr";

    internal static ActivitySource Source { get; } = new(SourceName, typeof(OcrTracing).Assembly.GetName().Version?.ToString());
}
