using System.Xml.Linq;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.UnitTests.Engine;

public sealed class AltoWriterTests
{
    private static readonly XNamespace Alto = "http://www.loc.gov/standards/alto/ns-v4#";

    [Fact]
    public void Pages_lines_and_words_carry_their_boxes_baselines_and_confidences()
    {
        var line = new RecognizedLine("a<b & c", 0.9f, new Quad(new(10.4f, 20.6f), new(110.4f, 20.6f), new(110.4f, 50.6f), new(10.4f, 49.6f)))
        {
            Words =
            [
                new RecognizedWord("a<b", 0.95f, Quad.FromRectangle(10.4f, 20.6f, 40f, 30f)),
                new RecognizedWord("&", 0.5f, Quad.FromRectangle(55f, 20.6f, 10f, 30f)),
                new RecognizedWord("c", 1f, Quad.FromRectangle(65f, 20.6f, 45.4f, 30f)), // touching the word before: an SP without geometry
            ],
        };
        var document = new OcrDocument([new OcrPage(3, 640, 480, [line], line.Text, OcrTimings.Zero)]);

        var alto = Parse(AltoWriter.Write(document, "scans/a.png"));

        Assert.Equal("scans/a.png", alto.Descendants(Alto + "fileName").Single().Value);
        var page = alto.Descendants(Alto + "Page").Single();
        Assert.Equal(("page_3", "3", "640", "480"), ((string?)page.Attribute("ID"), (string?)page.Attribute("PHYSICAL_IMG_NR"), (string?)page.Attribute("WIDTH"), (string?)page.Attribute("HEIGHT")));
        var block = alto.Descendants(Alto + "TextBlock").Single();
        Assert.Null(block.Attribute("ROTATION"));
        var textLine = block.Elements(Alto + "TextLine").Single();
        Assert.Equal(("10", "20", "101", "31", "10.4,49.6 110.4,50.6"), Box(textLine, "BASELINE"));
        var strings = textLine.Elements(Alto + "String").ToList();
        Assert.Equal(["a<b", "&", "c"], strings.Select(s => (string?)s.Attribute("CONTENT")));
        Assert.Equal(["0.95", "0.5", "1"], strings.Select(s => (string?)s.Attribute("WC")));
        Assert.Equal(("10", "20", "41", "31", null), Box(strings[0]));
        var spaces = textLine.Elements(Alto + "SP").ToList();
        Assert.Equal(2, spaces.Count);
        Assert.Equal("5", (string?)spaces[0].Attribute("WIDTH"));
        Assert.Null(spaces[1].Attribute("WIDTH"));
        Assert.Empty(alto.Descendants(Alto + "Polygon")); // upright words: their boxes say it all
    }

    [Fact]
    public void A_page_read_upside_down_is_one_turned_block_and_its_words_keep_their_quadrilaterals()
    {
        var lines = new[]
        {
            new RecognizedLine("down", 0.9f, Quad.FromRectangle(0, 100, 200, 30).UpsideDown()),
            new RecognizedLine("under", 0.8f, Quad.FromRectangle(0, 50, 200, 30).UpsideDown()),
        };
        var blank = new RecognizedLine(" ", 0.1f, Quad.FromRectangle(0, 0, 5, 5));
        var document = new OcrDocument([new OcrPage(1, 300, 300, [blank, .. lines], "down\nunder", OcrTimings.Zero) { Rotation = 180 }]);

        var alto = Parse(AltoWriter.Write(document));

        Assert.Empty(alto.Descendants(Alto + "sourceImageInformation"));
        Assert.Equal("180", (string?)alto.Descendants(Alto + "TextBlock").Single().Attribute("ROTATION"));
        Assert.Equal(["line_1_1", "line_1_2"], alto.Descendants(Alto + "TextLine").Select(l => (string?)l.Attribute("ID"))); // the blank line left out
        Assert.Equal("200,130 0,130 0,100 200,100", (string?)alto.Descendants(Alto + "Polygon").First().Attribute("POINTS"));
    }

    private static (string?, string?, string?, string?, string?) Box(XElement element, string? extra = null) =>
        ((string?)element.Attribute("HPOS"), (string?)element.Attribute("VPOS"), (string?)element.Attribute("WIDTH"), (string?)element.Attribute("HEIGHT"),
            extra is null ? null : (string?)element.Attribute(extra));

    private static XDocument Parse(byte[] alto)
    {
        using var stream = new MemoryStream(alto);
        return XDocument.Load(stream);
    }
}
