using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Metadata;
using SixLabors.ImageSharp.Metadata.Profiles.Exif;
using SixLabors.ImageSharp.PixelFormats;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Graphics.Operations.SpecialGraphicsState;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// A result as a searchable PDF: each page the image that was read, with every word written over it as invisible text
/// (render mode 3) on its box, so that a viewer finds, selects and copies the words where they are printed, and any
/// PDF text extractor reads them. As OCRmyPDF and Tesseract's PDF renderer make them.
/// <list type="bullet">
/// <item>The image: a JPEG file's own bytes where it can go in as it is (one page, RGB or grey), drawn turned as its EXIF
///   orientation says, and a scanned PDF page's JPEG, JBIG2 or JPEG 2000 image as the file stores it (one upright image
///   the size of the scan, as scanners write them; a JBIG2 image with its shared symbol dictionary, written once for the
///   pages that share it); otherwise the decoded page re-encoded as JPEG (quality 90).</item>
/// <item>The page's size: a PDF source's page size; an image's from its resolution (DPI) where it has a plausible one
///   (50 to 2,400), else 72 DPI (a pixel a point). A page read turned is shown upright (<c>/Rotate</c>).</item>
/// <item>The text: Type 3 fonts whose glyphs draw nothing, each code mapped to its character by a ToUnicode CMap (any
///   script, no font file), one font per 256 distinct characters; each word scaled along its box's bottom edge
///   (baseline), at its box's height, stretched to its box's width.</item>
/// </list>
/// Pages are decoded, encoded and written one at a time, so a long document takes one page's memory. A born-digital
/// PDF page (read from its own text, <see cref="PageSource.TextLayer"/>) is searchable already and has no scan to put
/// text on: it goes in as the file has it (copied by PdfPig; the document is then put together in memory), with the words
/// read from its pictures added over them as invisible text.
/// </summary>
public static class SearchablePdf
{
    /// <summary>The content type of what <see cref="Write"/> writes.</summary>
    public const string ContentType = "application/pdf";

    private const int JpegQuality = 90;

    /// <summary>Writes the searchable PDF of <paramref name="document"/>, the result of reading <paramref name="source"/>.</summary>
    /// <param name="source">The file that was read (its pages are decoded again, within <paramref name="options"/>' limits).</param>
    /// <param name="document">The result.</param>
    /// <param name="options">The engine's options (image limits).</param>
    /// <param name="output">Where the PDF goes.</param>
    /// <param name="cancellationToken">Stops between pages.</param>
    /// <exception cref="OcrException">The source cannot be decoded again.</exception>
    public static void Write(ReadOnlyMemory<byte> source, OcrDocument document, OcrEngineOptions options, Stream output, CancellationToken cancellationToken = default)
    {
        // A PDF source is opened once: for its page sizes and scans, and for the born-digital pages copied as they are.
        using var sourcePdf = ImageLoader.IsPdf(source.Span) ? PdfDocument.Open(source.ToArray()) : null;
        var scans = document.Pages.Where(p => p.Source != PageSource.TextLayer).ToList();
        if (scans.Count == document.Pages.Count)
        {
            WriteScans(source, sourcePdf, document, options, output, cancellationToken);
            return;
        }

        // A PDF with born-digital pages: those go in as the file has them (searchable already, and without a scan to put
        // text on), the scans as made here, in the result's order. PdfPig copies each page with what it uses.
        var original = sourcePdf ?? throw new InvalidOperationException("A page read from a text layer, but the source is no PDF.");
        using var scanned = new MemoryStream();
        if (scans.Count > 0)
        {
            WriteScans(source, original, new OcrDocument(scans), options, scanned, cancellationToken);
        }

        using var made = scans.Count > 0 ? PdfDocument.Open(scanned.ToArray()) : null;
        using (var builder = new PdfDocumentBuilder(output, false, PdfWriterType.Default, 1.7, null))
        {
            var next = 1;
            PdfDocumentBuilder.AddedFont? helvetica = null;
            foreach (var page in document.Pages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (page.Source == PageSource.TextLayer)
                {
                    var copied = builder.AddPage(original, page.PageNumber);
                    AddPictureText(copied, page, original.GetPage(page.PageNumber), () => helvetica ??= builder.AddStandard14Font(Standard14Font.Helvetica));
                }
                else
                {
                    builder.AddPage(made!, next++);
                }
            }

            builder.Build();
        }
    }

