using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using SkiaSharp;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Images the tests render themselves, so the expected text and positions are known exactly.</summary>
[Collection(EngineCollection.Name)]
public sealed class RenderedImageTests(EngineFixture fixture)
{
    private static readonly (string Text, float X, float Y)[] PageLines =
    [
        ("Invoice 20817 from Northwind", 40, 40),
        ("Total due: 1,245.50 EUR", 40, 140),
        ("Payment within 30 days", 40, 240),
    ];

    private OcrDocument Read(byte[] image, OcrMode mode = OcrMode.Full) =>
        fixture.Engine.Recognize(image, mode, TestContext.Current.CancellationToken);

    private ScipixWorker.Ocr.Imaging.ImageLoader LoaderWithMaxPixels(long maxPixels)
    {
        var options = fixture.Options.Copy();
        options.MaxPixels = maxPixels;
        return new ScipixWorker.Ocr.Imaging.ImageLoader(options);
    }

    [Fact]
    public void Rendered_page_is_read_line_by_line_with_boxes_where_the_text_is()
    {
        using var bitmap = TextImages.Render(900, 330, PageLines);

        var page = Assert.Single(Read(TextImages.Encode(bitmap)).Pages);

        Assert.Equal(3, page.Lines.Count);
        for (var i = 0; i < PageLines.Length; i++)
        {
            var (text, x, y) = PageLines[i];
            Assert.True(Cer.IgnoringSpaces(text, page.Lines[i].Text) <= 0.05, $"expected '{text}', got '{page.Lines[i].Text}'");
            var box = page.Lines[i].Box;
            Assert.InRange(box.MinX, x - 20, x + 10);
            Assert.InRange(box.MinY, y - 5, y + 30);
            Assert.InRange(box.MaxY, y + 30, y + 60);
        }
    }

