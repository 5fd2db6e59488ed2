using System.Runtime.InteropServices;
using ScipixWorker.Ocr.Engine;
using SixLabors.ImageSharp.Formats;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Exceptions;
using UglyToad.PdfPig.Graphics;
using UglyToad.PdfPig.Graphics.Core;
using UglyToad.PdfPig.Parser.Parts;
using UglyToad.PdfPig.Tokenization.Scanner;
using UglyToad.PdfPig.Tokens;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// A PDF, one page at a time: each page's scan is the raster image drawn over most of it (or its pieces), handed out
/// as its decoded samples (<see cref="ScanSamples"/>: a Flate, LZW, run-length or CCITT fax image in grey, RGB or a
/// palette, or a JBIG2 or JPEG 2000 image decoded by the system's jbig2dec or OpenJPEG, <see cref="Jbig2Codec"/>,
/// <see cref="Jpeg2000Codec"/>) or still encoded (a JPEG as stored, PdfPig's PNG of any other lossless image) for the ordinary decoder,
/// with the clockwise turn the page is shown at. The file is parsed, not rendered: a page drawn as text and
/// vectors (a born-digital page) has no scan, and its text layer is read instead (<see cref="TextLayer"/>). Not thread-safe.
/// </summary>
internal sealed class PdfPages : IDisposable
{
    /// <summary>A scan must cover at least this share of the page's area; smaller images are logos or stamps.</summary>
    public const double MinScanCoverage = 0.5;

    // PDF allows the header anywhere in the first 1024 bytes (ISO 32000-1, 7.5.2, as readers implement it).
    private const int HeaderWindow = 1024;

    private static readonly byte[] Header = "%PDF-"u8.ToArray();

    private readonly PdfDocument _document;
    private readonly PageContent _maxPageContent;
    private readonly long _maxDecodedStreamBytes;

    private ParsedPage? _parsed;
    private PdfPageResources? _pageResources;

    /// <summary>Pictures smaller than this on their shorter side (in pixels) hold no line of text to read: a bullet, a rule, an icon.</summary>
    public const int MinPictureSide = 16;

    /// <summary>The most pictures read on one page: its largest (on the page) first.</summary>
    public const int MaxPictures = 32;

    /// <summary>
    /// The most pixels a picture on a born-digital page may have to be read (<see cref="Pictures"/>; larger ones are left
    /// out); 0: pictures are not read, and a page of pictures without text is refused.
    /// </summary>
    public long MaxPicturePixels { get; init; }

    /// <summary>Whether the raster images on born-digital pages are read as pictures (with <see cref="MaxPicturePixels"/> above 0).</summary>
    public bool ReadImagePictures { get; init; } = true;

    /// <summary>
    /// Whether text drawn as shapes on born-digital pages (fonts converted to outlines, <see cref="PdfDrawnText"/>) is
    /// rendered and read as pictures (with <see cref="MaxPicturePixels"/> above 0).
    /// </summary>
    public bool ReadDrawnText { get; init; }

    private PdfPages(PdfDocument document, PageContent maxPageContent, long maxDecodedStreamBytes) =>
        (_document, _maxPageContent, _maxDecodedStreamBytes) = (document, maxPageContent, maxDecodedStreamBytes);

    /// <summary>The format PDFs are reported as.</summary>
    public static IImageFormat Format { get; } = new PdfFormat();

    /// <summary>Pages in the document.</summary>
    public int Count => _document.NumberOfPages;

    /// <summary>True when a PDF header is where readers look for it (the caller first rules out the image formats).</summary>
    public static bool HasHeader(ReadOnlySpan<byte> data) =>
        data[..Math.Min(data.Length, HeaderWindow)].IndexOf(Header) >= 0;

