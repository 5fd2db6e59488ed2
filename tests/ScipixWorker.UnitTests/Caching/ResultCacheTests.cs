using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.UnitTests.Caching;

public sealed class ResultCacheTests
{
    private static readonly OcrModelInfo Model = new("det.onnx", "rec.onnx", "cls.onnx", "fp32", "cpu");

    [Fact]
    public void The_key_depends_on_the_image_bytes_the_mode_and_the_model()
    {
        byte[] image = [1, 2, 3];
        var key = ResultCache.KeyOf(image, OcrMode.Full, Model);

        Assert.Equal(key, ResultCache.KeyOf([1, 2, 3], OcrMode.Full, Model));
        Assert.NotEqual(key, ResultCache.KeyOf([1, 2, 4], OcrMode.Full, Model));
        Assert.NotEqual(key, ResultCache.KeyOf(image, OcrMode.SingleLine, Model));
        Assert.NotEqual(key, ResultCache.KeyOf(image, OcrMode.Full, Model with { Precision = "int8" }));
        Assert.NotEqual(key, ResultCache.KeyOf(image, OcrMode.Full, Model with { ExecutionProvider = "cuda" }));
        Assert.StartsWith("039058c6f2c0cb492c533b0a4d14ef77cc0f78abccced5287d84a1a2011cfb81|", key, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_depends_on_the_pages_asked_for_and_every_page_is_the_key_without_a_range()
    {
        byte[] image = [1, 2, 3];
        var key = ResultCache.KeyOf(image, OcrMode.Full, Model);

        Assert.Equal(key, ResultCache.KeyOf(image, OcrMode.Full, Model, PageRange.All));
        Assert.Equal(key, ResultCache.KeyOf(image, OcrMode.Full, Model, JobProcessor.Selection(null)));
        Assert.NotEqual(key, ResultCache.KeyOf(image, OcrMode.Full, Model, new PageRange(1, 1)));
        Assert.NotEqual(ResultCache.KeyOf(image, OcrMode.Full, Model, new PageRange(1, 1)), ResultCache.KeyOf(image, OcrMode.Full, Model, new PageRange(1, 2)));
    }

    [Fact]
    public void A_document_s_words_count_toward_its_size_in_the_cache()
    {
        var timings = new OcrTimings(TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero);
        var box = Ocr.Geometry.Quad.FromRectangle(0, 0, 100, 20);
        var line = new RecognizedLine("TOTAL 12.50", 0.9f, box);
        OcrDocument Of(RecognizedLine l) => new([new OcrPage(1, 100, 20, [l], l.Text, timings)]);

        var without = ResultCache.EstimateBytes(Of(line));
        var with = ResultCache.EstimateBytes(Of(line with { Words = [new("TOTAL", 0.9f, box), new("12.50", 0.9f, box)] }));

        Assert.Equal(56 + (80 + 10) + (80 + 10), with - without);
    }

    [Fact]
    public void A_cached_document_is_returned_and_a_disabled_cache_reports_itself_disabled()
    {
        var document = new OcrDocument([]);
        var cache = new ResultCache(Options.Create(new WorkerOptions()), TimeProvider.System);
        cache.Add("k", document);

        Assert.True(cache.Enabled);
        Assert.True(cache.TryGet("k", out var cached));
        Assert.Same(document, cached);
        Assert.False(new ResultCache(Options.Create(new WorkerOptions { ResultCacheEntries = 0 }), TimeProvider.System).Enabled);
    }
}
