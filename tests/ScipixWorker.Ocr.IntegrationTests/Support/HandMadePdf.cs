using System.Globalization;
using System.IO.Compression;
using System.Text;
using SkiaSharp;
using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>
/// A one-page PDF written byte by byte, for what PDF writers' APIs do not offer: a scan placed by an arbitrary
/// transformation matrix (<c>cm</c>), as some scanning software turns a page, streams that inflate far beyond their size,
/// or a font whose text maps to no readable characters.
/// </summary>
internal static class HandMadePdf
{
    /// <summary>
    /// A page of <paramref name="pageWidth"/> x <paramref name="pageHeight"/> points showing <paramref name="jpeg"/>
    /// (<paramref name="imageWidth"/> x <paramref name="imageHeight"/> samples, RGB) through the matrix
    /// <paramref name="matrix"/> (six numbers: the image's unit square to the page).
    /// </summary>
    public static byte[] OneJpegPage(byte[] jpeg, int imageWidth, int imageHeight, double pageWidth, double pageHeight, double[] matrix) =>
        OneImagePage(jpeg, "DCTDecode", imageWidth, imageHeight, pageWidth, pageHeight, matrix);

    /// <summary>
    /// The same with any image data and filter; the page's content stream (which draws the image) is stored as it is,
    /// or, with <paramref name="contentPadding"/>, followed by that many more bytes (spaces) and deflated.
    /// </summary>
    public static byte[] OneImagePage(
        byte[] imageData, string imageFilter, int imageWidth, int imageHeight, double pageWidth, double pageHeight, double[] matrix, int contentPadding = 0)
    {
        var content = Encoding.ASCII.GetBytes($"q {string.Join(' ', matrix.Select(Number))} cm /Im0 Do Q\n");
        var contentFilter = string.Empty;
        if (contentPadding > 0)
        {
            content = Deflated(content, (byte)' ', contentPadding);
            contentFilter = " /Filter /FlateDecode";
        }

        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Number(pageWidth)} {Number(pageHeight)}] " +
            "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>");
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {imageWidth} /Height {imageHeight} /ColorSpace /DeviceRGB " +
            $"/BitsPerComponent 8 /Filter /{imageFilter} /Length {imageData.Length} >>", imageData);
        Object(pdf, offsets, $"<< /Length {content.Length}{contentFilter} >>", content);
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// A scanned page as scanners write one: the image filling a page of its size at <paramref name="dpi"/>, its filter
    /// (a name, an array as PDF writes it: <c>[/FlateDecode /JBIG2Decode]</c>, or empty for none), colour space (a name, or
    /// an array: <c>[/Indexed /DeviceRGB 1 &lt;...&gt;]</c>; empty for none, as a stencil mask has) and bits named, with extra entries for its dictionary (<c>/Decode [1 0]</c>), and for JBIG2 its
    /// shared segments as a <c>/JBIG2Globals</c> stream when <paramref name="jbig2Globals"/> is given; with
    /// <paramref name="clockwiseTurn"/> (90, 180 or 270) the image is drawn turned so on a page of the turned size, as
    /// scanning software files a page scanned sideways.
    /// </summary>
    public static byte[] ScanPage(
        byte[] imageData, string filter, int width, int height, string colourSpace, int bitsPerComponent, double dpi = 300,
        string extra = "", byte[]? jbig2Globals = null, int clockwiseTurn = 0)
    {
        double imageWidth = width * 72 / dpi, imageHeight = height * 72 / dpi;
        var (pageWidth, pageHeight) = clockwiseTurn is 90 or 270 ? (imageHeight, imageWidth) : (imageWidth, imageHeight);

        // The image's unit square scaled to its size, turned clockwise and moved back onto the page.
        double[] matrix = clockwiseTurn switch
        {
            0 => [imageWidth, 0, 0, imageHeight, 0, 0],
            90 => [0, -imageWidth, imageHeight, 0, 0, imageWidth],
            180 => [-imageWidth, 0, 0, -imageHeight, imageWidth, imageHeight],
            270 => [0, imageWidth, -imageHeight, 0, imageHeight, 0],
            _ => throw new ArgumentOutOfRangeException(nameof(clockwiseTurn)),
        };
        var content = Encoding.ASCII.GetBytes($"q {string.Join(' ', matrix.Select(Number))} cm /Im0 Do Q\n");
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.5");
        Object(pdf, offsets, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Number(pageWidth)} {Number(pageHeight)}] " +
            "/Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>");
        ImageAndContent(pdf, offsets, imageData, filter, width, height, colourSpace, bitsPerComponent, extra, content, jbig2Globals);
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page whose content stream is <paramref name="content"/> (deflated when <paramref name="deflate"/>), with
    /// Helvetica as <c>/F1</c> and, when <paramref name="form"/> is given, a form XObject <c>/Fm1</c> whose content it is.
    /// </summary>
    public static byte[] TextPage(byte[] content, bool deflate = false, string? form = null)
    {
        var filter = deflate ? " /Filter /FlateDecode" : string.Empty;
        if (deflate)
        {
            content = Deflated(content, 0, 0);
        }

        var formBytes = Encoding.ASCII.GetBytes(form ?? string.Empty);
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
            $"/Resources << /Font << /F1 4 0 R >>{(form is null ? string.Empty : " /XObject << /Fm1 6 0 R >>")} >> /Contents 5 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        Object(pdf, offsets, $"<< /Length {content.Length}{filter} >>", content);
        if (form is not null)
        {
            Object(pdf, offsets, $"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Length {formBytes.Length} >>", formBytes);
        }

        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page showing <paramref name="text"/> (printable ASCII, standard encoding) in a simple Type 1 font whose
    /// program is <paramref name="program"/>, embedded under <paramref name="fontFileKey"/> (<c>FontFile</c>: a Type 1
    /// program; <c>FontFile3</c> with <paramref name="subtype"/> <c>Type1C</c>: a CFF font set), every glyph 600 units wide.
    /// </summary>
    public static byte[] EmbeddedFontText(byte[] program, string fontFileKey, string? subtype, string text)
    {
        var content = Encoding.ASCII.GetBytes($"BT /F1 12 Tf 50 700 Td ({text}) Tj ET\n");
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type1 /BaseFont /HandMade /FirstChar 32 /LastChar 126 " +
            $"/Widths [{string.Join(' ', Enumerable.Repeat(600, 95))}] /FontDescriptor 6 0 R >>");
        Object(pdf, offsets, $"<< /Length {content.Length} >>", content);
        Object(pdf, offsets, "<< /Type /FontDescriptor /FontName /HandMade /Flags 32 /FontBBox [0 0 600 700] /ItalicAngle 0 /Ascent 700 " +
            $"/Descent 0 /CapHeight 700 /StemV 80 /{fontFileKey} 7 0 R >>");
        Object(pdf, offsets, $"<< /Length {program.Length}{(subtype is null ? string.Empty : $" /Subtype /{subtype}")} >>", program);
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page showing <paramref name="text"/> (printable ASCII) in a subset TrueType font (not embedded) whose
    /// <c>/ToUnicode</c> map sends every character code to the private-use code point U+E000 + code, as subset fonts
    /// without a usable mapping read.
    /// </summary>
    public static byte[] OneTextPageWithoutUnicode(string text)
    {
        var content = Encoding.ASCII.GetBytes($"BT /F1 12 Tf 50 700 Td ({text}) Tj ET\n");
        var cmap = Encoding.ASCII.GetBytes(
            "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /PrivateUse def /CMapType 2 def\n" +
            "1 begincodespacerange <00> <FF> endcodespacerange\n1 beginbfrange <20> <7E> <E020> endbfrange\n" +
            "endcmap CMapName currentdict /CMap defineresource pop end end\n");
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /TrueType /BaseFont /ABCDEF+Subset /FirstChar 32 /LastChar 126 " +
            $"/Widths [{string.Join(' ', Enumerable.Repeat(500, 95))}] /FontDescriptor 7 0 R /ToUnicode 6 0 R >>");
        Object(pdf, offsets, $"<< /Length {content.Length} >>", content);
        Object(pdf, offsets, $"<< /Length {cmap.Length} >>", cmap);
        Object(pdf, offsets, "<< /Type /FontDescriptor /FontName /ABCDEF+Subset /Flags 4 /FontBBox [0 -200 1000 900] /ItalicAngle 0 " +
            "/Ascent 900 /Descent -200 /CapHeight 700 /StemV 80 >>");
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page with a line of Helvetica and, under it at half a point a pixel, <paramref name="jpeg"/> (RGB,
    /// <paramref name="width"/> x <paramref name="height"/>) with a soft mask (<c>/SMask</c>) of <paramref name="opacity"/>
    /// (a byte a pixel, 255 opaque), as a logo with a transparent ground is stored.
    /// </summary>
    public static byte[] TextAndSoftMaskedJpeg(byte[] jpeg, int width, int height, byte[] opacity)
    {
        var content = Encoding.ASCII.GetBytes(
            $"BT /F1 12 Tf 50 760 Td (A logo with a transparent ground:) Tj ET\nq {Number(width / 2.0)} 0 0 {Number(height / 2.0)} 50 650 cm /Im0 Do Q\n");
        var mask = Deflated(opacity, 0, 0);
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
            "/Resources << /Font << /F1 4 0 R >> /XObject << /Im0 5 0 R >> >> /Contents 7 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceRGB " +
            $"/BitsPerComponent 8 /Filter /DCTDecode /SMask 6 0 R /Length {jpeg.Length} >>", jpeg);
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ColorSpace /DeviceGray " +
            $"/BitsPerComponent 8 /Filter /FlateDecode /Length {mask.Length} >>", mask);
        Object(pdf, offsets, $"<< /Length {content.Length} >>", content);
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page with a line of Helvetica text and under it a picture (<paramref name="width"/> x
    /// <paramref name="height"/> samples drawn a point a sample) in any filter, for JBIG2 with its globals.
    /// </summary>
    public static byte[] TextAndPicture(
        byte[] imageData, string filter, int width, int height, string colourSpace, int bitsPerComponent, byte[]? jbig2Globals = null)
    {
        var content = Encoding.ASCII.GetBytes(
            $"BT /F1 12 Tf 50 760 Td (A picture pasted under a line of text:) Tj ET\nq {width} 0 0 {height} 50 650 cm /Im0 Do Q\n");
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.5");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] " +
            "/Resources << /Font << /F1 4 0 R >> /XObject << /Im0 5 0 R >> >> /Contents 6 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
        ImageAndContent(pdf, offsets, imageData, filter, width, height, colourSpace, bitsPerComponent, string.Empty, content, jbig2Globals);
        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page of <paramref name="lines"/> (11 points, 16 apart) in DejaVu Sans (fixtures/fonts) embedded whole as a
    /// composite font coded by glyph numbers (<c>/Identity-H</c>, <c>/CIDToGIDMap /Identity</c>) without a ToUnicode map,
    /// as some generators write it: a text tool reads each glyph's number as a character ("Quotation" as "4XRWDWLRQ").
    /// </summary>
    public static byte[] GlyphNumberedText(params string[] lines) => GlyphNumberedText(Fixtures.Bytes("fonts", "DejaVuSans.ttf"), lines);

    /// <summary>
    /// The same, with <paramref name="file"/> (DejaVu Sans, changed or not) as the font program; with
    /// <paramref name="inForm"/> the text is drawn by a form XObject the page draws, the font among the form's resources.
    /// </summary>
    public static byte[] GlyphNumberedText(byte[] file, string[] lines, bool inForm = false)
    {
        var font = TrueTypeFontParser.Parse(new TrueTypeDataBytes(file));
        var widths = new SortedDictionary<int, double>();
        var content = new StringBuilder("BT /F1 11 Tf 50 760 Td 16 TL\n");
        foreach (var line in lines)
        {
            content.Append('<');
            foreach (var character in line)
            {
                font.TableRegister.CMapTable.TryGetGlyphIndex(character, out var glyph);
                font.TryGetAdvanceWidth(character, out var advance);
                widths[glyph] = advance * 1000 / font.TableRegister.HeaderTable.UnitsPerEm;
                content.Append(glyph.ToString("X4", CultureInfo.InvariantCulture));
            }

            content.Append("> Tj T*\n");
        }

        var text = Deflated(Encoding.ASCII.GetBytes(content.Append("ET\n").ToString()), 0, 0);
        var program = Deflated(file, 0, 0);
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.7");
        Object(pdf, offsets, inForm
            ? "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Fm0 5 0 R >> >> /Contents 9 0 R >>"
            : "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type0 /BaseFont /DejaVuSans /Encoding /Identity-H /DescendantFonts [6 0 R] >>");
        Object(pdf, offsets, inForm
            ? $"<< /Type /XObject /Subtype /Form /BBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Length {text.Length} /Filter /FlateDecode >>"
            : $"<< /Length {text.Length} /Filter /FlateDecode >>", text);
        Object(pdf, offsets, "<< /Type /Font /Subtype /CIDFontType2 /BaseFont /DejaVuSans /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) " +
            $"/Supplement 0 >> /FontDescriptor 7 0 R /CIDToGIDMap /Identity /W [{string.Join(' ', widths.Select(w => $"{w.Key} [{Number(w.Value)}]"))}] >>");
        Object(pdf, offsets, "<< /Type /FontDescriptor /FontName /DejaVuSans /Flags 32 /FontBBox [-1021 -463 1793 1232] /ItalicAngle 0 " +
            "/Ascent 928 /Descent -236 /CapHeight 729 /StemV 80 /FontFile2 8 0 R >>");
        Object(pdf, offsets, $"<< /Length {program.Length} /Length1 {file.Length} /Filter /FlateDecode >>", program);
        if (inForm)
        {
            var draw = Encoding.ASCII.GetBytes("q /Fm0 Do Q\n");
            Object(pdf, offsets, $"<< /Length {draw.Length} >>", draw);
        }

        return Finish(pdf, offsets);
    }

    /// <summary>
    /// An A4 page of <paramref name="lines"/> (12 points, 18 apart) in a Type 3 font of bitmap glyphs: DejaVu Sans
    /// (fixtures/fonts) rendered at 50 pixels an em (about 300 dpi), each glyph an inline image mask in ASCII hex with the
    /// default decoding (a 0 bit paints), coded 1, 2, 3, ... in the order the characters first appear (a space too: a
    /// glyph that draws nothing), its names g1, g2, ... and no ToUnicode map, as a subset of a bitmap font is written:
    /// a text tool reads control characters.
    /// </summary>
    public static byte[] Type3Bitmaps(params string[] lines)
    {
        const float Em = 50;
        var characters = lines.SelectMany(l => l).Distinct().ToList();
        using var typeface = SKTypeface.FromFile(Fixtures.Path("fonts", "DejaVuSans.ttf"));
        using var font = new SKFont(typeface, Em);
        var procedures = characters.Select(c => Encoding.ASCII.GetBytes(BitmapGlyph(font, c))).ToList();
        var widths = characters.Select(c => Number(font.MeasureText(c.ToString())));
        var content = new StringBuilder("BT /F1 12 Tf 50 760 Td 18 TL\n");
        foreach (var line in lines)
        {
            content.Append('<').Append(string.Concat(line.Select(c => (characters.IndexOf(c) + 1).ToString("X2", CultureInfo.InvariantCulture)))).Append("> Tj T*\n");
        }

        var text = Encoding.ASCII.GetBytes(content.Append("ET\n").ToString());
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.4");
        Object(pdf, offsets, "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>");
        Object(pdf, offsets, "<< /Type /Font /Subtype /Type3 /FontBBox [-10 -20 60 60] /FontMatrix [0.02 0 0 0.02 0 0] " +
            $"/CharProcs << {string.Join(' ', characters.Select((_, i) => $"/g{i + 1} {6 + i} 0 R"))} >> " +
            $"/Encoding << /Type /Encoding /Differences [1 {string.Join(' ', characters.Select((_, i) => $"/g{i + 1}"))}] >> " +
            $"/FirstChar 1 /LastChar {characters.Count} /Widths [{string.Join(' ', widths)}] /Resources << >> >>");
        Object(pdf, offsets, $"<< /Length {text.Length} >>", text);
        foreach (var procedure in procedures)
        {
            Object(pdf, offsets, $"<< /Length {procedure.Length} >>", procedure);
        }

        return Finish(pdf, offsets);
    }

    // A glyph procedure: the character's advance and ink box (d1), then its pixels as an image mask placed over that box.
    private static string BitmapGlyph(SKFont font, char character)
    {
        var advance = Number(font.MeasureText(character.ToString()));
        const int Size = 100, OriginX = 20, Baseline = 70;
        using var bitmap = new SKBitmap(Size, Size, SKColorType.Gray8, SKAlphaType.Opaque);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.White);
            using var paint = new SKPaint { Color = SKColors.Black, IsAntialias = true };
            canvas.DrawText(character.ToString(), OriginX, Baseline, SKTextAlign.Left, font, paint);
        }

        var ink = Enumerable.Range(0, Size * Size).Where(i => bitmap.GetPixel(i % Size, i / Size).Red < 128).ToList();
        if (ink.Count == 0)
        {
            return $"{advance} 0 0 0 0 0 d1\n"; // a space: nothing drawn
        }

        var (x0, x1) = (ink.Min(i => i % Size), ink.Max(i => i % Size));
        var (y0, y1) = (ink.Min(i => i / Size), ink.Max(i => i / Size));
        var (width, height) = (x1 - x0 + 1, y1 - y0 + 1);
        var rows = new StringBuilder();
        for (var y = y0; y <= y1; y++)
        {
            var row = new byte[(width + 7) / 8];
            Array.Fill(row, (byte)0xFF); // a 1 bit leaves the page as it is
            for (var x = 0; x < width; x++)
            {
                if (bitmap.GetPixel(x0 + x, y).Red < 128)
                {
                    row[x / 8] &= (byte)~(0x80 >> (x % 8)); // a 0 bit paints
                }
            }

            rows.Append(Convert.ToHexString(row));
        }

        var (left, bottom) = (x0 - OriginX, Baseline - y1 - 1);
        return $"{advance} 0 {left} {bottom} {left + width} {bottom + height} d1\n" +
            $"q {width} 0 0 {height} {left} {bottom} cm\nBI /IM true /W {width} /H {height} /BPC 1 /F /AHx ID {rows}> EI Q\n";
    }

    /// <summary><paramref name="length"/> zero bytes, deflated (zlib): about a thousandth of their size.</summary>
    public static byte[] DeflatedZeros(long length) => Deflated([], 0, length);

    // head, then length bytes of fill, deflated (zlib).
    private static byte[] Deflated(byte[] head, byte fill, long length)
    {
        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            zlib.Write(head);
            var run = new byte[1 << 20];
            Array.Fill(run, fill);
            for (var left = length; left > 0; left -= run.Length)
            {
                zlib.Write(run, 0, (int)Math.Min(left, run.Length));
            }
        }

        return deflated.ToArray();
    }

    // The header, the catalogue (object 1) and a page tree of one page (object 2, its page object 3, written next).
    private static void OnePage(MemoryStream pdf, List<long> offsets, string version)
    {
        Write(pdf, $"%PDF-{version}\n");
        Object(pdf, offsets, "<< /Type /Catalog /Pages 2 0 R >>");
        Object(pdf, offsets, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
    }

    /// <summary>
    /// A page of mixed raster content, as compact-PDF scanners and archives write one: <paramref name="background"/> (a JPEG
    /// of <paramref name="width"/> x <paramref name="height"/>, RGB) over the whole page, and over it the page's text as a
    /// stencil mask (<c>/ImageMask true</c>) of the same size in <paramref name="maskFilter"/>, painted in black. The
    /// background may have fewer pixels (<paramref name="backgroundSize"/>: MRC backgrounds are often a third of the text's
    /// resolution), and the mask may be drawn over the left <paramref name="maskWidthShare"/> of the page only.
    /// </summary>
    public static byte[] MixedRasterContent(
        byte[] background, byte[] mask, string maskFilter, int width, int height, string maskParameters = "",
        (int Width, int Height)? backgroundSize = null, double maskWidthShare = 1)
    {
        double pageWidth = width * 72 / 150.0, pageHeight = height * 72 / 150.0;
        var content = Encoding.ASCII.GetBytes(
            $"q {Number(pageWidth)} 0 0 {Number(pageHeight)} 0 0 cm /Im0 Do Q\nq 0 g {Number(pageWidth * maskWidthShare)} 0 0 {Number(pageHeight)} 0 0 cm /Im1 Do Q\n");
        var (backgroundWidth, backgroundHeight) = backgroundSize ?? (width, height);
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        OnePage(pdf, offsets, "1.5");
        Object(pdf, offsets, $"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {Number(pageWidth)} {Number(pageHeight)}] " +
            "/Resources << /XObject << /Im0 4 0 R /Im1 5 0 R >> >> /Contents 6 0 R >>");
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {backgroundWidth} /Height {backgroundHeight} /ColorSpace /DeviceRGB " +
            $"/BitsPerComponent 8 /Filter /DCTDecode /Length {background.Length} >>", background);
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} /ImageMask true " +
            $"/Filter /{maskFilter}{maskParameters} /Length {mask.Length} >>", mask);
        Object(pdf, offsets, $"<< /Length {content.Length} >>", content);
        return Finish(pdf, offsets);
    }

    // An image XObject (its filter a name, or an array as written), then the page's content stream, then for JBIG2 its
    // globals, which the image refers to.
    private static void ImageAndContent(
        MemoryStream pdf, List<long> offsets, byte[] imageData, string filter, int width, int height, string colourSpace, int bitsPerComponent,
        string extra, byte[] content, byte[]? jbig2Globals)
    {
        var parameters = jbig2Globals is null ? string.Empty : $" /DecodeParms << /JBIG2Globals {offsets.Count + 3} 0 R >>";
        var filterEntry = filter.Length == 0 ? string.Empty : $" /Filter {(filter.StartsWith('[') ? filter : "/" + filter)}";
        Object(pdf, offsets, $"<< /Type /XObject /Subtype /Image /Width {width} /Height {height} {(colourSpace.Length == 0 ? string.Empty : $"/ColorSpace {(colourSpace.StartsWith('[') ? colourSpace : "/" + colourSpace)} ")}" +
            $"/BitsPerComponent {bitsPerComponent}{filterEntry}{parameters}{extra} /Length {imageData.Length} >>", imageData);
        Object(pdf, offsets, $"<< /Length {content.Length} >>", content);
        if (jbig2Globals is not null)
        {
            Object(pdf, offsets, $"<< /Length {jbig2Globals.Length} >>", jbig2Globals);
        }
    }

    // The cross-reference table and trailer after the objects: the finished file.
    private static byte[] Finish(MemoryStream pdf, List<long> offsets)
    {
        var xref = pdf.Position;
        Write(pdf, $"xref\n0 {offsets.Count + 1}\n0000000000 65535 f \n");
        foreach (var offset in offsets)
        {
            Write(pdf, $"{offset:D10} 00000 n \n");
        }

        Write(pdf, $"trailer\n<< /Size {offsets.Count + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n");
        return pdf.ToArray();
    }

    /// <summary>
    /// A PDF of the objects given, numbered from 1 in order (object 1 the catalogue), each written as it is; an object
    /// given as <c>(dictionary, stream)</c> gets its stream after it.
    /// </summary>
    public static byte[] Objects(params (string Text, string? Stream)[] objects)
    {
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        Write(pdf, "%PDF-1.4\n");
        foreach (var (text, stream) in objects)
        {
            Object(pdf, offsets, stream is null ? text : $"{text[..^2].TrimEnd()} /Length {stream.Length} >>", stream is null ? null : Encoding.ASCII.GetBytes(stream));
        }

        return Finish(pdf, offsets);
    }

    /// <summary>
    /// A PDF 1.5 of the objects given (numbered from 1, object 1 the catalogue), whose cross-reference is a stream (the
    /// next object: <c>/Type /XRef /W [1 4 2] /Root 1 0 R</c> and <paramref name="entries"/>, its rows deflated) instead
    /// of a table.
    /// </summary>
    public static byte[] WithCrossReferenceStream(string entries, params string[] objects)
    {
        using var pdf = new MemoryStream();
        var offsets = new List<long>();
        Write(pdf, "%PDF-1.5\n");
        foreach (var text in objects)
        {
            Object(pdf, offsets, text);
        }

        var at = pdf.Position;
        using var rows = new MemoryStream();
        rows.Write([0, 0, 0, 0, 0, 0xff, 0xff]); // object 0: free
        foreach (var offset in offsets.Append(at))
        {
            rows.Write([1, (byte)(offset >> 24), (byte)(offset >> 16), (byte)(offset >> 8), (byte)offset, 0, 0]);
        }

        using var deflated = new MemoryStream();
        using (var zlib = new ZLibStream(deflated, CompressionLevel.Optimal, leaveOpen: true))
        {
            zlib.Write(rows.ToArray());
        }

        var data = deflated.ToArray();
        Write(pdf, $"{offsets.Count + 1} 0 obj\n<< /Type /XRef {entries} /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length {data.Length} >>\nstream\n");
        pdf.Write(data);
        Write(pdf, $"\nendstream\nendobj\nstartxref\n{at}\n%%EOF\n");
        return pdf.ToArray();
    }

    private static void Object(MemoryStream pdf, List<long> offsets, string dictionary, byte[]? stream = null)
    {
        offsets.Add(pdf.Position);
        Write(pdf, $"{offsets.Count} 0 obj\n{dictionary}\n");
        if (stream is not null)
        {
            Write(pdf, "stream\n");
            pdf.Write(stream);
            Write(pdf, "\nendstream\n");
        }

        Write(pdf, "endobj\n");
    }

    private static void Write(MemoryStream pdf, string text) => pdf.Write(Encoding.ASCII.GetBytes(text));

    private static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
