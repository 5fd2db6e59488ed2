using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>Checks shared by the tests of scans in the natively decoded formats (<c>Jbig2Tests</c>, <c>Jpeg2000Tests</c>).</summary>
internal static class DecodedScans
{
    /// <summary>
    /// The pixels of <paramref name="file"/>'s first page, decoded as the engine does, that differ from the grey image
    /// <paramref name="sourcePng"/> it was made from (0: decoded exactly); the sizes must match.
    /// </summary>
    public static int DifferingPixels(byte[] sourcePng, byte[] file)
    {
        using var source = Image.Load<L8>(sourcePng);
        using var decoded = new ImageLoader(new OcrEngineOptions()).Load(file);
        var page = decoded.Page(0);
        try
        {
            Assert.Equal((source.Width, source.Height), (page.Width, page.Height));
            var differing = 0;
            for (var y = 0; y < source.Height; y++)
            {
                var row = page.ReadOnlyRow(y);
                for (var x = 0; x < source.Width; x++)
                {
                    var grey = source[x, y].PackedValue;
                    differing += row[x * 3] == grey && row[(x * 3) + 1] == grey && row[(x * 3) + 2] == grey ? 0 : 1;
                }
            }

            return differing;
        }
        finally
        {
            page.Release();
        }
    }

    /// <summary>
    /// A born-digital page made by <see cref="HandMadePdf.TextAndPicture"/> is read from its text layer, with its one picture's
    /// line read as <paramref name="sourcePng"/>, the image the picture was made from, reads alone.
    /// </summary>
    public static void PictureReadBesideItsText(OcrEngine engine, byte[] pdf, byte[] sourcePng)
    {
        var fromPng = Assert.Single(engine.Recognize(sourcePng, OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        var page = Assert.Single(engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Equal(PageSource.TextLayer, page.Source);
        Assert.Contains(page.Lines, l => !l.FromPicture && l.Text == "A picture pasted under a line of text:");
        var picture = Assert.Single(page.Lines, l => l.FromPicture);
        Assert.Equal(fromPng.Text.Trim(), picture.Text);
    }
}
