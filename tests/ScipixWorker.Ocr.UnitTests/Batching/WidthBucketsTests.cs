using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Batching;

public sealed class WidthBucketsTests
{
    [Theory]
    [InlineData(10, 48, 320)] // narrower than the 320 minimum
    [InlineData(320, 48, 320)]
    [InlineData(321, 48, 480)]
    [InlineData(100, 10, 480)] // ratio 10 needs 480 exactly
    [InlineData(700, 48, 800)]
    [InlineData(1281, 48, 1600)]
    [InlineData(2048, 48, 2048)]
    public void A_crop_goes_to_the_narrowest_bucket_that_holds_it(int width, int height, int bucket) =>
        Assert.Equal(bucket, WidthBuckets.Of(width, height));

    [Fact]
    public void A_crop_wider_than_every_bucket_is_its_own_bucket_at_its_exact_width() =>
        Assert.Equal(3000, WidthBuckets.Of(3000, 48));

    [Theory]
    [InlineData(10, 48)]
    [InlineData(333, 31)]
    [InlineData(1000, 17)]
    [InlineData(5000, 48)]
    public void The_needed_width_is_what_the_recognizer_pads_a_batch_of_one_to(int width, int height) =>
        Assert.Equal(TextRecognizer.BatchWidth([new RgbBuffer(width, height)]), WidthBuckets.Needed(width, height));

    [Fact]
    public void Buckets_ascend_from_the_recognizers_minimum_width()
    {
        Assert.Equal(TextRecognizer.MinInputWidth, WidthBuckets.Widths[0]);
        Assert.Equal(WidthBuckets.Widths.Order(), WidthBuckets.Widths);
    }
}
