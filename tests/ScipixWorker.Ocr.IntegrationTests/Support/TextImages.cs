using SkiaSharp;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>Renders text images with a committed font, so tests know exactly what the image says.</summary>
internal static class TextImages
{
    private static readonly SKTypeface Font = SKTypeface.FromFile(Fixtures.Path("fonts", "DejaVuSans.ttf"))
        ?? throw new InvalidOperationException("The test font could not be loaded.");

    /// <summary>Black text lines on white, one line per entry, at the given positions (top-left of each line).</summary>
    public static SKBitmap Render(int width, int height, IEnumerable<(string Text, float X, float Y)> lines, float size = 32)
    {
        var bitmap = new SKBitmap(width, height, SKColorType.Rgba8888, SKAlphaType.Premul);
        using var canvas = new SKCanvas(bitmap);
        canvas.Clear(SKColors.White);
        using var font = new SKFont(Font, size);
        using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
        foreach (var (text, x, y) in lines)
        {
            canvas.DrawText(text, x, y + size, SKTextAlign.Left, font, paint);
        }

        return bitmap;
    }

    /// <summary>A single tightly framed text line.</summary>
    public static SKBitmap Line(string text, float size = 32)
    {
        using var font = new SKFont(Font, size);
        var width = (int)Math.Ceiling(font.MeasureText(text)) + (int)(size * 0.6f);
        return Render(width, (int)(size * 1.5f), [(text, size * 0.3f, size * 0.1f)], size);
    }

    public static SKBitmap Rotate180(SKBitmap source)
    {
        var rotated = new SKBitmap(source.Width, source.Height, source.ColorType, source.AlphaType);
        using var canvas = new SKCanvas(rotated);
        canvas.RotateDegrees(180, source.Width / 2f, source.Height / 2f);
        canvas.DrawBitmap(source, 0, 0);
        return rotated;
    }

    public static byte[] Encode(SKBitmap bitmap, SKEncodedImageFormat format = SKEncodedImageFormat.Png, int quality = 95)
    {
        using var image = SKImage.FromBitmap(bitmap);
        using var data = image.Encode(format, quality);
        return data.ToArray();
    }
}
