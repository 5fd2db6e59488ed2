using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Preprocessing;

public sealed class InputShapeTests
{
    [Theory]
    [InlineData(463, 1013, 960, 448, 960)] // 463*0.9477=438.8 -> 438 -> 13.69*32 -> 448
    [InlineData(1080, 1527, 960, 672, 960)]
    [InlineData(200, 40, 960, 192, 32)] // small images are not enlarged, only snapped to 32
    [InlineData(10, 10, 960, 32, 32)]
    [InlineData(4000, 3000, 960, 960, 704)] // 720 / 32 = 22.5 rounds half to even (Python round): 22 * 32
    public void Detector_input_follows_paddleocr_limit_max(int width, int height, int limit, int expectedWidth, int expectedHeight)
    {
        var (w, h) = TextDetector.InputSize(width, height, limit);
        Assert.Equal((expectedWidth, expectedHeight), (w, h));
        Assert.Equal(0, w % 32);
        Assert.Equal(0, h % 32);
    }

    [Theory]
    [InlineData(932, 2172, 480, 1120)] // a receipt: 0.52 of its size where the longest side alone gives 0.44 (416 x 960)
    [InlineData(463, 1013, 448, 1024)] // a small receipt keeps its own resolution (only snapped to 32)
    [InlineData(300, 20000, 96, 6016)] // a long strip: 32 x 960 by the longest side, unreadable
    [InlineData(2480, 3508, 672, 960)] // A4 (1.41:1): the longest side's size, unchanged
    [InlineData(4000, 3000, 960, 704)] // 4:3: unchanged
    [InlineData(1920, 1920, 960, 960)] // square: unchanged
    [InlineData(200, 40, 192, 32)] // never enlarged
    public void Elongated_pages_get_at_least_the_minimum_area(int width, int height, int expectedWidth, int expectedHeight)
    {
        var (w, h) = TextDetector.InputSize(width, height, limitSide: 960, minAreaSide: 736);
        Assert.Equal((expectedWidth, expectedHeight), (w, h));
        Assert.InRange((double)w * h, 0, 960 * 960); // never more than a square page at the limit
    }

    [Theory]
    [InlineData(704, 32, 16, 736, 64)] // a tight line: 16 px all round
    [InlineData(672, 960, 16, 704, 992)]
    [InlineData(672, 960, 24, 736, 1024)] // 720 x 1008 rounded up to multiples of 32
    [InlineData(672, 960, 0, 672, 960)] // no margin: PaddleOCR's input
    public void Detector_tensor_adds_the_margin_on_every_side_in_multiples_of_32(int width, int height, int margin, int expectedWidth, int expectedHeight)
    {
        var (w, h) = TextDetector.TensorSize(width, height, margin);
        Assert.Equal((expectedWidth, expectedHeight), (w, h));
        Assert.True(w >= width + (2 * margin) && h >= height + (2 * margin));
    }

    [Fact]
    public void Normalization_writes_an_image_at_an_offset_over_a_filled_background()
    {
        var image = new RgbBuffer(1, 1, [255, 0, 51]);
        var tensor = new float[3 * 3 * 2];

        TensorWriter.Fill(tensor, tensorWidth: 3, tensorHeight: 2, (10, 20, 30), ChannelNormalization.Symmetric);
        TensorWriter.Write(image, tensor, tensorWidth: 3, tensorHeight: 2, ChannelNormalization.Symmetric, left: 2, top: 1);

        Assert.Equal(51 / 127.5f - 1, tensor[5], 5); // B plane, row 1, column 2
        Assert.Equal(1f, tensor[12 + 5], 5); // R plane
        Assert.Equal(30 / 127.5f - 1, tensor[0], 5); // the background's B
        Assert.Equal(10 / 127.5f - 1, tensor[12 + 4], 5); // the background's R, left of the image
    }

    [Fact]
    public void Recognizer_batch_is_at_least_the_minimum_wide_and_as_wide_as_its_widest_crop()
    {
        Assert.Equal(320, TextRecognizer.BatchWidth([new RgbBuffer(100, 48), new RgbBuffer(50, 24)], 320));
        Assert.Equal(224, TextRecognizer.BatchWidth([new RgbBuffer(100, 48), new RgbBuffer(50, 24)], 224));
        Assert.Equal(250, TextRecognizer.BatchWidth([new RgbBuffer(100, 48), new RgbBuffer(125, 24)], 224));
        Assert.Equal(960, TextRecognizer.BatchWidth([new RgbBuffer(100, 48), new RgbBuffer(480, 24)], 224));
        // The mean of what each needs alone: (224 + 250) / 2 and (224 + 960) / 2.
        Assert.Equal(237, TextRecognizer.MeanWidth([new RgbBuffer(100, 48), new RgbBuffer(125, 24)], 224));
        Assert.Equal(592, TextRecognizer.MeanWidth([new RgbBuffer(100, 48), new RgbBuffer(480, 24)], 224));
    }

    [Fact]
    public void Recognizer_tensor_has_a_row_a_crop_on_the_cpu_and_only_warmed_up_shapes_on_cuda()
    {
        var buckets = new Ocr.Batching.WidthBuckets(224);
        RgbBuffer[] batch = [new RgbBuffer(100, 48), new RgbBuffer(125, 24), new RgbBuffer(60, 48)]; // widest needs 250

        Assert.Equal((3, 250), TextRecognizer.TensorShape(batch, buckets, fixedShapes: false));
        Assert.Equal((3, 320), TextRecognizer.TensorShape(batch, buckets, fixedShapes: false, tensorWidth: 320));
        Assert.Equal((4, 320), TextRecognizer.TensorShape(batch, buckets, fixedShapes: true));
        Assert.Equal((4, 480), TextRecognizer.TensorShape(batch, buckets, fixedShapes: true, tensorWidth: 400));
        Assert.Equal(4 * 3 * 48 * 320, TextRecognizer.BatchTensor(batch, 320, rows: 4).Length);
    }

    [Fact]
    public void Normalization_writes_bgr_planes_and_leaves_padding_at_zero()
    {
        var image = new RgbBuffer(1, 1, [255, 0, 51]);
        var tensor = new float[3 * 2];

        TensorWriter.Write(image, tensor, tensorWidth: 2, tensorHeight: 1, ChannelNormalization.Symmetric);

        Assert.Equal(51 / 127.5f - 1, tensor[0], 5); // B plane first
        Assert.Equal(-1f, tensor[2], 5); // G
        Assert.Equal(1f, tensor[4], 5); // R
        Assert.Equal(0f, tensor[1]); // padding
    }

    [Fact]
    public void Detector_normalization_uses_imagenet_statistics_in_bgr_order()
    {
        var image = new RgbBuffer(1, 1, [255, 255, 255]);
        var tensor = new float[3];

        TensorWriter.Write(image, tensor, 1, 1, ChannelNormalization.ImageNetBgr);

        Assert.Equal((1 - 0.485f) / 0.229f, tensor[0], 4);
        Assert.Equal((1 - 0.456f) / 0.224f, tensor[1], 4);
        Assert.Equal((1 - 0.406f) / 0.225f, tensor[2], 4);
    }

    [Fact]
    public void Rotating_by_180_reverses_the_pixel_order()
    {
        var image = new RgbBuffer(2, 1, [1, 2, 3, 4, 5, 6]);
        Assert.Equal(new byte[] { 4, 5, 6, 1, 2, 3 }, TextOrientationClassifier.Rotate180(image).Data);
    }
}
