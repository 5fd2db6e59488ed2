namespace ScipixWorker.Ocr.Engine;

/// <summary>The outcome for one image of <see cref="OcrEngine.RecognizeLines"/>: a line, or the reason there is none.</summary>
/// <param name="Line">The recognized line, when the image could be read.</param>
/// <param name="Error">Why the image could not be read.</param>
public sealed record LineResult(RecognizedLine? Line, OcrException? Error);
