using System.Globalization;
using System.Text;
using System.Xml;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A result as hOCR 1.2 (XHTML with OCR properties in <c>title</c> attributes), the format Tesseract writes and tools such
/// as OCRmyPDF's hocrtransform, hocr-tools and digital-library pipelines read to make searchable PDFs or index pages:
/// <list type="bullet">
/// <item><c>ocr_page</c> per page: <c>bbox 0 0 width height</c>, <c>ppageno</c> (0-based page number in the file), the
///   image's name where given, and <c>scan_res 72 72</c> for a born-digital PDF page read from its text (its coordinates
///   are points).</item>
/// <item><c>ocr_carea</c> holding one <c>ocr_par</c> per paragraph (<see cref="OcrPage.Paragraphs"/>), as Tesseract nests
///   them: <c>bbox</c> round its lines.</item>
/// <item><c>ocr_line</c> per line in reading order: <c>bbox</c> (the bounds of its four corners), <c>baseline</c> (slope and
///   offset from the bottom-left of the bbox, along the bottom edge of its box) where the text runs within 45° of left to
///   right, else <c>textangle</c> (degrees counter-clockwise: 180 for text read upside down, 90 and 270 sideways);
///   <c>x_wconf</c>.</item>
/// <item><c>ocrx_word</c> per word: <c>bbox</c> and <c>x_wconf</c> (confidence in percent).</item>
/// </list>
/// Characters XML cannot carry (control characters from a PDF's text) become U+FFFD.
/// </summary>
public static class HocrWriter
{
    /// <summary>The hOCR of <paramref name="document"/> as UTF-8 bytes.</summary>
    /// <param name="document">The result.</param>
    /// <param name="imageName">The source's name, written as each page's <c>image</c> property; null for none.</param>
    public static byte[] Write(OcrDocument document, string? imageName = null)
    {
        using var buffer = new MemoryStream();
        using (var xml = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true, IndentChars = " " }))
        {
            xml.WriteStartDocument();
            xml.WriteDocType("html", "-//W3C//DTD XHTML 1.0 Transitional//EN", "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd", null);
            xml.WriteStartElement("html", "http://www.w3.org/1999/xhtml");
            xml.WriteAttributeString("xml", "lang", null, "en");
            xml.WriteAttributeString("lang", "en");
            xml.WriteStartElement("head");
            xml.WriteElementString("title", imageName is null ? string.Empty : Clean(imageName));
            Meta(xml, "http-equiv", "Content-Type", "text/html;charset=utf-8");
            Meta(xml, "name", "ocr-system", "ScipixWorker (PaddleOCR PP-OCRv4 on ONNX Runtime)");
            Meta(xml, "name", "ocr-capabilities", "ocr_page ocr_carea ocr_par ocr_line ocrx_word ocrp_wconf");
            Meta(xml, "name", "ocr-number-of-pages", document.Pages.Count.ToString(CultureInfo.InvariantCulture));
            xml.WriteEndElement();
            xml.WriteStartElement("body");
            foreach (var page in document.Pages)
            {
                WritePage(xml, page, imageName);
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndDocument();
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// The text's angle in whole degrees counter-clockwise from left to right (0..359), from the box's top edge as the text
    /// reads (image coordinates, y down).
    /// </summary>
    public static int TextAngle(Quad box)
    {
        var along = box.TopRight - box.TopLeft;
        var degrees = Math.Atan2(-along.Y, along.X) * 180 / Math.PI;
        return ((int)Math.Round(degrees) % 360 + 360) % 360;
    }

    private static void WritePage(XmlWriter xml, OcrPage page, string? imageName)
    {
        var id = page.PageNumber.ToString(CultureInfo.InvariantCulture);
        var title = new StringBuilder();
        if (imageName is not null)
        {
            title.Append("image \"").Append(Clean(imageName).Replace("\"", "\\\"", StringComparison.Ordinal)).Append("\"; ");
        }

        title.Append(Invariant($"bbox 0 0 {page.Width} {page.Height}; ppageno {page.PageNumber - 1}"));
        if (page.Source == PageSource.TextLayer)
        {
            title.Append("; scan_res 72 72");
        }

        xml.WriteStartElement("div");
        xml.WriteAttributeString("class", "ocr_page");
        xml.WriteAttributeString("id", $"page_{id}");
        xml.WriteAttributeString("title", title.ToString());
        var paragraphs = page.Paragraphs;
        for (var p = 0; p < paragraphs.Count; p++)
        {
            var paragraph = paragraphs[p];
            var shown = Enumerable.Range(paragraph.FirstLine, paragraph.LineCount).Where(l => !string.IsNullOrWhiteSpace(page.Lines[l].Text)).ToList();
            if (shown.Count == 0)
            {
                continue;
            }

            // Tesseract's nesting: a content area holding one paragraph.
            var (paragraphId, bbox) = ($"{id}_{p + 1}", Bbox(paragraph.Box));
            xml.WriteStartElement("div");
            xml.WriteAttributeString("class", "ocr_carea");
            xml.WriteAttributeString("id", $"block_{paragraphId}");
            xml.WriteAttributeString("title", bbox);
            xml.WriteStartElement("p");
            xml.WriteAttributeString("class", "ocr_par");
            xml.WriteAttributeString("id", $"par_{paragraphId}");
            xml.WriteAttributeString("title", bbox);
            foreach (var l in shown)
            {
                WriteLine(xml, page.Lines[l], $"{id}_{l + 1}");
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        }

        xml.WriteEndElement();
    }

    private static void WriteLine(XmlWriter xml, RecognizedLine line, string lineId)
    {
        xml.WriteStartElement("span");
        xml.WriteAttributeString("class", "ocr_line");
        xml.WriteAttributeString("id", $"line_{lineId}");
        xml.WriteAttributeString("title", Invariant($"{Bbox(line.Box)}; {Direction(line.Box)}; x_wconf {Percent(line.Confidence)}"));
        var words = line.WordsOrWhole;
        for (var w = 0; w < words.Count; w++)
        {
            xml.WriteStartElement("span");
            xml.WriteAttributeString("class", "ocrx_word");
            xml.WriteAttributeString("id", $"word_{lineId}_{w + 1}");
            xml.WriteAttributeString("title", Invariant($"{Bbox(words[w].Box)}; x_wconf {Percent(words[w].Confidence)}"));
            xml.WriteString(Clean(words[w].Text));
            xml.WriteEndElement();
            if (w < words.Count - 1)
            {
                xml.WriteString(" ");
            }
        }

        xml.WriteEndElement();
    }

    private static void Meta(XmlWriter xml, string kind, string name, string content)
    {
        xml.WriteStartElement("meta");
        xml.WriteAttributeString(kind, name);
        xml.WriteAttributeString("content", content);
        xml.WriteEndElement();
    }

    // Whole pixels covering the box: floor of the least, ceiling of the greatest coordinate.
    private static string Bbox(Quad box) =>
        Invariant($"bbox {(int)MathF.Floor(box.MinX)} {(int)MathF.Floor(box.MinY)} {(int)MathF.Ceiling(box.MaxX)} {(int)MathF.Ceiling(box.MaxY)}");

    // Text within 45° of left to right: its baseline along the bottom edge, as slope and offset from the bbox's bottom-left.
    // Otherwise the angle it runs at, which readers of hOCR turn the line by.
    private static string Direction(Quad box)
    {
        var angle = TextAngle(box);
        if (angle is > 45 and < 315)
        {
            return Invariant($"textangle {angle}");
        }

        var run = box.BottomRight.X - box.BottomLeft.X;
        var slope = run > 0 ? (box.BottomRight.Y - box.BottomLeft.Y) / run : 0f;
        var atLeft = box.BottomLeft.Y + (slope * (MathF.Floor(box.MinX) - box.BottomLeft.X));
        // + 0.0: no "-0" where the slope rounds to nothing.
        return Invariant($"baseline {Math.Round(slope, 4) + 0.0} {(int)Math.Round(atLeft - MathF.Ceiling(box.MaxY))}");
    }

    private static int Percent(float confidence) => (int)Math.Round(Math.Clamp(confidence, 0f, 1f) * 100);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>The text with what XML 1.0 cannot carry (control characters but tab, line feed and carriage return; lone surrogates) as U+FFFD.</summary>
    internal static string Clean(string text)
    {
        if (text.All(XmlConvert.IsXmlChar))
        {
            return text;
        }

        var cleaned = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (i + 1 < text.Length && XmlConvert.IsXmlSurrogatePair(text[i + 1], text[i]))
            {
                cleaned.Append(text, i++, 2);
            }
            else
            {
                cleaned.Append(XmlConvert.IsXmlChar(text[i]) ? text[i] : '\uFFFD');
            }
        }

        return cleaned.ToString();
    }
}