    /// <summary>
    /// Opens the document (reads its cross-reference table and catalogue; pages are parsed when asked for). No stream of
    /// it may decode to more than <paramref name="maxDecodedStreamBytes"/> (<see cref="BoundedPdfFilters"/>), and no page
    /// may draw more than <paramref name="maxPageContent"/> (<see cref="PdfContentCount"/>, counted before the page is parsed).
    /// Pictures on born-digital pages of at most <paramref name="maxPicturePixels"/> are read (<see cref="Pictures"/>; 0: none):
    /// raster images with <paramref name="imagePictures"/>, text drawn as shapes with <paramref name="drawnText"/>.
    /// </summary>
    /// <exception cref="OcrException">The file is damaged or encrypted.</exception>
    public static PdfPages Open(
        ReadOnlyMemory<byte> data, long maxDecodedStreamBytes, PageContent maxPageContent, long maxPicturePixels = 0, bool imagePictures = true, bool drawnText = false)
    {
        try
        {
            // Lenient parsing repairs what ordinary viewers repair (offsets a few bytes off, a missing xref). PdfPig reads
            // the caller's array in place when it is one whole array (a downloaded blob is): no copy of the file.
            if (PdfXrefStreams.Oversized(data.Span) is { } oversized)
            {
                throw new OcrException(OcrErrorCode.CorruptImage,
                    $"The PDF is damaged: a cross-reference stream's {oversized} names more objects than a PDF may hold ({PdfXrefStreams.MaxObjects:N0}).");
            }

            var options = new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true, FilterProvider = new BoundedPdfFilters(maxDecodedStreamBytes) };
            var document = MemoryMarshal.TryGetArray(data, out var segment) && segment.Array is { } array && segment.Offset == 0 && segment.Count == array.Length
                ? PdfDocument.Open(array, options)
                : PdfDocument.Open(data.ToArray(), options);
            if (PdfReferenceLoops.Find(document, data.Span) is [_, ..] loop)
            {
                document.Dispose();
                throw new OcrException(OcrErrorCode.CorruptImage,
                    $"The PDF is damaged: its objects {string.Join(", ", loop.Select(r => $"{r.ObjectNumber} {r.Generation} R"))} refer to one another in a loop, " +
                    "each only a reference to the next.");
            }

            return new PdfPages(document, maxPageContent, maxDecodedStreamBytes) { MaxPicturePixels = maxPicturePixels, ReadImagePictures = imagePictures, ReadDrawnText = drawnText };
        }
        catch (PdfDocumentEncryptedException ex)
        {
            throw new OcrException(OcrErrorCode.UnsupportedFormat, "The PDF is encrypted; send it without a password.", ex);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex);
        }
    }

    /// <summary>
    /// The size of page <paramref name="index"/>'s scan (0-based) as the page shows it, read without decoding anything;
    /// for a page without a scan, the page's size in points.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged.</exception>
    public (int Width, int Height) ShownSize(int index)
    {
        var parsed = Parse(index);
        return parsed switch
        {
            { Scan: { } scan } => Turned(scan, ClockwiseTurn(scan.BoundingBox.Rotation)),
            { Tiles: { } tiles } => Layout(tiles, parsed.Frame).Size,
            _ => ((int)Math.Max(1, Math.Round(parsed.Page.Width)), (int)Math.Max(1, Math.Round(parsed.Page.Height))),
        };
    }

    /// <summary>
    /// The pieces of page <paramref name="index"/>'s scan when it is stored in strips or tiles (images side by side that
    /// together cover at least half of the page; as "print to PDF" often writes a picture), or in layers (mixed raster
    /// content: a background with the text in stencil masks over it, <see cref="PlacedScan.Stencil"/>), or when visible text lies on
    /// the page beside its scan (the scan is then the one piece of a larger page: <see cref="Frame"/>), each with its
    /// place on the composed page in pixels at the finest piece's resolution; else null.
    /// <paramref name="checkSize"/> sees the composed size before anything is decoded, and throws to refuse it.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged, or a piece is in a compression the worker cannot decode.</exception>
    public TiledScan? Tiles(int index, Action<int, int> checkSize)
    {
        var parsed = Parse(index);
        if (parsed.Tiles is not { } tiles)
        {
            return null;
        }

        var (size, places) = Layout(tiles, parsed.Frame);
        checkSize(size.Width, size.Height);
        var pieces = tiles.Select((tile, i) => new PlacedScan(
            ScanOf(tile, index + 1, ClockwiseTurn(tile.BoundingBox.Rotation)), places[i].X, places[i].Y, places[i].Width, places[i].Height)
        {
            Stencil = tile.IsImageMask,
        });
        return new TiledScan(size.Width, size.Height, [.. pieces]);
    }

    // Images that tile a rectangle covering most of the page: of the images (each at least 0.05 % of the page, turned by
    // a quarter turn), the group that touch one another with the largest area, all turned alike, their areas adding up
    // to their bounding rectangle's (within 10 %: no gaps, no stacking). A logo apart from the pieces is left out. Text
    // drawn over them or beside them is read with them (TextOverScan), as over a scan in one piece.
    private static IPdfImage[]? TileSet(Page page, IPdfImage[] images)
    {
        const int MaxPieces = 4096;
        var pageArea = Area(page.MediaBox.Bounds.Width, page.MediaBox.Bounds.Height);
        IPdfImage[] candidates = [.. images.Where(i => Area(i.BoundingBox.Width, i.BoundingBox.Height) >= 0.0005 * pageArea
            && IsQuarterTurn(i))];
        if (candidates.Length < 2 || candidates.Length > MaxPieces || pageArea <= 0)
        {
            return null;
        }

        var pieces = LargestTouchingGroup(candidates);
        if (pieces.Length < 2 || pieces.Select(p => ClockwiseTurn(p.BoundingBox.Rotation)).Distinct().Count() > 1)
        {
            return null;
        }

        var (left, bottom, right, top) = Bounds(pieces);
        var union = (right - left) * (top - bottom);
        var sum = pieces.Sum(p => Area(p.BoundingBox.Width, p.BoundingBox.Height));
        return union / pageArea >= MinScanCoverage && sum >= 0.9 * union && sum <= 1.1 * union ? pieces : null;
    }

    // Mixed raster content (MRC), as compact-PDF scanners and archives write scans: the page's background as one image
    // (often a low-resolution JPEG or JPEG 2000, the text wiped from it) and its text as stencil masks (JBIG2 or CCITT,
    // /ImageMask true) drawn over it in its ink's colour. Read from the background alone, such a page has no text. The
    // scan and the masks drawn over it (each at least 0.05 % of the page, its centre on the scan, turned as the scan is),
    // in the page's order, to be composed (Tiles: a mask's painted pixels darken the page, PlacedScan.Stencil); null when
    // there are none.
    private static IPdfImage[]? Layers(Page page, IPdfImage[] images, IPdfImage scan)
    {
        var pageArea = Area(page.MediaBox.Bounds.Width, page.MediaBox.Bounds.Height);
        var (left, bottom, right, top) = Bounds([scan]);
        var turn = ClockwiseTurn(scan.BoundingBox.Rotation);
        var masks = images.Where(i => i != scan && i.IsImageMask && IsQuarterTurn(i) && ClockwiseTurn(i.BoundingBox.Rotation) == turn
            && Area(i.BoundingBox.Width, i.BoundingBox.Height) >= 0.0005 * pageArea
            && i.BoundingBox.Centroid is var c && c.X >= left && c.X <= right && c.Y >= bottom && c.Y <= top).ToList();
        return masks.Count == 0 ? null : [scan, .. masks];
    }

    // Images whose rectangles touch (within a point) form groups; the group with the largest area.
    private static IPdfImage[] LargestTouchingGroup(IPdfImage[] images)
    {
        var group = Enumerable.Range(0, images.Length).ToArray();
        int Root(int i) => group[i] == i ? i : group[i] = Root(group[i]);
        var bounds = images.Select(i => Bounds([i])).ToArray();
        for (var a = 0; a < images.Length; a++)
        {
            for (var b = a + 1; b < images.Length; b++)
            {
                if (bounds[a].Left <= bounds[b].Right + 1 && bounds[b].Left <= bounds[a].Right + 1
                    && bounds[a].Bottom <= bounds[b].Top + 1 && bounds[b].Bottom <= bounds[a].Top + 1)
                {
                    group[Root(a)] = Root(b);
                }
            }
        }

        return [.. Enumerable.Range(0, images.Length)
            .GroupBy(Root)
            .MaxBy(g => g.Sum(i => Area(images[i].BoundingBox.Width, images[i].BoundingBox.Height)))!
            .Select(i => images[i])];
    }

    // The composed page: the frame (the pieces' bounding rectangle unless given) at the finest piece's pixels per point,
    // and each piece's place. A piece's pixels per point are those it has both across and down: a piece drawn out of
    // proportion (squeezed to a tenth of its width by a damaged matrix) would otherwise set a scale ten times its own
    // and a page of a hundred times the pixels the file holds (a 463 x 1,013 scan composed as 4,627 x 10,123).
    private static ((int Width, int Height) Size, (int X, int Y, int Width, int Height)[] Places) Layout(
        IPdfImage[] pieces, (double Left, double Bottom, double Right, double Top)? frame)
    {
        var (left, bottom, right, top) = frame ?? Bounds(pieces);
        var scale = pieces.Max(p =>
        {
            var (width, height) = Turned(p, ClockwiseTurn(p.BoundingBox.Rotation));
            var (l, b, r, t) = Bounds([p]);
            return Math.Min(width / Math.Max(r - l, 1e-6), height / Math.Max(t - b, 1e-6));
        });
        int Px(double points) => (int)Math.Round(points * scale);
        var places = pieces.Select(p =>
        {
            var (l, b, r, t) = Bounds([p]);
            return (Px(l - left), Px(top - t), Math.Max(1, Px(r - l)), Math.Max(1, Px(t - b)));
        }).ToArray();
        return ((Math.Max(1, Px(right - left)), Math.Max(1, Px(top - bottom))), places);
    }

    private static (double Left, double Bottom, double Right, double Top) Bounds(IReadOnlyList<IPdfImage> images) =>
        Bounds(images.Select(i => i.BoundingBox));

    private static (double Left, double Bottom, double Right, double Top) Bounds(IEnumerable<PdfRectangle> boxes)
    {
        var corners = boxes.SelectMany(b => new[] { b.TopLeft, b.TopRight, b.BottomLeft, b.BottomRight }).ToList();
        return (corners.Min(c => c.X), corners.Min(c => c.Y), corners.Max(c => c.X), corners.Max(c => c.Y));
    }

    /// <summary>White space kept round visible text beside a scan, in points, where the composed page grows to take it in.</summary>
    public const double TextMargin = 6;

    // The rectangle the composed page covers when visible text lies on the page beside the scan (a document's typed
    // heading above a pasted scan, a page number or a stamp in the margin): the scan's, grown to take in that text and
    // TextMargin round it, within the page as shown. Null when there is none: the scan is the page. Invisible text (a
    // scanner's OCR layer) and text off the page do not count.
    private static (double Left, double Bottom, double Right, double Top)? Frame(Page page, IReadOnlyList<IPdfImage> pieces)
    {
        var (left, bottom, right, top) = Bounds(pieces);
        var (pageLeft, pageBottom, pageWidth, pageHeight) = PdfTextLayer.Frame(page);
        var beside = page.Letters
            .Where(l => l.RenderingMode != TextRenderingMode.Neither && !string.IsNullOrWhiteSpace(l.Value))
            .Select(l => l.BoundingBox)
            .Where(b => b.Centroid is var c
                && PdfTextLayer.Inside(c, pageLeft, pageBottom, pageWidth, pageHeight)
                && (c.X < left || c.X > right || c.Y < bottom || c.Y > top))
            .ToList();
        if (beside.Count == 0)
        {
            return null;
        }

        var text = Bounds(beside);
        return (
            Math.Max(pageLeft, Math.Min(left, text.Left - TextMargin)),
            Math.Max(pageBottom, Math.Min(bottom, text.Bottom - TextMargin)),
            Math.Min(pageLeft + pageWidth, Math.Max(right, text.Right + TextMargin)),
            Math.Min(pageBottom + pageHeight, Math.Max(top, text.Top + TextMargin)));
    }

    /// <summary>
    /// The scan of page <paramref name="index"/> (0-based): its samples or encoded bytes and the clockwise turn (0, 90, 180 or
    /// 270 degrees) that shows it as the page is shown. <paramref name="checkSize"/> sees the size as shown before
    /// anything is decoded, and throws to refuse it.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged, has no scan, or its scan is in a compression the worker cannot decode.</exception>
    public PageScan Scan(int index, Action<int, int> checkSize)
    {
        var (scan, turn) = Find(index);
        var (width, height) = Turned(scan, turn);
        checkSize(width, height);
        return ScanOf(scan, index + 1, turn);
    }

    public void Dispose() => _document.Dispose();

    /// <summary>
    /// The text layer of page <paramref name="index"/> (0-based) when the page has no scan, whole or in pieces; else null
    /// (read its scan with <see cref="Scan"/> or <see cref="Tiles"/>). A page with neither text nor images (blank, or drawn only as vectors) has an empty text layer.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged; it has images but no scan and no text (a scan in strips, a
    /// lone logo); or its text cannot be read.</exception>
    public TextLayerPage? TextLayer(int index)
    {
        var parsed = Parse(index);
        if (parsed.Scan is not null || parsed.Tiles is not null)
        {
            return null;
        }

        var number = index + 1;
        TextLayerPage text;
        try
        {
            text = PdfTextLayer.Read(parsed.Page, number, Unmapped(parsed).Letters);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, number);
        }

        if (text.Lines.Count == 0 && parsed.Images.Length > 0 && Pictures(index).Count == 0)
        {
            throw new OcrException(OcrErrorCode.UnsupportedFormat,
                $"Page {number} of the PDF has neither text nor a scanned image (no raster image, nor images side by side, cover " +
                $"{MinScanCoverage:P0} of it), nor a picture the worker reads{(ReadImagePictures && MaxPicturePixels > 0 ? $" (at least {MinPictureSide} pixels a side, " +
                "upright or turned by quarter turns, in a compression the worker decodes)" : " (Ocr:PdfPictures is off)")}: the worker reads a PDF page's " +
                "scan, its text and its pictures, and does not render pages.");
        }

        return text;
    }

    /// <summary>
    /// The pictures on page <paramref name="index"/> (0-based) when it has no scan, whole or in pieces: each raster image of
    /// at least <see cref="MinPictureSide"/> pixels a side and at most <see cref="MaxPicturePixels"/>, drawn upright or
    /// turned by quarter turns, on the page, in a compression the worker decodes (JBIG2 and JPEG 2000 where their libraries
    /// are installed), and not a
    /// stencil mask; at most <see cref="MaxPictures"/>, the largest on the page first, and together at most
    /// <see cref="MaxPicturePixels"/> (one that would pass it is left out, a smaller one after it may still fit). Each is
    /// still encoded (decoded only when asked), with its size as shown and where it lies on the page as shown, in points
    /// from the top-left corner (as the text layer's boxes). Empty for a page with a scan, and when
    /// <see cref="MaxPicturePixels"/> is 0.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged.</exception>
    public IReadOnlyList<PagePicture> Pictures(int index)
    {
        var parsed = Parse(index);
        return parsed.Pictures ??= FindPictures(parsed);
    }

    // The page's pictures, as Pictures says (asked once a page: for the lease, the refusal and the reading).
    private List<PagePicture> FindPictures(ParsedPage parsed)
    {
        var index = parsed.Index;
        if (MaxPicturePixels <= 0 || parsed.Scan is not null || parsed.Tiles is not null)
        {
            return [];
        }

        var number = index + 1;
        var (left, bottom, width, height) = PdfTextLayer.Frame(parsed.Page);
        var top = bottom + height;
        var pictures = new List<(double Area, PagePicture Picture)>();
        foreach (var image in ReadImagePictures ? parsed.Images : [])
        {
            if (image.IsImageMask || !IsQuarterTurn(image)
                || !CanDecode(Filters(image.ImageDictionary)))
            {
                continue;
            }

            var turn = ClockwiseTurn(image.BoundingBox.Rotation);
            var size = Turned(image, turn);
            if (Math.Min(size.Width, size.Height) < MinPictureSide || (long)size.Width * size.Height > MaxPicturePixels)
            {
                continue;
            }

            var (l, b, r, t) = Bounds([image]);
            if (r - l < 1 || t - b < 1 || !PdfTextLayer.Inside(new PdfPoint((l + r) / 2, (b + t) / 2), left, bottom, width, height))
            {
                continue;
            }

            var place = new PictureFrame((float)(l - left), (float)(top - t), (float)(r - left), (float)(top - b));
            pictures.Add((Area(r - l, t - b), new PagePicture(size.Width, size.Height, place, () => PictureOf(image, number, turn))));
        }

        foreach (var block in ReadDrawnText ? DrawnBlocks(parsed, number, left, bottom, width, height) : [])
        {
            var place = new PictureFrame((float)(block.Left - left), (float)(top - block.Top), (float)(block.Right - left), (float)(top - block.Bottom));
            pictures.Add((Area(block.Right - block.Left, block.Top - block.Bottom), new PagePicture(block.PixelWidth, block.PixelHeight, place,
                () => new PageScan(PdfDrawnText.Render(block), 0) { Declared = (block.PixelWidth, block.PixelHeight), PageNumber = number, Drawn = true })));
        }

        // The largest first, until MaxPictures, and together within MaxPicturePixels: a page's pictures cost at most what
        // its largest allowed scan would (one image drawn a hundred times is decoded a hundred times).
        var budget = MaxPicturePixels;
        var read = new List<PagePicture>();
        foreach (var (_, picture) in pictures.OrderByDescending(p => p.Area))
        {
            var pixels = (long)picture.Width * picture.Height;
            if (read.Count < MaxPictures && pixels <= budget)
            {
                read.Add(picture);
                budget -= pixels;
            }
        }

        return read;
    }

    /// <summary>
    /// The barcodes and QR codes drawn with vectors on page <paramref name="index"/> (0-based) when it has no scan, whole or
    /// in pieces (<see cref="PdfDrawnCodes"/>): their boxes in points from the top-left corner as shown, as the text layer's.
    /// Empty for a page with a scan (its codes are read from its pixels).
    /// </summary>
    /// <exception cref="OcrException">The page is damaged.</exception>
    public IReadOnlyList<RecognizedBarcode> DrawnCodes(int index, CancellationToken cancellationToken = default)
    {
        var parsed = Parse(index);
        if (parsed.Scan is not null || parsed.Tiles is not null)
        {
            return [];
        }

        var (left, bottom, width, height) = PdfTextLayer.Frame(parsed.Page);
        try
        {
            return PdfDrawnCodes.Read(parsed.Page.Paths, left, bottom, width, height, cancellationToken);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, index + 1);
        }
    }

    // The letters of a born-digital page whose fonts name them no text but carry their outlines, drawn as shapes with the
    // page's own (PdfUnmappedGlyphs) when drawn text is read; none otherwise, and such letters are then unreadable text.
    private PdfUnmappedGlyphs.Drawn Unmapped(ParsedPage parsed)
    {
        if (!ReadDrawnText || MaxPicturePixels <= 0)
        {
            return PdfUnmappedGlyphs.Drawn.None;
        }

        try
        {
            // Past the shapes drawn text looks at, none is drawn, and the letters stay unreadable (the page refused as before).
            return parsed.Unmapped ??= PdfUnmappedGlyphs.Find(parsed.Page.Letters) is var found
                && found.Paths.Sum(p => p.Count) + parsed.Page.Paths.Sum(p => p.Count) <= PdfDrawnText.MaxShapes
                ? found
                : PdfUnmappedGlyphs.Drawn.None;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, parsed.Index + 1);
        }
    }

    // The blocks of text drawn as shapes on a page (PdfDrawnText), none when its paths cannot be read.
    private IReadOnlyList<DrawnBlock> DrawnBlocks(ParsedPage parsed, int number, double left, double bottom, double width, double height)
    {
        try
        {
            var unmapped = Unmapped(parsed);
            return PdfDrawnText.Blocks(
                unmapped.Paths.Count == 0 ? parsed.Page.Paths : [.. parsed.Page.Paths, .. unmapped.Paths],
                [.. parsed.Page.Letters.Where(l => !unmapped.Letters.Contains(l)).Select(l => l.BoundingBox)], left, bottom, width, height,
                unmapped.Paths.Count == 0 ? null : new HashSet<PdfPath>(unmapped.Paths, ReferenceEqualityComparer.Instance));
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, number);
        }
    }

    /// <summary>
    /// The visible text drawn over page <paramref name="index"/>'s scan (0-based), whole or in pieces, and beside it, in the
    /// composed page's pixels as shown: a document's text over a full-page background picture, fields typed over a scanned
    /// form, a heading typed above a pasted scan. Empty for a page without a scan, and for a scanner's invisible OCR layer.
    /// </summary>
    /// <exception cref="OcrException">The page is damaged.</exception>
    public IReadOnlyList<TextLayerLine> TextOverScan(int index)
    {
        var parsed = Parse(index);
        var (bounds, pixels) = parsed switch
        {
            { Scan: { } scan } => (Bounds([scan]), Turned(scan, ClockwiseTurn(scan.BoundingBox.Rotation))),
            { Tiles: { } tiles } => (parsed.Frame ?? Bounds(tiles), Layout(tiles, parsed.Frame).Size),
            _ => default,
        };
        if (pixels == default)
        {
            return [];
        }

        try
        {
            return PdfTextLayer.OverScan(parsed.Page, index + 1, bounds, pixels);
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, index + 1);
        }
    }

    // The page, its images and what they are, found once: the last page asked for is kept, since a page is asked in
    // turn for its text layer, its scan (whole or in pieces) and the text over it.
    private ParsedPage Parse(int index)
    {
        if (_parsed is { } parsed && parsed.Index == index)
        {
            return parsed;
        }

        try
        {
            var content = PdfContentCount.Of(_document, index + 1, _maxPageContent);
            if (content.Characters > _maxPageContent.Characters)
            {
                throw new OcrException(OcrErrorCode.ImageTooLarge,
                    $"Page {index + 1} of the PDF draws more than {_maxPageContent.Characters} characters (Ocr:MaxPdfPageCharacters); " +
                    "a dense page of text draws 5,000-20,000.");
            }

            if (content.Operators > _maxPageContent.Operators)
            {
                throw new OcrException(OcrErrorCode.ImageTooLarge,
                    $"Page {index + 1} of the PDF has more than {_maxPageContent.Operators} drawing operations (Ocr:MaxPdfPageOperations); " +
                    "a dense page of text has 5,000-50,000.");
            }

            // PdfPig would overflow its stack on a font program whose glyphs loop, an image dictionary or a stitching function
            // that holds itself, and fill the memory enumerating a damaged ToUnicode range: the process, not the job, would end.
            if ((_pageResources ??= new PdfPageResources(_document)).Damage(index + 1) is { } damage)
            {
                throw new OcrException(OcrErrorCode.CorruptImage, $"The PDF is damaged (page {index + 1}): {damage}.");
            }

            var page = _document.GetPage(index + 1);
            IPdfImage[] images = [.. page.GetImages()];
            var scan = LargestScan(page, images);
            if (scan is not null && Layers(page, images, scan) is { } layers)
            {
                // Mixed raster content: the scan's text in stencil masks over it, composed as a viewer shows them.
                _parsed = new ParsedPage(index, page, images, null, layers) { Frame = Frame(page, layers) };
                return _parsed;
            }

            var tiles = scan is null ? TileSet(page, images) : null;
            var frame = scan is not null ? Frame(page, [scan]) : tiles is not null ? Frame(page, tiles) : null;
            _parsed = frame is not null && scan is not null
                ? new ParsedPage(index, page, images, null, [scan]) { Frame = frame } // the scan, one piece of a larger page
                : new ParsedPage(index, page, images, scan, tiles) { Frame = frame };
            return _parsed;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, index + 1);
        }
    }

    // The largest image drawn on the page, when it covers most of it.
    private static IPdfImage? LargestScan(Page page, IPdfImage[] images)
    {
        var pageArea = Area(page.MediaBox.Bounds.Width, page.MediaBox.Bounds.Height);
        var scan = images.MaxBy(i => Area(i.BoundingBox.Width, i.BoundingBox.Height));
        return scan is null || pageArea <= 0 || Area(scan.BoundingBox.Width, scan.BoundingBox.Height) / pageArea < MinScanCoverage ? null : scan;
    }

    // The page's scan and the turn that shows it as placed.
    private (IPdfImage Scan, int ClockwiseTurn) Find(int index)
    {
        var scan = Parse(index).Scan ?? throw new OcrException(OcrErrorCode.UnsupportedFormat,
            $"Page {index + 1} of the PDF has no scanned image (no raster image covers {MinScanCoverage:P0} of it).");
        return (scan, ClockwiseTurn(scan.BoundingBox.Rotation));
    }

    private static (int Width, int Height) Turned(IPdfImage scan, int turn) =>
        turn is 90 or 270 ? (scan.HeightInSamples, scan.WidthInSamples) : (scan.WidthInSamples, scan.HeightInSamples);

    /// <summary>The most pixels a JPEG picture may have for its soft mask to be applied (it is decoded here to apply it).</summary>
    public const long MaxSoftMaskedPixels = 16_000_000;

    // A picture, encoded as ScanOf does; a JPEG with a soft mask (/SMask: a logo's transparent ground, a cut-out photo)
    // comes with its mask as a PNG, which decoding applies as the picture's alpha (ImageLoader), so that it is read as a
    // viewer shows it, over white, and what the mask hides (often black or noise under a transparent ground) does not
    // cover the text. A mask that cannot be read, or a JPEG over MaxSoftMaskedPixels: read without its mask, as before.
    private PageScan PictureOf(IPdfImage image, int number, int turn)
    {
        var scan = ScanOf(image, number, turn);
        if (Filters(image.ImageDictionary) is not (["DCTDecode"] or ["DCT"]) || !image.ImageDictionary.ContainsKey(NameToken.Smask)
            || image.MaskImage is not { } mask || (long)image.WidthInSamples * image.HeightInSamples > MaxSoftMaskedPixels)
        {
            return scan;
        }

        try
        {
            return mask.TryGetPng(out var png) ? scan with { SoftMask = png } : scan;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            return scan;
        }
    }

    // An image of page `number`, with the size the file gives it (what its memory was sized for): a lossless one of the
    // kinds ScanSamples takes as its decoded samples, any other encoded.
    private PageScan ScanOf(IPdfImage image, int number, int turn)
    {
        var samples = Samples(image, number);
        return new(samples is null ? Encoded(image, number) : ReadOnlyMemory<byte>.Empty, turn)
        {
            Declared = (image.WidthInSamples, image.HeightInSamples), PageNumber = number, Samples = samples,
        };
    }

    // The samples of an image: a JBIG2 or JPEG 2000 image's as jbig2dec and OpenJPEG decode them (where the system has
    // them; PdfPig decodes neither), and those of an image that only lossless filters PdfPig decodes stand between (Flate,
    // LZW, run length, CCITT fax, ASCII hex or 85) when ScanSamples takes its colours; else null.
    private ScanSamples? Samples(IPdfImage image, int number)
    {
        var filters = Filters(image.ImageDictionary);
        try
        {
            if (filters is [.., "JBIG2Decode"])
            {
                return Jbig2(image, filters.Count - 1, number);
            }

            if (filters is [.., "JPXDecode"])
            {
                return Jpeg2000(image, filters.Count - 1, number);
            }

            return filters.TrueForAll(f => f is "FlateDecode" or "Fl" or "LZWDecode" or "LZW" or "RunLengthDecode" or "RL"
                or "CCITTFaxDecode" or "CCF" or "ASCIIHexDecode" or "AHx" or "ASCII85Decode" or "A85")
                ? ScanSamples.Of(image)
                : null;
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, number);
        }
    }

    // A JPEG is stored as a JPEG file (DCTDecode): handed over as it is. A lossless image ScanSamples does not take
    // (CMYK, ICC-based, Lab, a /Decode array of its own, a masked image) comes back as PdfPig's PNG of it in its colours.
    private ReadOnlyMemory<byte> Encoded(IPdfImage scan, int number)
    {
        var filters = Filters(scan.ImageDictionary);
        try
        {
            if (filters is ["DCTDecode"] or ["DCT"])
            {
                return scan.RawMemory;
            }

            if (scan.TryGetPng(out var png))
            {
                return png;
            }
        }
        catch (Exception ex) when (IsParseFailure(ex))
        {
            throw Corrupt(ex, number);
        }

        throw new OcrException(OcrErrorCode.UnsupportedFormat,
            $"The scan on page {number} of the PDF is compressed with {(filters.Count == 0 ? "no filter but an unreadable layout" : string.Join(" + ", filters))}, " +
            "which the worker cannot decode (it reads JPEG, JPEG 2000, JBIG2, Flate, LZW, run-length and CCITT fax scans).");
    }

    // Whether an image in these filters can be decoded here: JBIG2 and JPEG 2000 only where their libraries are installed.
    private static bool CanDecode(List<string> filters) => filters switch
    {
        [.., "JBIG2Decode"] => Jbig2Codec.IsAvailable,
        [.., "JPXDecode"] => Jpeg2000Codec.IsAvailable,
        _ => true,
    };

    // A JBIG2 image (embedded stream, its shared segments in /JBIG2Globals) as black-and-white samples: JBIG2's set bit
    // is black (/Decode [1 0] turns that round).
    private ScanSamples Jbig2(IPdfImage image, int filterIndex, int number)
    {
        var globals = HasJbig2Globals(_document, image.ImageDictionary, filterIndex, out var stream) && stream is not null
            ? stream.Decode(_document.Structure.FilterProvider, _document.Structure.TokenScanner)
            : ReadOnlyMemory<byte>.Empty;
        var page = Jbig2Codec.Decode(Unfiltered(image, filterIndex), globals, image.WidthInSamples, image.HeightInSamples,
            _maxDecodedStreamBytes, $"The JBIG2 image on page {number} of the PDF");
        return ScanSamples.Bilevel(page.Bits, page.Width, page.Height, page.Stride, setIsBlack: !IsDecodeInverted(image.ImageDictionary));
    }

    // A JPEG 2000 image as 8-bit grey or RGB samples; its colour space is the file's own unless the PDF says CMYK. Refused
    // before it is decoded when its header gives it more pixels than the PDF does, or more samples than the largest page
    // allowed may take (what the memory lease was reckoned for).
    private ScanSamples Jpeg2000(IPdfImage image, int filterIndex, int number)
    {
        var cmyk = image.ImageDictionary.TryGet(NameToken.ColorSpace, out var space) && space is NameToken { Data: "DeviceCMYK" or "CMYK" };
        // The decode's memory cap: 16 bytes per pixel of the largest page (the stream limit is 4).
        var name = $"The JPEG 2000 image on page {number} of the PDF";
        var maxBytes = _maxDecodedStreamBytes > long.MaxValue / 4 ? long.MaxValue : _maxDecodedStreamBytes * 4;
        var pixels = Jpeg2000Codec.Decode(Unfiltered(image, filterIndex).Span, cmyk, name, maxBytes, (width, height) =>
        {
            if ((long)width * height > (long)image.WidthInSamples * image.HeightInSamples)
            {
                throw new OcrException(OcrErrorCode.CorruptImage,
                    $"An image on page {number} of the PDF holds {width} x {height} pixels where the file says {image.WidthInSamples} x {image.HeightInSamples}: the PDF is damaged.");
            }

            return true;
        })!;
        return ScanSamples.Pixels(pixels.Samples, pixels.Width, pixels.Height, pixels.Channels);
    }

    // The image's data with the filters before the one at `filterIndex` undone (a JBIG2 or JPEG 2000 stream is
    // seldom filtered again, but may be: /Filter [/FlateDecode /JBIG2Decode]).
    private ReadOnlyMemory<byte> Unfiltered(IPdfImage image, int filterIndex)
    {
        ReadOnlyMemory<byte> data = image.RawMemory;
        if (filterIndex == 0)
        {
            return data;
        }

        var provider = _document.Structure.FilterProvider;
        var filters = provider.GetFilters(image.ImageDictionary, _document.Structure.TokenScanner);
        var decoded = MemoryMarshal.AsMemory<byte>(data);
        for (var i = 0; i < filterIndex && i < filters.Count; i++)
        {
            decoded = filters[i].Decode(decoded, image.ImageDictionary, provider, i);
        }

        return decoded;
    }

    /// <summary>
    /// Whether the decode parameters of the JBIG2 filter at <paramref name="filterIndex"/> of an image's dictionary name a
    /// <c>/JBIG2Globals</c> stream, and that stream (null where the entry leads to none: a damaged file).
    /// </summary>
    internal static bool HasJbig2Globals(PdfDocument document, DictionaryToken image, int filterIndex, out StreamToken? globals)
    {
        globals = null;
        var scanner = document.Structure.TokenScanner;
        if (DecodeParameters(image, filterIndex, scanner) is not { } parameters || !parameters.TryGet(NameToken.Create("JBIG2Globals"), out var entry))
        {
            return false;
        }

        // PdfPig hands the stream itself where the file refers to it.
        globals = DirectObjectFinder.TryGet(entry, scanner, out StreamToken? stream) ? stream : null;
        return true;
    }

    // The decode parameters of the filter at `filterIndex` (one dictionary, or an array of them beside an array of filters).
    private static DictionaryToken? DecodeParameters(DictionaryToken dictionary, int filterIndex, IPdfTokenScanner scanner)
    {
        if (!dictionary.TryGet(NameToken.DecodeParms, out var token) && !dictionary.TryGet(NameToken.Dp, out token))
        {
            return null;
        }

        if (DirectObjectFinder.TryGet(token, scanner, out ArrayToken? array))
        {
            return filterIndex < array!.Length && DirectObjectFinder.TryGet(array[filterIndex], scanner, out DictionaryToken? item) ? item : null;
        }

        return DirectObjectFinder.TryGet(token, scanner, out DictionaryToken? single) ? single : null;
    }

    // /Decode [1 0]: a decoded 1 is black.
    private static bool IsDecodeInverted(DictionaryToken dictionary) =>
        dictionary.TryGet(NameToken.Decode, out var token) && token is ArrayToken { Length: 2 } array
        && array[0] is NumericToken { Double: > 0.5 } && array[1] is NumericToken { Double: < 0.5 };

    private static List<string> Filters(DictionaryToken dictionary)
    {
        if (!dictionary.TryGet(NameToken.Filter, out var token) && !dictionary.TryGet(NameToken.F, out token))
        {
            return [];
        }

        return token switch
        {
            NameToken name => [name.Data],
            ArrayToken array => [.. array.Data.OfType<NameToken>().Select(n => n.Data)],
            _ => [],
        };
    }

    private static double Area(double width, double height) => Math.Abs(width * height);

    // Drawn upright or turned by quarter turns (within half a degree): what the worker reads as a scan, a piece or a picture.
    private static bool IsQuarterTurn(IPdfImage image) => Math.Abs(Math.IEEERemainder(image.BoundingBox.Rotation, 90)) <= 0.5;

    // PdfPig places the image as the page is shown (the page's /Rotate applied to the drawing's own transform), and
    // measures the placed image's turn anticlockwise: the stored image needs that turn, rounded to quarter turns,
    // to look as shown; as a clockwise turn, its opposite.
    private static int ClockwiseTurn(double anticlockwiseDegrees)
    {
        var clockwise = -90 * (int)Math.Round(anticlockwiseDegrees / 90.0);
        return ((clockwise % 360) + 360) % 360;
    }

    private static OcrException Corrupt(Exception ex, int? page = null) =>
        new(OcrErrorCode.CorruptImage, $"The PDF is damaged{(page is null ? string.Empty : $" (page {page})")}: {ex.Message}", ex);

    // PdfPig reports damage as its own exceptions and as the BCL's (a truncated stream, an offset past the end).
    // Damage can also trip PdfPig over its own code (found by DamagedFileTests): a token of another kind than it expects
    // (an operator where an XObject's name should be: InvalidCastException), a font dictionary it dereferences as null
    // (NullReferenceException from ResourceStore.LoadFontDictionary), and a bare Exception where it finds a damaged soft
    // mask's colour space (XObjectFactory.ReadImage: "The SMask dictionary does not contain a 'ColorSpace' entry"). The file
    // is in memory, so an IOException (a truncated stream, zlib's ZLibException) is damage too.
    internal static bool IsParseFailure(Exception ex) =>
        ex is PdfDocumentFormatException
            or PdfDocumentStackDepthException or InvalidOperationException or ArgumentException or IndexOutOfRangeException
            or IOException or FormatException or NotSupportedException or InvalidDataException or OverflowException
            or KeyNotFoundException or InvalidCastException or NullReferenceException
        || ex.GetType() == typeof(Exception);

    /// <summary>A parsed page: its images, its scan when one covers most of it, else its scan's pieces when they tile it.</summary>
    // A page parsed: its scan in one piece, or its pieces (Tiles), and the rectangle the composed page covers when it is
    // more than the pieces' (Frame: visible text beside them).
    private sealed record ParsedPage(int Index, Page Page, IPdfImage[] Images, IPdfImage? Scan, IPdfImage[]? Tiles)
    {
        public (double Left, double Bottom, double Right, double Top)? Frame { get; init; }

        /// <summary>Its pictures once found (<see cref="PdfPages.Pictures"/>).</summary>
        public IReadOnlyList<PagePicture>? Pictures { get; set; }

        /// <summary>Its letters drawn from their outlines, once found (<see cref="PdfPages.Unmapped"/>).</summary>
        public PdfUnmappedGlyphs.Drawn? Unmapped { get; set; }
    }

    private sealed class PdfFormat : IImageFormat
    {
        public string Name => "PDF";

        public string DefaultMimeType => "application/pdf";

        public IEnumerable<string> MimeTypes => [DefaultMimeType];

        public IEnumerable<string> FileExtensions => ["pdf"];
    }
}

