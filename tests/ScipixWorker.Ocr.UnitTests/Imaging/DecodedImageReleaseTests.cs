using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace ScipixWorker.Ocr.UnitTests.Imaging;

/// <summary>
/// <see cref="ImageLoader.DecodedImage.ReleasePixels"/>: a file decoded whole gives its four-byte pixels back once its
/// page is RGB, so they are not held while the page is read; the RGB page stays whole.
/// </summary>
public sealed class DecodedImageReleaseTests
{
    [Fact]
    public void A_file_decoded_whole_is_freed_and_its_page_copy_stays()
    {
        using var source = new Image<Rgba32>(40, 30, new Rgba32(10, 200, 30));
        source[5, 7] = new Rgba32(250, 0, 0);
        using var encoded = new MemoryStream();
        source.SaveAsPng(encoded);
        var loader = new ImageLoader(new OcrEngineOptions());
        using var opened = loader.Open(encoded.ToArray());
        using var decoded = opened.Load();

        var page = decoded.Page(0);
        decoded.ReleasePixels();

        Assert.Throws<ObjectDisposedException>(() => decoded.Page(0));
        Assert.Equal((40, 30), (page.Width, page.Height));
        Assert.Equal([250, 0, 0], page.Row(7).Slice(5 * 3, 3).ToArray());
        Assert.Equal([10, 200, 30], page.Row(29).Slice(39 * 3, 3).ToArray());
        page.Release();
    }
}
