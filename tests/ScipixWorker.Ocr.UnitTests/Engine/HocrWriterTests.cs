using System.Numerics;
using System.Xml.Linq;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class HocrWriterTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";

    [Fact]
    public void Pages_lines_and_words_carry_their_boxes_confidences_and_text_escaped()
    {
        var line = new RecognizedLine("a<b & \"c\"", 0.914f, Quad.FromRectangle(10.4f, 20.6f, 100f, 30f))
        {
            Words =
            [
                new RecognizedWord("a<b", 0.95f, Quad.FromRectangle(10.4f, 20.6f, 40f, 30f)),
                new RecognizedWord("&", 0.5f, Quad.FromRectangle(55f, 20.6f, 10f, 30f)),
                new RecognizedWord("\"c\"", 1f, Quad.FromRectangle(70f, 20.6f, 40.4f, 30f)),
            ],
        };
        var document = Document(new OcrPage(2, 640, 480, [line], line.Text, OcrTimings.Zero));

        var hocr = Parse(HocrWriter.Write(document, "scans/a \"b\".png"));

        var page = Assert.Single(Classed(hocr, "ocr_page"));
        Assert.Equal("page_2", (string?)page.Attribute("id"));
        Assert.Equal("image \"scans/a \\\"b\\\".png\"; bbox 0 0 640 480; ppageno 1", (string?)page.Attribute("title"));
        var hocrLine = Assert.Single(Classed(hocr, "ocr_line"));
        Assert.Equal("bbox 10 20 111 51; baseline 0 0; x_wconf 91", (string?)hocrLine.Attribute("title"));
        var words = Classed(hocr, "ocrx_word").ToList();
        Assert.Equal(["a<b", "&", "\"c\""], words.Select(w => w.Value));
        Assert.Equal(["bbox 10 20 51 51; x_wconf 95", "bbox 55 20 65 51; x_wconf 50", "bbox 70 20 111 51; x_wconf 100"], words.Select(w => (string?)w.Attribute("title")));
        Assert.Equal(["word_2_1_1", "word_2_1_2", "word_2_1_3"], words.Select(w => (string?)w.Attribute("id")));
        Assert.Equal("1", Meta(hocr, "ocr-number-of-pages"));
    }

    [Fact]
    public void A_sloped_line_gets_its_baseline_and_lines_read_upside_down_or_sideways_their_angle()
    {
        // Bottom edge from (0, 40) to (200, 44): slope 0.02; at the bbox's left (x 0) 40, the bbox's bottom 44: offset -4.
        var sloped = new RecognizedLine("sloped", 0.9f, new Quad(new(0, 10), new(200, 14), new(200, 44), new(0, 40)));
        var upsideDown = new RecognizedLine("down", 0.9f, Quad.FromRectangle(0, 100, 200, 30).UpsideDown());
        // Read bottom to top: the text's top edge runs up the page.
        var sideways = new RecognizedLine("up", 0.9f, new Quad(new(10, 400), new(10, 200), new(40, 200), new(40, 400)));
        var down = new RecognizedLine("down", 0.9f, new Quad(new(40, 200), new(40, 400), new(10, 400), new(10, 200)));
        var document = Document(new OcrPage(1, 500, 500, [sloped, upsideDown, sideways, down], string.Empty, OcrTimings.Zero));

        var titles = Classed(Parse(HocrWriter.Write(document)), "ocr_line").Select(l => (string?)l.Attribute("title")).ToList();

        Assert.Equal("bbox 0 10 200 44; baseline 0.02 -4; x_wconf 90", titles[0]);
        Assert.Contains("textangle 180;", titles[1], StringComparison.Ordinal);
        Assert.Contains("textangle 90;", titles[2], StringComparison.Ordinal);
        Assert.Contains("textangle 270;", titles[3], StringComparison.Ordinal);
        Assert.Equal(0, HocrWriter.TextAngle(Quad.FromRectangle(0, 0, 10, 5)));
    }

    [Fact]
    public void A_text_layer_page_is_in_points_and_characters_XML_cannot_carry_are_replaced()
    {
        var line = new RecognizedLine("form\u0001feed \U0001F600", 1f, Quad.FromRectangle(72, 72, 100, 12)); // no words: the line is one
        var blank = new RecognizedLine("  ", 0.1f, Quad.FromRectangle(0, 0, 5, 5));
        var document = Document(new OcrPage(1, 595, 842, [blank, line], line.Text, OcrTimings.Zero) { Source = PageSource.TextLayer });

        var hocr = Parse(HocrWriter.Write(document));

        Assert.EndsWith("; scan_res 72 72", (string?)Assert.Single(Classed(hocr, "ocr_page")).Attribute("title"), StringComparison.Ordinal);
        var word = Assert.Single(Classed(hocr, "ocrx_word")); // the blank line is left out
        Assert.Equal("form\uFFFDfeed \U0001F600", word.Value);
        Assert.Equal("line_1_2", (string?)Assert.Single(Classed(hocr, "ocr_line")).Attribute("id"));
    }

    private static OcrDocument Document(params OcrPage[] pages) => new(pages);

    private static XDocument Parse(byte[] hocr)
    {
        using var stream = new MemoryStream(hocr);
        return XDocument.Load(stream);
    }

    private static IEnumerable<XElement> Classed(XDocument hocr, string name) =>
        hocr.Descendants().Where(e => (string?)e.Attribute("class") == name);

    private static string? Meta(XDocument hocr, string name) =>
        (string?)hocr.Descendants(Xhtml + "meta").Single(m => (string?)m.Attribute("name") == name).Attribute("content");
}
