using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>Real fixture images changed as a scanner or a camera would give them (turned, askew), as PNG bytes.</summary>
internal static class ImageEdits
{
    /// <summary>The image with <paramref name="edit"/> applied; corners a rotation uncovers are white.</summary>
    public static byte[] Png(byte[] image, Action<IImageProcessingContext> edit)
    {
        using var loaded = Image.Load<Rgba32>(image);
        loaded.Mutate(x =>
        {
            edit(x);
            x.BackgroundColor(Color.White);
        });
        using var png = new MemoryStream();
        loaded.SaveAsPng(png);
        return png.ToArray();
    }
}
