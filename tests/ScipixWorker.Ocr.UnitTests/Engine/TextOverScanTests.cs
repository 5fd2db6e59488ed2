using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class TextOverScanTests
{
    private static RecognizedLine Recognized(string text, float x, float y, float width, float height) =>
        new(text, 0.9f, Quad.FromRectangle(x, y, width, height));

    private static TextLayerLine Typed(string text, float x, float y, float width, float height) =>
        new(text, Quad.FromRectangle(x, y, width, height));

    [Fact]
    public void Typed_text_replaces_the_line_recognized_under_it_and_joins_the_reading_order()
    {
        List<RecognizedLine> recognized = [Recognized("NAME", 10, 10, 80, 20), Recognized("J0HN SM1TH", 10, 40, 120, 20), Recognized("DATE", 10, 100, 60, 20)];

        var lines = OcrEngine.WithTextOverScan(recognized, [Typed("John Smith", 12, 38, 110, 24), Typed("2026-12-03", 10, 130, 90, 20)], turned: false);

        Assert.Equal(["NAME", "John Smith", "DATE", "2026-12-03"], lines.Select(l => l.Text));
        Assert.Equal([0.9f, 1f, 0.9f, 1f], lines.Select(l => l.Confidence));
    }

    [Fact]
    public void A_line_less_than_half_covered_stays()
    {
        List<RecognizedLine> recognized = [Recognized("TOTAL 12.50", 10, 10, 200, 20)];

        var lines = OcrEngine.WithTextOverScan(recognized, [Typed("PAID", 150, 5, 80, 30)], turned: false); // covers 50 of 200 px

        Assert.Equal(["TOTAL 12.50", "PAID"], lines.Select(l => l.Text));
    }

    [Fact]
    public void On_a_page_read_upside_down_typed_text_follows_the_recognized_lines()
    {
        List<RecognizedLine> recognized = [Recognized("SECOND", 10, 10, 80, 20), Recognized("FIRST", 10, 40, 80, 20)];

        var lines = OcrEngine.WithTextOverScan(recognized, [Typed("typed", 10, 0, 40, 8)], turned: true);

        Assert.Equal(["SECOND", "FIRST", "typed"], lines.Select(l => l.Text));
    }
}
