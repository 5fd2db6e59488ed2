namespace ScipixWorker.Ocr.Engine;

/// <summary>Why an image could not be recognized. Stable: callers map these to error events.</summary>
public enum OcrErrorCode
{
    /// <summary>The bytes are not an image format the engine reads (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP, a PDF), or a PDF page has no scan the engine can decode, or the PDF is encrypted.</summary>
    UnsupportedFormat = 1,

    /// <summary>The format was recognized but the data is damaged or truncated.</summary>
    CorruptImage = 2,

    /// <summary>The file, the pixel count, a side or the page count exceeds a configured limit.</summary>
    ImageTooLarge = 3,

    /// <summary>The input is empty.</summary>
    EmptyImage = 4,
}

/// <summary>An input the engine refuses, with a stable <see cref="OcrErrorCode"/>.</summary>
public sealed class OcrException : Exception
{
    /// <summary>Creates the exception.</summary>
    public OcrException(OcrErrorCode code, string message, Exception? innerException = null)
        : base(message, innerException) => Code = code;

    /// <summary>The stable reason.</summary>
    public OcrErrorCode Code { get; }
}
