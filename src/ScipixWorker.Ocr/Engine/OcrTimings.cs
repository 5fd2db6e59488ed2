namespace ScipixWorker.Ocr.Engine;

/// <summary>Wall-clock time spent in each stage of recognizing one page.</summary>
public sealed record OcrTimings(TimeSpan Decode, TimeSpan Detect, TimeSpan Classify, TimeSpan Recognize, TimeSpan Total)
{
    /// <summary>All zero.</summary>
    public static OcrTimings Zero { get; } = new(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
}
