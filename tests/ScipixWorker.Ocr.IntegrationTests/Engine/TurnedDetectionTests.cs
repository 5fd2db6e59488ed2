using System.Numerics;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// <see cref="TextDetector.DetectTurned"/>: a page stored turned is detected as the upright page is, and its boxes come
/// back in the stored image's pixels, corners named as the text reads (receipt 0, the real detector).
/// </summary>
public sealed class TurnedDetectionTests
{
    [Theory]
    [InlineData(RotateMode.Rotate90, 1)]   // stored turned clockwise: its lines run down the image
    [InlineData(RotateMode.Rotate180, 2)]  // upside down
    [InlineData(RotateMode.Rotate270, 3)]  // turned anticlockwise: its lines run up the image
    public void A_turned_page_gets_the_upright_pages_boxes_in_its_own_pixels(RotateMode stored, int quarterTurns)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        using var detector = new TextDetector(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory }, NullLogger.Instance);
        var bytes = Fixtures.Bytes("sroie", "receipt_000.jpg");
        var upright = Decode(bytes);
        var turned = Decode(ImageEdits.Png(bytes, x => x.Rotate(stored)));

        var expected = detector.Detect(upright, cancellationToken).Select(b => b.Box).ToList();
        var actual = detector.DetectTurned(turned, quarterTurns, cancellationToken).Select(b => b.Box).ToList();

        // Each box turned upright with the page (a quarter turn anticlockwise takes pixel (x, y) of a w-wide image to
        // (y, w - 1 - x)) lies on one of the upright page's boxes, corner for corner: the top-left corner is where the
        // text starts.
        var matched = actual.Count(box => expected.Any(e => Near(Upright(box, quarterTurns, turned.Width, turned.Height), e)));
        Assert.True(expected.Count >= 25, $"{expected.Count} boxes upright");
        Assert.InRange(actual.Count, expected.Count - 2, expected.Count + 2);
        Assert.True(matched >= expected.Count * 0.9, $"{matched} of {actual.Count} boxes match the upright page's {expected.Count}");
    }

    private static RgbBuffer Decode(byte[] bytes)
    {
        using var image = new ImageLoader(new OcrEngineOptions()).Load(bytes);
        return image.Page(0);
    }

    private static Quad Upright(Quad box, int quarterTurns, int width, int height)
    {
        Vector2 Turn(Vector2 p)
        {
            int w = width, h = height;
            for (var k = 0; k < quarterTurns; k++)
            {
                p = new Vector2(p.Y, w - 1 - p.X);
                (w, h) = (h, w);
            }

            return p;
        }

        return new Quad(Turn(box.TopLeft), Turn(box.TopRight), Turn(box.BottomRight), Turn(box.BottomLeft));
    }

    private static bool Near(Quad a, Quad b) =>
        Vector2.Distance(a.TopLeft, b.TopLeft) <= 4 && Vector2.Distance(a.TopRight, b.TopRight) <= 4 &&
        Vector2.Distance(a.BottomRight, b.BottomRight) <= 4 && Vector2.Distance(a.BottomLeft, b.BottomLeft) <= 4;
}