    [Fact]
    public void Upside_down_page_is_turned_by_the_angle_classifier()
    {
        using var bitmap = TextImages.Render(900, 330, PageLines);
        using var rotated = TextImages.Rotate180(bitmap);

        var text = Read(TextImages.Encode(rotated)).Text;

        foreach (var (line, _, _) in PageLines)
        {
            Assert.Contains(line.Replace(" ", string.Empty, StringComparison.Ordinal), text.Replace(" ", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Exif_orientation_is_applied_before_recognition()
    {
        using var bitmap = TextImages.Render(900, 330, PageLines);
        using var image = Image.Load<Rgba32>(TextImages.Encode(bitmap));
        // Stored turned a quarter to the left, tagged "rotate 90 clockwise to display" (orientation 6).
        image.Mutate(x => x.Rotate(RotateMode.Rotate270));
        image.Metadata.ExifProfile = new ExifProfile();
        image.Metadata.ExifProfile.SetValue(ExifTag.Orientation, (ushort)6);
        using var jpeg = new MemoryStream();
        image.SaveAsJpeg(jpeg);

        var page = Assert.Single(Read(jpeg.ToArray()).Pages);

        Assert.Equal((900, 330), (page.Width, page.Height));
        Assert.True(Cer.IgnoringSpaces(string.Join('\n', PageLines.Select(l => l.Text)), page.Text) <= 0.05, page.Text);
    }

    public static TheoryData<string> Formats => new() { "png", "jpeg", "bmp", "tiff", "gif", "webp" };

    [Theory]
    [MemberData(nameof(Formats))]
    public void Every_supported_format_is_read(string format)
    {
        const string text = "Quarterly report 2026";
        using var bitmap = TextImages.Line(text);
        using var image = Image.Load<Rgba32>(TextImages.Encode(bitmap));
        using var encoded = new MemoryStream();
        switch (format)
        {
            case "png": image.SaveAsPng(encoded); break;
            case "jpeg": image.SaveAsJpeg(encoded); break;
            case "bmp": image.SaveAsBmp(encoded); break;
            case "tiff": image.SaveAsTiff(encoded); break;
            case "gif": image.SaveAsGif(encoded); break;
            case "webp": image.SaveAsWebp(encoded); break;
        }

        var line = Assert.Single(Assert.Single(Read(encoded.ToArray(), OcrMode.SingleLine).Pages).Lines);

        Assert.True(Cer.IgnoringSpaces(text, line.Text) <= 0.05, $"{format}: got '{line.Text}'");
    }

    [Fact]
    public void Each_frame_of_an_animated_gif_is_a_page()
    {
        using var first = Image.Load<Rgba32>(TextImages.Encode(TextImages.Render(700, 120, [("First page here", 30, 30)])));
        using var second = Image.Load<Rgba32>(TextImages.Encode(TextImages.Render(700, 120, [("Second page there", 30, 30)])));
        first.Frames.AddFrame(second.Frames.RootFrame);
        using var gif = new MemoryStream();
        first.SaveAsGif(gif);

        var document = Read(gif.ToArray());

        Assert.Equal([1, 2], document.Pages.Select(p => p.PageNumber));
        Assert.True(Cer.IgnoringSpaces("First page here", document.Pages[0].Text) <= 0.1, document.Pages[0].Text);
        Assert.True(Cer.IgnoringSpaces("Second page there", document.Pages[1].Text) <= 0.1, document.Pages[1].Text);
    }

    [Fact]
    public void Each_page_of_a_multi_page_tiff_is_read_on_its_own()
    {
        string[] texts = ["First page of the scan", "Second page 2024", "Third and last page"];
        var bitmaps = texts.Select(t => TextImages.Render(800, 120, [(t, 30, 30)])).ToList();
        try
        {
            var tiff = MultiPageTiff.Encode(bitmaps);

            var document = Read(tiff);

            Assert.Equal([1, 2, 3], document.Pages.Select(p => p.PageNumber));
            for (var i = 0; i < texts.Length; i++)
            {
                Assert.True(Cer.IgnoringSpaces(texts[i], document.Pages[i].Text) <= 0.1, $"page {i + 1}: {document.Pages[i].Text}");
                Assert.Equal((800, 120), (document.Pages[i].Width, document.Pages[i].Height));
            }
        }
        finally
        {
            bitmaps.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void Pages_of_a_multi_page_tiff_are_decoded_one_at_a_time_as_they_are_asked_for()
    {
        // The third page is over the pixel limit: each page's own header is checked when it is decoded, so the
        // first two decode and only asking for the third fails (decoded whole, only the first page was checked).
        var bitmaps = new[] { (300, 80), (300, 80), (600, 80) }.Select(s => TextImages.Render(s.Item1, s.Item2, [])).ToList();
        var tiff = MultiPageTiff.Encode(bitmaps);
        bitmaps.ForEach(b => b.Dispose());
        var loader = LoaderWithMaxPixels(30_000);

        using var image = loader.Load(tiff);

        Assert.Equal(3, image.PageCount);
        Assert.Equal((300, 80), (image.Page(0).Width, image.Page(1).Height));
        Assert.Equal(OcrErrorCode.ImageTooLarge, Assert.Throws<OcrException>(() => image.Page(2)).Code);
    }

    [Fact]
    public void Each_page_of_a_multi_page_tiff_is_decoded_straight_into_its_buffer_with_its_exact_pixels()
    {
        var bitmaps = new[] { "First page of the scan", "Second page 2024" }.Select(t => TextImages.Render(900, 600, [(t, 30, 30)])).ToList();
        try
        {
            var tiff = MultiPageTiff.Encode(bitmaps); // uncompressed RGB, no extra samples

            using var image = new ScipixWorker.Ocr.Imaging.ImageLoader(fixture.Options).Load(tiff);

            Assert.Equal(2, image.PageCount);
            for (var i = 0; i < 2; i++)
            {
                var page = image.Page(i);
                Assert.True(page.IsNative, $"page {i + 1} was copied"); // the decode's own buffer, handed on
                for (var y = 0; y < 600; y += 7)
                {
                    var row = page.Row(y);
                    for (var x = 0; x < 900; x += 5)
                    {
                        var c = bitmaps[i].GetPixel(x, y);
                        Assert.Equal((c.Red, c.Green, c.Blue), (row[x * 3], row[(x * 3) + 1], row[(x * 3) + 2]));
                    }
                }

                page.Release();
            }
        }
        finally
        {
            bitmaps.ForEach(b => b.Dispose());
        }
    }

    [Fact]
    public void A_tiff_with_more_pages_than_allowed_is_refused_before_any_page_is_decoded()
    {
        var bitmaps = Enumerable.Range(0, 3).Select(_ => TextImages.Render(200, 60, [])).ToList();
        var tiff = MultiPageTiff.Encode(bitmaps);
        bitmaps.ForEach(b => b.Dispose());
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MaxPages = 2, WarmUp = false });

        var error = Assert.Throws<OcrException>(() => engine.Recognize(tiff, OcrMode.Full, TestContext.Current.CancellationToken));

        Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);
        Assert.Contains("Ocr:MaxPages", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_animated_gif_whose_frames_together_pass_the_decode_cap_is_refused_as_too_large()
    {
        // A 1000 x 1000 canvas is within a 1 M pixel limit, and 10 frames within Ocr:MaxPages; but ImageSharp decodes
        // every frame at the canvas size (4 MB each), and one decode may hold 16 bytes per allowed pixel (16 MB).
        var loader = LoaderWithMaxPixels(1_000_000);

        var error = Assert.Throws<OcrException>(() => loader.Load(AnimatedGifs.OnePixelFrames(1000, 1000, frames: 10)));

        Assert.Equal(OcrErrorCode.ImageTooLarge, error.Code);
        Assert.Contains("Ocr:MaxPixels", error.Message, StringComparison.Ordinal);
        Assert.Contains("GIF", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_animated_gif_within_the_decode_cap_still_gives_every_frame_as_a_page()
    {
        var loader = LoaderWithMaxPixels(1_000_000);

        using var image = loader.Load(AnimatedGifs.OnePixelFrames(1000, 1000, frames: 3));

        Assert.Equal(3, image.PageCount);
        var last = image.Page(2);
        Assert.Equal((1000, 1000), (last.Width, last.Height));
        last.Release();
    }

    [Fact]
    public void Transparent_png_is_read_as_if_on_white()
    {
        using var bitmap = new SKBitmap(600, 80, SKColorType.Rgba8888, SKAlphaType.Unpremul);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.Transparent);
            using var font = new SKFont(SKTypeface.FromFile(Fixtures.Path("fonts", "DejaVuSans.ttf")), 32);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText("Transparent label 42", 10, 50, SKTextAlign.Left, font, paint);
        }

        var line = Assert.Single(Assert.Single(Read(TextImages.Encode(bitmap), OcrMode.SingleLine).Pages).Lines);

        Assert.True(Cer.IgnoringSpaces("Transparent label 42", line.Text) <= 0.05, line.Text);
    }

    [Fact]
    public void Blank_page_yields_no_lines()
    {
        using var bitmap = TextImages.Render(640, 480, []);

        var page = Assert.Single(Read(TextImages.Encode(bitmap)).Pages);

        Assert.Empty(page.Lines);
        Assert.Equal(string.Empty, page.Text);
    }
}
