using System.Globalization;
using System.Numerics;
using System.Text;
using System.Xml;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A result as ALTO 4.4 XML, the layout-and-text format of libraries, archives and digitisation pipelines (the Library
/// of Congress' standard): per page a <c>Page</c> with its <c>PrintSpace</c>, a <c>TextBlock</c> per paragraph
/// (<see cref="OcrPage.Paragraphs"/>) holding its lines in reading order (turned by their text angle where the page was
/// read turned), <c>TextLine</c>s with their
/// <c>BASELINE</c> (the bottom edge of the line's box), and per word a <c>String</c> (box, <c>CONTENT</c>, <c>WC</c>: the
/// confidence 0..1) with <c>SP</c> between words; a word not upright also carries its exact quadrilateral
/// (<c>Shape/Polygon</c>). Coordinates are the result's: pixels (<c>MeasurementUnit</c> pixel), points on a born-digital
/// PDF page. Characters XML cannot carry become U+FFFD.
/// </summary>
public static class AltoWriter
{
    private const string Namespace = "http://www.loc.gov/standards/alto/ns-v4#";
    private const string Schema = "http://www.w3.org/2001/XMLSchema-instance";

    /// <summary>The ALTO of <paramref name="document"/> as UTF-8 bytes.</summary>
    /// <param name="document">The result.</param>
    /// <param name="imageName">The source's name, written as <c>sourceImageInformation/fileName</c>; null for none.</param>
    public static byte[] Write(OcrDocument document, string? imageName = null)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " }))
        {
            xml.WriteStartDocument();
            xml.WriteStartElement("alto", Namespace);
            xml.WriteAttributeString("xmlns", "xsi", null, Schema);
            xml.WriteAttributeString("schemaLocation", Schema, $"{Namespace} http://www.loc.gov/alto/v4/alto-4-4.xsd");
            xml.WriteStartElement("Description", Namespace);
            xml.WriteElementString("MeasurementUnit", Namespace, "pixel");
            if (imageName is not null)
            {
                xml.WriteStartElement("sourceImageInformation", Namespace);
                xml.WriteElementString("fileName", Namespace, HocrWriter.Clean(imageName));
                xml.WriteEndElement();
            }

            xml.WriteStartElement("Processing", Namespace);
            xml.WriteAttributeString("ID", "OCR_0");
            xml.WriteStartElement("processingSoftware", Namespace);
            xml.WriteElementString("softwareName", Namespace, "ScipixWorker (PaddleOCR PP-OCRv4 on ONNX Runtime)");
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();

            xml.WriteStartElement("Layout", Namespace);
            foreach (var page in document.Pages)
            {
                WritePage(xml, page);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    private static void WritePage(XmlWriter xml, OcrPage page)
    {
        var n = page.PageNumber.ToString(CultureInfo.InvariantCulture);
        xml.WriteStartElement("Page", Namespace);
        xml.WriteAttributeString("ID", $"page_{n}");
        xml.WriteAttributeString("PHYSICAL_IMG_NR", n);
        Box(xml, 0, 0, page.Width, page.Height, withPosition: false);
        xml.WriteStartElement("PrintSpace", Namespace);
        Box(xml, 0, 0, page.Width, page.Height);
        var paragraphs = page.Paragraphs;
        var shown = 0;
        for (var p = 0; p < paragraphs.Count; p++)
        {
            var lines = page.Lines.Skip(paragraphs[p].FirstLine).Take(paragraphs[p].LineCount).Where(l => !string.IsNullOrWhiteSpace(l.Text)).ToList();
            if (lines.Count == 0)
            {
                continue;
            }

            xml.WriteStartElement("TextBlock", Namespace);
            xml.WriteAttributeString("ID", $"block_{n}_{p + 1}");
            Box(xml, lines.Min(l => l.Box.MinX), lines.Min(l => l.Box.MinY), lines.Max(l => l.Box.MaxX), lines.Max(l => l.Box.MaxY));
            // The angle most of its lines run at: a paragraph read upside down or sideways is a turned block.
            var angle = lines.GroupBy(l => (int)Math.Round(HocrWriter.TextAngle(l.Box) / 90.0) % 4 * 90).MaxBy(g => g.Count())!.Key;
            if (angle != 0)
            {
                xml.WriteAttributeString("ROTATION", angle.ToString(CultureInfo.InvariantCulture));
            }

            foreach (var line in lines)
            {
                WriteLine(xml, line, $"{n}_{++shown}");
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void WriteLine(XmlWriter xml, RecognizedLine line, string id)
    {
        xml.WriteStartElement("TextLine", Namespace);
        xml.WriteAttributeString("ID", $"line_{id}");
        Box(xml, line.Box.MinX, line.Box.MinY, line.Box.MaxX, line.Box.MaxY);
        xml.WriteAttributeString("BASELINE", Points([line.Box.BottomLeft, line.Box.BottomRight]));
        var words = line.WordsOrWhole;
        for (var w = 0; w < words.Count; w++)
        {
            var word = words[w];
            if (w > 0)
            {
                // The gap from the word before, where there is one.
                var (left, right) = (words[w - 1].Box.MaxX, word.Box.MinX);
                xml.WriteStartElement("SP", Namespace);
                if (right > left)
                {
                    xml.WriteAttributeString("WIDTH", Whole(right - left));
                    xml.WriteAttributeString("HPOS", Whole(left));
                    xml.WriteAttributeString("VPOS", Whole(line.Box.MinY));
                }

                xml.WriteEndElement();
            }

            xml.WriteStartElement("String", Namespace);
            xml.WriteAttributeString("ID", $"string_{id}_{w + 1}");
            Box(xml, word.Box.MinX, word.Box.MinY, word.Box.MaxX, word.Box.MaxY);
            xml.WriteAttributeString("CONTENT", HocrWriter.Clean(word.Text));
            xml.WriteAttributeString("WC", Math.Round(Math.Clamp(word.Confidence, 0f, 1f), 3).ToString("0.###", CultureInfo.InvariantCulture));
            if (HocrWriter.TextAngle(word.Box) != 0)
            {
                xml.WriteStartElement("Shape", Namespace);
                xml.WriteStartElement("Polygon", Namespace);
                xml.WriteAttributeString("POINTS", Points([word.Box.TopLeft, word.Box.TopRight, word.Box.BottomRight, word.Box.BottomLeft]));
                xml.WriteEndElement();
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    // HPOS, VPOS, WIDTH, HEIGHT in whole units covering the span (the page's own: WIDTH and HEIGHT only).
    private static void Box(XmlWriter xml, float minX, float minY, float maxX, float maxY, bool withPosition = true)
    {
        var (left, top) = (MathF.Floor(minX), MathF.Floor(minY));
        if (withPosition)
        {
            xml.WriteAttributeString("HPOS", Whole(left));
            xml.WriteAttributeString("VPOS", Whole(top));
        }

        xml.WriteAttributeString("WIDTH", Whole(MathF.Ceiling(maxX) - left));
        xml.WriteAttributeString("HEIGHT", Whole(MathF.Ceiling(maxY) - top));
    }

    private static string Whole(float value) => ((int)MathF.Round(value)).ToString(CultureInfo.InvariantCulture);

    private static string Points(IEnumerable<Vector2> points) =>
        string.Join(' ', points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{Math.Round(p.X, 1)},{Math.Round(p.Y, 1)}")));
}