    // The words read from the pictures on a born-digital page (and its text drawn as shapes), as invisible text over them,
    // each from its box's bottom-left corner along its baseline, as high as its box, in Helvetica (what it cannot encode, outside Latin-1, is
    // left out: PdfPig's writer has no font for every script). On a page shown turned (/Rotate) the words are written in
    // the page's points as shown, through a transform to the page as stored, so that they lie over the pictures and read
    // along them as shown.
    private static void AddPictureText(PdfPageBuilder target, OcrPage page, UglyToad.PdfPig.Content.Page source, Func<PdfDocumentBuilder.AddedFont> font)
    {
        var words = page.Lines.Where(l => l.FromPicture).SelectMany(l => l.WordsOrWhole).ToList();
        if (words.Count == 0 || AsStored(source) is not { } transform)
        {
            return;
        }

        var (left, bottom, _, height) = PdfTextLayer.Frame(source);
        target.NewContentStreamAfter();
        target.CurrentStream.Operations.Add(Push.Value);
        target.CurrentStream.Operations.Add(new ModifyCurrentTransformationMatrix(transform));
        target.SetTextRenderingMode(TextRenderingMode.Neither);
        foreach (var word in words)
        {
            // Along the word's baseline as it reads (a word read turned on the page runs up or down it), as high as its box:
            // placed as a scanned page's words are (WordPlacement), in the page's points as shown.
            var text = new string([.. word.Text.Where(c => c is (>= '!' and <= '~') or (>= '\u00A1' and <= '\u00FF'))]);
            if (text.Length == 0 || WordPlacement(word.Box, 1, bottom + height) is not { } at)
            {
                continue;
            }

            // A word within 5 degrees of a quarter turn is written square to the page: the slight tilt a detector's box has
            // would otherwise break a line into steps for text tools that group letters by their baselines.
            var angle = Math.Atan2(at.B, at.A);
            var quarter = Math.Round(angle / (Math.PI / 2)) * (Math.PI / 2);
            angle = Math.Abs(angle - quarter) <= 5 * Math.PI / 180 ? quarter : angle;
            var (cos, sin) = (Math.Round(Math.Cos(angle), 6), Math.Round(Math.Sin(angle), 6));
            target.CurrentStream.Operations.Add(Push.Value);
            target.CurrentStream.Operations.Add(new ModifyCurrentTransformationMatrix([cos, sin, -sin, cos, left + at.E, at.F]));
            try
            {
                target.AddText(text, at.Height, new PdfPoint(0, 0), font());
            }
            catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or ArgumentException or KeyNotFoundException)
            {
                // a character Helvetica's encoding lacks after all: the word is left out
            }

            target.CurrentStream.Operations.Add(Pop.Value);
        }