/// <summary>
/// One page's scan as stored in a PDF: an encoded image (JPEG or PNG) or a lossless image's decoded samples
/// (<see cref="Samples"/>), and the clockwise turn that shows it as the page does.
/// </summary>
internal sealed record PageScan(ReadOnlyMemory<byte> Encoded, int ClockwiseTurn)
{
    /// <summary>
    /// The size the PDF gives the image (its /Width and /Height, before the turn), from which its memory and limits were
    /// reckoned; (0, 0) when unknown. A JPEG's own header may say otherwise: a larger one is refused when decoded.
    /// </summary>
    public (int Width, int Height) Declared { get; init; }

    /// <summary>The page it is on, 1-based, for messages.</summary>
    public int PageNumber { get; init; }

    /// <summary>
    /// A lossless scan's decoded samples, written straight into the page (<see cref="ScanSamples"/>); <see cref="Encoded"/>
    /// is then empty. Null for a scan handed on encoded.
    /// </summary>
    public ScanSamples? Samples { get; init; }

    /// <summary>Rendered here from the page's shapes (<see cref="PdfDrawnText"/>), not a stored image.</summary>
    public bool Drawn { get; init; }

    /// <summary>
    /// A JPEG picture's soft mask (<see cref="PdfPages.Pictures"/>), as a greyscale PNG of its opacity (255 opaque), applied
    /// as the image's alpha when it is decoded; empty for none.
    /// </summary>
    public ReadOnlyMemory<byte> SoftMask { get; init; }
}

/// <summary>
/// A picture on a born-digital PDF page (<see cref="PdfPages.Pictures"/>): its size in pixels as shown, where it lies on
/// the page as shown (points from the top-left corner), and its encoded image, made when asked.
/// </summary>
internal sealed record PagePicture(int Width, int Height, PictureFrame Place, Func<PageScan> Encode);

/// <summary>A picture's rectangle on a page as shown, in points from its top-left corner, y down.</summary>
internal readonly record struct PictureFrame(float Left, float Top, float Right, float Bottom);

/// <summary>A piece of a scan stored in strips or tiles, and its place on the composed page, in pixels.</summary>
internal sealed record PlacedScan(PageScan Scan, int X, int Y, int Width, int Height)
{
    /// <summary>
    /// A stencil mask (<c>/ImageMask</c>: the text layer of mixed raster content), decoded black where it paints and white
    /// where it does not: drawn by multiplying, so that it darkens what lies under it and leaves the rest.
    /// </summary>
    public bool Stencil { get; init; }
}

/// <summary>A scan stored in pieces: the composed page's size in pixels and its pieces.</summary>
internal sealed record TiledScan(int Width, int Height, IReadOnlyList<PlacedScan> Pieces);
