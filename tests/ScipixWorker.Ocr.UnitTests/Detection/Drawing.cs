using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Detection;

/// <summary>Rows of print drawn for the searches beside a page's lines (<c>GapColonsTests</c>, <c>LoneGlyphsTests</c>).</summary>
internal static class Drawing
{
    /// <summary>Sets a rectangle of <paramref name="page"/> to the grey level <paramref name="grey"/>.</summary>
    public static void Fill(RgbBuffer page, int x, int y, int width, int height, byte grey)
    {
        for (var row = y; row < y + height; row++)
        {
            page.Row(row).Slice(x * 3, width * 3).Fill(grey);
        }
    }

    /// <summary>The text bands of the crops of <paramref name="lines"/>, as the engine gives them to the searches.</summary>
    public static List<(float Top, float Bottom, byte Dark)?> Bands(RgbBuffer page, params Quad[] lines) =>
        [.. lines.Select(line => LineInk.TextBand(QuadCropper.Crop(page, line)))];
}
