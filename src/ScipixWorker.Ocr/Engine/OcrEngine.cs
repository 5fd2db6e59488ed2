namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Images in, text out: decodes an image, detects text lines, fixes their orientation and recognizes
/// them. Thread-safe: concurrent calls share the loaded models.
/// </summary>
public sealed class OcrEngine : IDisposable
{
    /// <summary>The models in use.</summary>
    public OcrModelInfo Model => throw new NotImplementedException();

    /// <summary>True once <see cref="WarmUp"/> has run every model on representative shapes.</summary>
    public bool IsWarm { get; private set; }

    /// <summary>Runs every model on representative input shapes so the first real job pays no start-up cost.</summary>
    public TimeSpan WarmUp(CancellationToken cancellationToken = default) => throw new NotImplementedException();

    /// <summary>Recognizes an encoded image (PNG, JPEG, TIFF, BMP, GIF, WebP); every frame is a page.</summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public OcrDocument Recognize(ReadOnlyMemory<byte> encodedImage, OcrMode mode = OcrMode.Full, CancellationToken cancellationToken = default) =>
        throw new NotImplementedException();

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
