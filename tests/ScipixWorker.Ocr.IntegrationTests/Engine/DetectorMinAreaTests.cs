using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:DetectorMinAreaSide: elongated pages are detected at a minimum area, not shrunk by their long side alone.</summary>
[Collection(EngineCollection.Name)]
public sealed class DetectorMinAreaTests(EngineFixture fixture)
{
    [Fact]
    public void A_receipt_three_times_as_long_is_read_at_the_minimum_area_far_better_than_by_its_longest_side()
    {
        var single = Fixtures.Text("sroie", "receipt_000.gt.txt");
        var reference = string.Join("\n", single, single, single);
        var page = ThreeReceiptsStacked(); // 463 x 3039: the longest-side rule scales it to 0.32, the minimum area to 0.62
        using var longestSideOnly = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, DetectorMinAreaSide = 0 });

        var withMinimum = Cer.Of(reference, fixture.Engine.Recognize(page, OcrMode.Full, TestContext.Current.CancellationToken).Text, caseInsensitive: true);
        var without = Cer.Of(reference, longestSideOnly.Recognize(page, OcrMode.Full, TestContext.Current.CancellationToken).Text, caseInsensitive: true);
        var alone = Cer.Of(single, fixture.Engine.Recognize(Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full, TestContext.Current.CancellationToken).Text, caseInsensitive: true);

        TestContext.Current.TestOutputHelper?.WriteLine($"CER: minimum area {withMinimum:P2}, longest side alone {without:P2}, the receipt alone {alone:P2}");
        Assert.True(fixture.Options.DetectorMinAreaSide > 0);
        Assert.True(withMinimum < without * 0.7, $"CER {withMinimum:P2} with the minimum area, {without:P2} by the longest side alone");
        Assert.True(withMinimum < alone + 0.03, $"CER {withMinimum:P2} stacked, {alone:P2} for the receipt alone");
    }

    [Fact]
    public void The_default_is_736()
    {
        using var unset = Build(null);
        Assert.Equal(736, unset.Services.GetRequiredService<IOptions<OcrEngineOptions>>().Value.DetectorMinAreaSide);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("1024")] // above Ocr:DetectorLimitSide (960): a square page would get more than the limit
    public void A_minimum_out_of_range_stops_the_host_naming_the_setting(string value)
    {
        using var host = Build(value);
        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<OcrEngineOptions>>().Value);
        Assert.Contains(nameof(OcrEngineOptions.DetectorMinAreaSide), error.Message, StringComparison.Ordinal);
    }

    private static byte[] ThreeReceiptsStacked()
    {
        using var receipt = Image.Load<Rgb24>(Fixtures.Bytes("sroie", "receipt_000.jpg"));
        using var stacked = new Image<Rgb24>(receipt.Width, receipt.Height * 3);
        stacked.Mutate(c =>
        {
            for (var i = 0; i < 3; i++)
            {
                c.DrawImage(receipt, new Point(0, receipt.Height * i), 1f);
            }
        });
        using var png = new MemoryStream();
        stacked.SaveAsPng(png);
        return png.ToArray();
    }

    private static IHost Build(string? minAreaSide) => OcrHost.Build("Ocr:DetectorMinAreaSide", minAreaSide);
}
