using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Batching;

public sealed class WidthBucketsTests
{
    [Theory]
    [InlineData(320, 10, 48, 320)] // narrower than PaddleOCR's 320 minimum
    [InlineData(320, 320, 48, 320)]
    [InlineData(320, 321, 48, 480)]
    [InlineData(320, 100, 10, 480)] // ratio 10 needs 480 exactly
    [InlineData(320, 700, 48, 800)]
    [InlineData(320, 1281, 48, 1600)]
    [InlineData(320, 2048, 48, 2048)]
    [InlineData(224, 10, 48, 224)] // the default minimum is a bucket of its own
    [InlineData(224, 224, 48, 224)]
    [InlineData(224, 225, 48, 320)]
    [InlineData(224, 321, 48, 480)]
    [InlineData(500, 321, 48, 500)] // a minimum above a standard width replaces the narrower ones
    [InlineData(500, 501, 48, 640)]
    public void A_crop_goes_to_the_narrowest_bucket_that_holds_it(int minWidth, int width, int height, int bucket) =>
        Assert.Equal(bucket, new WidthBuckets(minWidth).Of(width, height));

    [Fact]
    public void A_crop_wider_than_every_bucket_is_its_own_bucket_at_its_exact_width() =>
        Assert.Equal(3000, new WidthBuckets(WidthBuckets.DefaultMinWidth).Of(3000, 48));

    [Theory]
    [InlineData(10, 48, 224)]
    [InlineData(333, 31, 224)]
    [InlineData(1000, 17, 224)]
    [InlineData(5000, 48, 224)]
    [InlineData(10, 48, 320)]
    [InlineData(200, 48, 96)]
    public void The_needed_width_is_what_the_recognizer_pads_a_batch_of_one_to(int width, int height, int minWidth) =>
        Assert.Equal(TextRecognizer.BatchWidth([new RgbBuffer(width, height)], minWidth), new WidthBuckets(minWidth).Needed(width, height));

    [Theory]
    [InlineData(48)]
    [InlineData(224)]
    [InlineData(320)]
    [InlineData(336)]
    public void A_crop_at_or_below_the_minimum_ratio_needs_exactly_the_minimum(int minWidth)
    {
        Assert.Equal(minWidth, WidthBuckets.Needed(10, 48, minWidth));
        Assert.Equal(minWidth, WidthBuckets.Needed(minWidth * 3, 144, minWidth)); // the same ratio, scaled
    }

    [Theory]
    [InlineData(48)]
    [InlineData(224)]
    [InlineData(320)]
    [InlineData(1000)]
    [InlineData(4000)]
    public void Buckets_ascend_from_the_minimum_width(int minWidth)
    {
        var buckets = new WidthBuckets(minWidth);

        Assert.Equal(minWidth, buckets.Widths[0]);
        Assert.Equal(buckets.Widths.Order(), buckets.Widths);
        Assert.Equal(buckets.Widths.Distinct(), buckets.Widths);
        Assert.Equal(WidthBuckets.Standard.Where(w => w > minWidth), buckets.Widths.Skip(1));
    }

    [Fact]
    public void A_minimum_below_the_input_height_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new WidthBuckets(47));

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(20, 32)]
    [InlineData(32, 32)]
    [InlineData(33, 64)]
    [InlineData(64, 64)]
    public void A_cuda_batch_runs_with_the_next_power_of_two_rows(int crops, int rows)
    {
        Assert.Equal(rows, WidthBuckets.BatchRows(crops));
    }

    [Fact]
    public void The_row_counts_to_warm_up_are_every_one_a_batch_up_to_the_largest_can_get()
    {
        Assert.Equal([1, 2, 4, 8, 16, 32], WidthBuckets.BatchRowSizes(32));
        Assert.Equal([1, 2, 4, 8, 16, 32], WidthBuckets.BatchRowSizes(20));
        Assert.Equal([1], WidthBuckets.BatchRowSizes(1));
        Assert.All(Enumerable.Range(1, 64), crops => Assert.Contains(WidthBuckets.BatchRows(crops), WidthBuckets.BatchRowSizes(64)));
        Assert.Throws<ArgumentOutOfRangeException>(() => WidthBuckets.BatchRows(0));
    }
}