        target.CurrentStream.Operations.Add(Pop.Value);
    }

    // The transform from a page's points as shown (PdfPig's, y up, from the shown page's corner) to its points as stored:
    // none (the identity) on a page shown as stored, a quarter, half or three-quarter turn about the stored box's corner on
    // one shown turned; null for a turn that is no multiple of 90 degrees.
    private static double[]? AsStored(UglyToad.PdfPig.Content.Page page)
    {
        var box = page.CropBox.Bounds;
        var (x0, y0, w, h) = (box.Left, box.Bottom, box.Width, box.Height);
        return (((page.Rotation.Value % 360) + 360) % 360) switch
        {
            0 => [1, 0, 0, 1, 0, 0],
            90 => [0, 1, -1, 0, x0 + w, y0],
            180 => [-1, 0, 0, -1, x0 + w, y0 + h],
            270 => [0, -1, 1, 0, x0, y0 + h],
            _ => null,
        };
    }

    // The PDF of pages that were read from images: each page's image with its words over it. sourcePdf: the source, where
    // it is a PDF.
    private static void WriteScans(
        ReadOnlyMemory<byte> source, PdfDocument? sourcePdf, OcrDocument document, OcrEngineOptions options, Stream output, CancellationToken cancellationToken)
    {
        var (dpi, passThrough, orientation) = sourcePdf is not null ? (72.0, false, 1) : ImageFacts(source);
        var loader = new ImageLoader(options);
        var pdf = new PdfObjectWriter(output);
        pdf.Begin();
        var catalog = pdf.Reserve();
        var pages = pdf.Reserve();
        var fonts = new InvisibleFonts(pdf);
        var kids = new List<int>();
        // The JBIG2 symbol dictionaries written, by their contents' SHA-256: pages that share one share it here too.
        var globals = new Dictionary<string, int>();
        // Decoded only where a page must be re-encoded: a JPEG that goes in as it is needs no pixels.
        ImageLoader.DecodedImage? decoded = null;
        try
        {
            foreach (var page in document.Pages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var index = page.PageNumber - 1;
                var shown = sourcePdf is not null && page.PageNumber <= sourcePdf.NumberOfPages ? sourcePdf.GetPage(page.PageNumber) : null;
                var scale = shown is not null ? Fit((shown.Width, shown.Height), page.Width, page.Height) : 72.0 / dpi;
                // A scanner's PDF: the page's one JPEG, JBIG2 or JPEG 2000 image, as the file stores it.
                var image = shown is null ? null
                    : StoredJpeg(shown, page.Width, page.Height) ?? StoredJbig2(shown, page.Width, page.Height, sourcePdf!, pdf, globals)
                        ?? StoredJpeg2000(shown, page.Width, page.Height);
                var turn = 1;
                if (image is null && passThrough && document.Pages.Count == 1 && JpegSize(source.Span) is { } stored
                    && (orientation < 5 ? stored : (stored.Height, stored.Width)) == (page.Width, page.Height))
                {
                    // The file's own bytes, drawn turned as its EXIF orientation says (the reading used the turned image).
                    image = JpegImage(source.ToArray());
                    turn = orientation;
                }

                if (image is null)
                {
                    decoded ??= loader.Load(source);
                    var raster = decoded.Page(index);
                    try
                    {
                        image = JpegImage(Jpeg(raster));
                    }
                    finally
                    {
                        raster.Release();
                    }
                }

                kids.Add(WritePage(pdf, pages, fonts, page, image, scale, turn));
            }
        }
        finally
        {
            decoded?.Dispose();
        }

        fonts.WriteAll();
        pdf.WriteObject(pages, Invariant($"<< /Type /Pages /Kids [{string.Join(' ', kids.Select(k => $"{k} 0 R"))}] /Count {kids.Count} >>"));
        pdf.WriteObject(catalog, Invariant($"<< /Type /Catalog /Pages {pages} 0 R >>"));
        pdf.Finish(catalog);
    }

    /// <summary>
    /// The text-space matrix that writes a word along its box: origin at the bottom-left corner, x along the bottom edge,
    /// y towards the top edge; null for a box too small to write on. <paramref name="pageHeight"/> and
    /// <paramref name="scale"/> (points a pixel) turn the image's pixels (y down) into the page's points (y up).
    /// </summary>
    internal static (double A, double B, double C, double D, double E, double F, double Length, double Height)? WordPlacement(Quad box, double scale, double pageHeight)
    {
        Vector2 Point(Vector2 p) => new((float)(p.X * scale), (float)(pageHeight - (p.Y * scale)));
        var (left, right, top) = (Point(box.BottomLeft), Point(box.BottomRight), Point(box.TopLeft));
        var along = right - left;
        var length = along.Length();
        if (length < 0.1f)
        {
            return null;
        }

        var u = along / length;
        var rise = top - left;
        var height = Math.Abs((u.X * rise.Y) - (u.Y * rise.X));
        return height < 0.1f ? null : (u.X, u.Y, -u.Y, u.X, left.X, left.Y, length, height);
    }

    // A page's image as it goes into the PDF: its stream's data and its dictionary's entries besides the type.
    private sealed record PageImage(byte[] Data, string Entries);

    // A JPEG, grey or RGB.
    private static PageImage JpegImage(byte[] jpeg)
    {
        var (components, width, height) = JpegFrame(jpeg);
        return new PageImage(jpeg, Invariant(
            $"/Width {width} /Height {height} /ColorSpace {(components == 1 ? "/DeviceGray" : "/DeviceRGB")} /BitsPerComponent 8 /Filter /DCTDecode"));
    }

    private static int WritePage(PdfObjectWriter pdf, int parent, InvisibleFonts fonts, OcrPage page, PageImage pageImage, double scale, int orientation)
    {
        var (width, height) = (page.Width * scale, page.Height * scale);
        var image = pdf.Reserve();
        pdf.WriteStream(image, "/Type /XObject /Subtype /Image " + pageImage.Entries, pageImage.Data);

        var content = new StringBuilder();
        var drawn = ImageMatrix(orientation, width, height);
        content.Append(Invariant($"q {Number(drawn.A)} {Number(drawn.B)} {Number(drawn.C)} {Number(drawn.D)} {Number(drawn.E)} {Number(drawn.F)} cm /Im0 Do Q\nBT 3 Tr\n"));
        var used = new SortedSet<int>();
        foreach (var line in page.Lines)
        {
            var words = line.WordsOrWhole;
            foreach (var word in words)
            {
                var runes = word.Text.EnumerateRunes().Where(r => !Rune.IsWhiteSpace(r)).ToList();
                if (runes.Count == 0 || WordPlacement(word.Box, scale, height) is not { } at)
                {
                    continue;
                }

                // Each glyph is half an em wide: stretch the word to its box's width.
                var stretch = 100 * at.Length / (runes.Count * 0.5 * at.Height);
                content.Append(Invariant($"{Number(stretch)} Tz {Number(at.A)} {Number(at.B)} {Number(at.C)} {Number(at.D)} {Number(at.E)} {Number(at.F)} Tm"));
                var font = -1;
                foreach (var rune in runes)
                {
                    var (f, code) = fonts.Code(rune);
                    if (f != font)
                    {
                        content.Append(font < 0 ? " " : "> Tj ").Append(Invariant($"/F{f} {Number(at.Height)} Tf <"));
                        font = f;
                        used.Add(f);
                    }

                    content.Append(code.ToString("X2", CultureInfo.InvariantCulture));
                }

                content.Append("> Tj\n");
            }
        }

        content.Append("ET\n");
        var contents = pdf.Reserve();
        pdf.WriteCompressedStream(contents, string.Empty, Encoding.ASCII.GetBytes(content.ToString()));
        var number = pdf.Reserve();
        var fontResources = string.Join(' ', used.Select(f => $"/F{f} {fonts.ObjectOf(f)} 0 R"));
        pdf.WriteObject(number, string.Concat(
            Invariant($"<< /Type /Page /Parent {parent} 0 R /MediaBox [0 0 {Number(width)} {Number(height)}] /Rotate {page.Rotation} "),
            Invariant($"/Resources << /XObject << /Im0 {image} 0 R >> /Font << {fontResources} >> >> /Contents {contents} 0 R >>")));
        return number;
    }

    /// <summary>
    /// The matrix that draws an image stored with EXIF <paramref name="orientation"/> (1-8) upright over a page of
    /// <paramref name="width"/> x <paramref name="height"/> points, as the reading saw it (ImageSharp's AutoOrient): the
    /// image's unit square (x to the right along its stored rows, y up from its last row) onto the page.
    /// </summary>
    internal static (double A, double B, double C, double D, double E, double F) ImageMatrix(int orientation, double width, double height)
    {
        // A point of the unit square, (s, t), is the stored pixel (u, v) = (s, 1 - t) in fractions of the stored image
        // (v down); the orientation turns it to the upright fraction (x, y) (y down); the page point is (x W, (1 - y) H).
        (double X, double Y) Upright(double u, double v) => orientation switch
        {
            2 => (1 - u, v),
            3 => (1 - u, 1 - v),
            4 => (u, 1 - v),
            5 => (v, u),
            6 => (1 - v, u),
            7 => (1 - v, 1 - u),
            8 => (v, 1 - u),
            _ => (u, v),
        };

        (double, double) Page(double s, double t)
        {
            var (x, y) = Upright(s, 1 - t);
            return (x * width, (1 - y) * height);
        }

        var (e, f) = Page(0, 0);
        var (ax, ay) = Page(1, 0);
        var (cx, cy) = Page(0, 1);
        return (ax - e, ay - f, cx - e, cy - f, e, f);
    }

    private static byte[] Jpeg(RgbBuffer raster)
    {
        using var image = Image.LoadPixelData<Rgb24>(raster.Data, raster.Width, raster.Height);
        using var encoded = new MemoryStream();
        image.SaveAsJpeg(encoded, new JpegEncoder { Quality = JpegQuality });
        return encoded.ToArray();
    }

    // An image's resolution (dots per inch; 72 where it has none or an implausible one), whether it is a JPEG that can go
    // into the PDF as it is (grey or colour: 1 or 3 components), and its EXIF orientation (1-8; 1 where it has none).
    private static (double Dpi, bool PassThrough, int Orientation) ImageFacts(ReadOnlyMemory<byte> source)
    {
        var info = Image.Identify(source.ToArray(), out var format);
        var dpi = info?.Metadata is { } metadata ? Dpi(metadata) : 72;
        var orientation = info?.Metadata.ExifProfile?.GetValue(ExifTag.Orientation) is { } tag && tag.Value is >= 1 and <= 8 ? tag.Value : 1;
        return (dpi, format is JpegFormat && JpegFrame(source.Span).Components is 1 or 3, orientation);
    }

    private static double Dpi(ImageMetadata metadata)
    {
        var dpi = metadata.ResolutionUnits switch
        {
            PixelResolutionUnit.PixelsPerInch => metadata.HorizontalResolution,
            PixelResolutionUnit.PixelsPerCentimeter => metadata.HorizontalResolution * 2.54,
            PixelResolutionUnit.PixelsPerMeter => metadata.HorizontalResolution * 0.0254,
            _ => 0,
        };
        return dpi is >= 50 and <= 2400 ? dpi : 72;
    }

    // A scanned PDF page's scan as the file stores it, where the page is one JPEG the size of the scan read, drawn upright
    // (what scanners write): its bytes go into the new PDF as they are. Null for anything else (the page is re-encoded):
    // a page shown turned, several images, another filter, a Decode array, other than 8-bit grey or colour.
    private static PageImage? StoredJpeg(UglyToad.PdfPig.Content.Page page, int width, int height)
    {
        if (OnlyImage(page, "DCTDecode") is not { } image || image.ImageDictionary.ContainsKey(NameToken.Decode))
        {
            return null;
        }

        var bytes = image.RawBytes.ToArray();
        return JpegFrame(bytes) is { Components: 1 or 3 } frame && (frame.Width, frame.Height) == (width, height) ? JpegImage(bytes) : null;
    }

    // The page's one image when it is stored with `filter` alone, is no stencil mask and is drawn upright over a page
    // shown as stored (no /Rotate); else null.
    private static UglyToad.PdfPig.Content.IPdfImage? OnlyImage(UglyToad.PdfPig.Content.Page page, string filter)
    {
        if (page.Rotation.Value != 0 || page.GetImages().ToList() is not [var image] || image.IsImageMask
            || !image.ImageDictionary.TryGet(NameToken.Filter, out var named)
            || !(named is NameToken { Data: var name } && name == filter || named is ArrayToken { Data: [NameToken { Data: var only }] } && only == filter))
        {
            return null;
        }

        var box = image.BoundingBox;
        var upright = Math.Abs(box.TopLeft.X - box.BottomLeft.X) < 0.01 && Math.Abs(box.TopLeft.Y - box.TopRight.Y) < 0.01
            && box.TopRight.X > box.TopLeft.X && box.TopLeft.Y > box.BottomLeft.Y;
        return upright ? image : null;
    }

    // A scanner's or an archive's PDF of JPEG 2000: the page's one JPX image as the file stores it, with its colour space
    // where the file names a device one (JPEG 2000 may leave it to the codestream); not one with a soft mask or /Decode.
    private static PageImage? StoredJpeg2000(UglyToad.PdfPig.Content.Page page, int width, int height)
    {
        if (OnlyImage(page, "JPXDecode") is not { } image || (image.WidthInSamples, image.HeightInSamples) != (width, height)
            || image.ImageDictionary.ContainsKey(NameToken.Smask) || image.ImageDictionary.ContainsKey(NameToken.Decode))
        {
            return null;
        }

        var colour = !image.ImageDictionary.TryGet(NameToken.ColorSpace, out var space) ? string.Empty
            : space is NameToken { Data: "DeviceGray" or "DeviceRGB" or "DeviceCMYK" } device ? $" /ColorSpace /{device.Data}" : null;
        return colour is null ? null : new PageImage(image.RawBytes.ToArray(), Invariant($"/Width {width} /Height {height}{colour} /Filter /JPXDecode"));
    }

    // A bitonal scanner's PDF: the page's one JBIG2 image as the file stores it (a few kilobytes where a JPEG of it takes a
    // hundred, and sharp), with its /Decode and its shared symbol dictionary (/JBIG2Globals), written once for the pages
    // that share it. Only as the page shows it: upright, unturned, the size read.
    private static PageImage? StoredJbig2(UglyToad.PdfPig.Content.Page page, int width, int height, PdfDocument source, PdfObjectWriter pdf, Dictionary<string, int> written)
    {
        if (OnlyImage(page, "JBIG2Decode") is not { } image || (image.WidthInSamples, image.HeightInSamples) != (width, height))
        {
            return null;
        }

        var entries = new StringBuilder(Invariant($"/Width {width} /Height {height} /ColorSpace /DeviceGray /BitsPerComponent 1 /Filter /JBIG2Decode"));
        if (image.ImageDictionary.TryGet(NameToken.Decode, out var decode) && decode is ArrayToken { Data: [NumericToken low, NumericToken high] })
        {
            entries.Append(Invariant($" /Decode [{Number(low.Double)} {Number(high.Double)}]"));
        }

        if (PdfPages.HasJbig2Globals(source, image.ImageDictionary, 0, out var stream))
        {
            if (stream is null)
            {
                return null;
            }

            var symbols = stream.Decode(source.Structure.FilterProvider, source.Structure.TokenScanner);
            var key = Convert.ToHexString(SHA256.HashData(symbols.Span));
            if (!written.TryGetValue(key, out var number))
            {
                number = written[key] = pdf.Reserve();
                pdf.WriteStream(number, string.Empty, symbols.Span);
            }

            entries.Append(Invariant($" /DecodeParms << /JBIG2Globals {number} 0 R >>"));
        }

        return new PageImage(image.RawBytes.ToArray(), entries.ToString());
    }

    // Points a pixel that fit the scan onto its PDF page (either way round: a page may be shown turned).
    private static double Fit((double Width, double Height) page, int width, int height)
    {
        var (w, h) = (page.Width / width, page.Height / height);
        var (tw, th) = (page.Height / width, page.Width / height);
        return Math.Abs(w - h) <= Math.Abs(tw - th) ? Math.Min(w, h) : Math.Min(tw, th);
    }

    private static (int Width, int Height)? JpegSize(ReadOnlySpan<byte> jpeg) =>
        JpegFrame(jpeg) is { Components: > 0 } frame ? (frame.Width, frame.Height) : null;

    // The component count and size in a JPEG's start-of-frame segment; zeros where there is none, or one a PDF reader may
    // not decode.
    internal static (int Components, int Width, int Height) JpegFrame(ReadOnlySpan<byte> jpeg)
    {
        var at = 2;
        while (at + 4 <= jpeg.Length && jpeg[0] == 0xFF && jpeg[1] == 0xD8)
        {
            if (jpeg[at] != 0xFF)
            {
                return (0, 0, 0);
            }

            var marker = jpeg[at + 1];
            if (marker == 0xFF)
            {
                at++;
                continue;
            }

            var length = BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 2)..]);
            if (marker is >= 0xC0 and <= 0xCF and not 0xC4 and not 0xC8 and not 0xCC)
            {
                // Baseline, extended or progressive with Huffman coding and 8-bit samples: what every PDF reader decodes.
                // Arithmetic coding, lossless and 12-bit samples: reported as no frame, so re-encoded.
                var readable = marker is 0xC0 or 0xC1 or 0xC2 && at + 10 <= jpeg.Length && jpeg[at + 4] == 8;
                return readable ? (jpeg[at + 9], BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 7)..]), BinaryPrimitives.ReadUInt16BigEndian(jpeg[(at + 5)..])) : (0, 0, 0);
            }

            at += 2 + length;
        }

        return (0, 0, 0);
    }

    private static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Type 3 fonts whose every glyph draws nothing and is half an em wide, with a ToUnicode CMap per font: the i-th distinct
    /// character of the document is code i % 256 of font i / 256. Written at the end, when the characters are known.
    /// </summary>
    private sealed class InvisibleFonts(PdfObjectWriter pdf)
    {
        private readonly Dictionary<Rune, (int Font, int Code)> _codes = [];
        private readonly List<(int Object, List<Rune> Runes)> _fonts = [];

        public (int Font, int Code) Code(Rune rune)
        {
            if (_codes.TryGetValue(rune, out var known))
            {
                return known;
            }

            if (_fonts.Count == 0 || _fonts[^1].Runes.Count == 256)
            {
                _fonts.Add((pdf.Reserve(), []));
            }

            var code = (_fonts.Count - 1, _fonts[^1].Runes.Count);
            _fonts[^1].Runes.Add(rune);
            _codes[rune] = code;
            return code;
        }

        public int ObjectOf(int font) => _fonts[font].Object;

        public void WriteAll()
        {
            if (_fonts.Count == 0)
            {
                return;
            }

            var glyph = pdf.Reserve();
            pdf.WriteStream(glyph, string.Empty, "500 0 0 0 500 1000 d1"u8);
            foreach (var (number, runes) in _fonts)
            {
                var toUnicode = pdf.Reserve();
                pdf.WriteCompressedStream(toUnicode, string.Empty, Encoding.ASCII.GetBytes(CMap(runes)));
                var widths = string.Join(' ', Enumerable.Repeat("500", runes.Count));
                pdf.WriteObject(number, string.Concat(
                    "<< /Type /Font /Subtype /Type3 /FontBBox [0 0 500 1000] /FontMatrix [0.001 0 0 0.001 0 0] ",
                    Invariant($"/CharProcs << /g {glyph} 0 R >> /Encoding << /Type /Encoding /Differences [0 {string.Concat(Enumerable.Repeat("/g ", runes.Count))}] >> "),
                    Invariant($"/FirstChar 0 /LastChar {runes.Count - 1} /Widths [{widths}] /Resources << >> /ToUnicode {toUnicode} 0 R >>")));
            }
        }

        private static string CMap(List<Rune> runes)
        {
            var cmap = new StringBuilder();
            cmap.Append("/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n")
                .Append("/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n")
                .Append("1 begincodespacerange\n<00> <FF>\nendcodespacerange\n");
            Span<char> units = stackalloc char[2];
            for (var start = 0; start < runes.Count; start += 100)
            {
                var count = Math.Min(100, runes.Count - start);
                cmap.Append(CultureInfo.InvariantCulture, $"{count} beginbfchar\n");
                for (var i = start; i < start + count; i++)
                {
                    var written = runes[i].EncodeToUtf16(units);
                    cmap.Append(CultureInfo.InvariantCulture, $"<{i:X2}> <");
                    foreach (var unit in units[..written])
                    {
                        cmap.Append(((int)unit).ToString("X4", CultureInfo.InvariantCulture));
                    }

                    cmap.Append(">\n");
                }

                cmap.Append("endbfchar\n");
            }

            return cmap.Append("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n").ToString();
        }
    }
}
