using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The CUDA path's padding to warmed-up shapes (<see cref="TextRecognizer.FixedShapes"/>), run here on the CPU: blank rows
/// past the crops and a bucket's width must not change what any crop reads.
/// </summary>
public sealed class FixedShapeTests
{
    [Fact]
    public void Padding_a_batch_to_power_of_two_rows_and_a_bucket_width_reads_every_crop_the_same()
    {
        var options = new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ClassifierModel = string.Empty };
        using var recognizer = new TextRecognizer(options, NullLogger.Instance);
        var loader = new ImageLoader(options);
        var crops = new[] { "line_003_002", "line_003_008", "line_081_003" }
            .Select(name => { using var image = loader.Load(File.ReadAllBytes(Fixtures.Path("sroie", name + ".png"))); return image.Page(0); })
            .ToList();
        var bucket = recognizer.Buckets.Of(TextRecognizer.BatchWidth(crops, recognizer.Buckets.MinWidth), WidthBuckets.InputHeight);
        var ct = TestContext.Current.CancellationToken;

        Assert.False(recognizer.FixedShapes); // the CPU runs any shape
        var asIs = recognizer.RecognizeBatch(crops, ct, bucket);
        var alone = crops.Select(crop => recognizer.RecognizeBatch([crop], ct, bucket)[0]).ToList();
        recognizer.FixedShapes = true;
        var padded = recognizer.RecognizeBatch(crops, ct); // 3 crops run as 4 rows at the bucket's width
        var paddedAlone = recognizer.RecognizeBatch([crops[0]], ct);

        Assert.Equal(4, WidthBuckets.BatchRows(crops.Count));
        Assert.All(asIs, r => Assert.False(string.IsNullOrWhiteSpace(r.Text)));
        Assert.Equal(asIs.Select(r => r.Text), padded.Select(r => r.Text));
        Assert.Equal(alone.Select(r => r.Text), padded.Select(r => r.Text));
        for (var i = 0; i < crops.Count; i++)
        {
            // Not bit for bit: more rows change how the matrix products are blocked.
            Assert.InRange(Math.Abs(asIs[i].Confidence - padded[i].Confidence), 0, 0.01);
        }

        Assert.Equal(recognizer.RecognizeBatch([crops[0]], ct, recognizer.Buckets.Of(crops[0].Width, crops[0].Height))[0].Text, paddedAlone[0].Text);
    }
}
