using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class ResultProjectionTests
{
    private static readonly OcrTimings Timings = new(
        TimeSpan.FromMilliseconds(10), TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(3), TimeSpan.FromMilliseconds(40), TimeSpan.FromMilliseconds(73));

    private static readonly RecognizedLine Line = new("HELLO WORLD", 0.9f, Quad.FromRectangle(1, 2, 30, 10))
    {
        Words = [new("HELLO", 0.95f, Quad.FromRectangle(1, 2, 14, 10)), new("WORLD", 0.85f, Quad.FromRectangle(17, 2, 14, 10))],
    };

    private static readonly OcrDocument Document = new([
        new OcrPage(1, 100, 50, [Line], "HELLO WORLD", Timings) { Rotation = 270 },
        new OcrPage(2, 100, 50, [], string.Empty, Timings) { Source = Ocr.Engine.PageSource.TextLayer },
    ]);

    [Fact]
    public void Text_detail_carries_page_text_without_lines()
    {
        var pages = ResultProjection.Pages(Document, DetailLevel.Text);

        Assert.Equal(2, pages.Count);
        Assert.Equal("HELLO WORLD", pages[0].Text);
        Assert.Empty(pages[0].Lines);
    }

    [Fact]
    public void Lines_detail_carries_text_and_confidence_without_boxes()
    {
        var line = Assert.Single(ResultProjection.Pages(Document, DetailLevel.Lines)[0].Lines);

        Assert.Equal("HELLO WORLD", line.Text);
        Assert.Equal(0.9f, line.Confidence);
        Assert.Null(line.Box);
        Assert.Null(line.Words);
    }

    [Fact]
    public void Full_detail_carries_the_box_as_eight_floats_clockwise_from_top_left()
    {
        var line = Assert.Single(ResultProjection.Pages(Document, DetailLevel.Full)[0].Lines);

        Assert.Equal([1f, 2f, 31f, 2f, 31f, 12f, 1f, 12f], line.Box);
        Assert.Null(line.Words);
    }

    [Fact]
    public void Words_detail_carries_the_box_and_each_word_with_its_confidence_and_box()
    {
        var line = Assert.Single(ResultProjection.Pages(Document, DetailLevel.Words)[0].Lines);

        Assert.Equal([1f, 2f, 31f, 2f, 31f, 12f, 1f, 12f], line.Box);
        Assert.NotNull(line.Words);
        Assert.Equal(["HELLO", "WORLD"], line.Words.Select(w => w.Text));
        Assert.Equal([0.95f, 0.85f], line.Words.Select(w => w.Confidence));
        Assert.Equal([17f, 2f, 31f, 2f, 31f, 12f, 17f, 12f], line.Words[1].Box);
    }

    [Fact]
    public void Lines_without_words_are_left_out_of_the_json_and_lines_with_words_carry_them()
    {
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web);

        var full = System.Text.Json.JsonSerializer.Serialize(ResultProjection.Pages(Document, DetailLevel.Full)[0].Lines[0], options);
        var words = System.Text.Json.JsonSerializer.Serialize(ResultProjection.Pages(Document, DetailLevel.Words)[0].Lines[0], options);

        Assert.DoesNotContain("words", full, StringComparison.Ordinal);
        Assert.Contains("\"box\":[1,2,31,2,31,12,1,12]", full, StringComparison.Ordinal);
        Assert.Contains("\"words\":[{\"text\":\"HELLO\",\"confidence\":0.95,\"box\":[1,2,15,2,15,12,1,12]}", words, StringComparison.Ordinal);
    }

    [Fact]
    public void Paragraphs_come_with_the_lines_and_their_boxes_with_the_lines_boxes()
    {
        Assert.Null(ResultProjection.Pages(Document, DetailLevel.Text)[0].Paragraphs);
        var lines = Assert.Single(ResultProjection.Pages(Document, DetailLevel.Lines)[0].Paragraphs!);
        var full = Assert.Single(ResultProjection.Pages(Document, DetailLevel.Full)[0].Paragraphs!);

        Assert.Equal((0, 1), (lines.FirstLine, lines.LineCount));
        Assert.Null(lines.Box);
        Assert.Equal([1f, 2f, 31f, 2f, 31f, 12f, 1f, 12f], full.Box);
        Assert.Empty(ResultProjection.Pages(Document, DetailLevel.Full)[1].Paragraphs!);
        var options = new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web)
        {
            Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase) },
        };
        Assert.DoesNotContain("paragraphs", System.Text.Json.JsonSerializer.Serialize(ResultProjection.Pages(Document, DetailLevel.Text)[0], options), StringComparison.Ordinal);
        Assert.Contains(
            "\"paragraphs\":[{\"firstLine\":0,\"lineCount\":1,\"box\":[1,2,31,2,31,12,1,12],\"role\":\"text\"}]",
            System.Text.Json.JsonSerializer.Serialize(ResultProjection.Pages(Document, DetailLevel.Full)[0], options),
            StringComparison.Ordinal);
    }

    [Fact]
    public void Each_page_says_where_its_text_came_from()
    {
        var pages = ResultProjection.Pages(Document, DetailLevel.Text);

        Assert.Equal([Contracts.PageSource.Image, Contracts.PageSource.TextLayer], pages.Select(p => p.Source));
    }

    [Fact]
    public void Each_page_says_how_far_its_image_was_turned_to_read_it()
    {
        var pages = ResultProjection.Pages(Document, DetailLevel.Text);

        Assert.Equal([270, 0], pages.Select(p => p.Rotation));
    }

    [Fact]
    public void Engine_time_sums_decode_and_inference_over_pages()
    {
        var (decode, inference) = ResultProjection.EngineTime(Document);

        Assert.Equal(TimeSpan.FromMilliseconds(20), decode);
        Assert.Equal(TimeSpan.FromMilliseconds(126), inference);
    }
}
