namespace ScipixWorker.Ocr.Engine;

/// <summary>What the engine should assume about its input.</summary>
public enum OcrMode
{
    /// <summary>A page or photo: detect text lines, fix their orientation, recognize each.</summary>
    Full = 0,

    /// <summary>The image is already a single text line: skip detection and recognize it whole.</summary>
    SingleLine = 1,
}
