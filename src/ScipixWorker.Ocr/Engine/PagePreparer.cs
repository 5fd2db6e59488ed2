using System.Diagnostics;
using System.Numerics;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Stage 1 of a page, between decoding and recognition: the text lines detected, the page's orientation decided, the lines
/// cut out upright in reading order, and the second crops the recognizer reads after them (colon candidates, glyphs fitted
/// to their ink). Thread-safe, as the models it runs are.
/// </summary>
internal sealed class PagePreparer(OcrEngineOptions options, TextDetector detector, TextOrientationClassifier? classifier)
{
    private readonly OcrEngineOptions _options = options;
    private readonly TextDetector _detector = detector;
    private readonly TextOrientationClassifier? _classifier = classifier;

    /// <summary>
    /// Stage 1: the page's line crops, in reading order, upright (a single-line page is its own crop,
    /// <see cref="RgbBuffer.Kept"/>). A full page's buffer is released here: the crops are copies.
    /// </summary>
    public PreparedPage Prepare(
        RgbBuffer page, int pageNumber, OcrMode mode, TimeSpan decode, IReadOnlyList<TextLayerLine> overScan, OcrExtras extras, CancellationToken cancellationToken)
    {
        // Before the text: preparing it releases the page's buffer. The scan's time counts as detection.
        if (!extras.HasFlag(OcrExtras.Barcodes))
        {
            return PrepareText(page, pageNumber, mode, decode, overScan, cancellationToken);
        }

        var scanning = Stopwatch.GetTimestamp();
        var codes = BarcodeScanner.Scan(page, cancellationToken);
        var scanned = Stopwatch.GetElapsedTime(scanning);
        var prepared = PrepareText(page, pageNumber, mode, decode, overScan, cancellationToken);
        return prepared with { Detect = prepared.Detect + scanned, Barcodes = codes };
    }

    private PreparedPage PrepareText(
        RgbBuffer page, int pageNumber, OcrMode mode, TimeSpan decode, IReadOnlyList<TextLayerLine> overScan, CancellationToken cancellationToken)
    {
        // A page of pure black and white has its lines read smoothed (BilevelSmoothing): each crop says so. Not text this
        // engine drew from a PDF's shapes: rendered anti-aliased, it is pure only where a bitmap font lands on whole pixels.
        var bilevel = _options.SmoothBilevel && !page.Drawn && BilevelSmoothing.IsBilevel(page);
        List<RgbBuffer> Cut(IEnumerable<Quad> boxes) => [.. boxes.Select(q => Marked(QuadCropper.Crop(page, q), bilevel))];
        if (mode == OcrMode.SingleLine)
        {
            return new PreparedPage(pageNumber, page.Width, page.Height, null, [Marked(page.Kept(), bilevel)], decode, TimeSpan.Zero, TimeSpan.Zero);
        }

        var started = Stopwatch.GetTimestamp();
        var found = ReadingOrder.Sort(_detector.Detect(page, cancellationToken));
        var quads = Lines(found);
        var detected = Stopwatch.GetTimestamp();
        var sideways = _options.OrientationPerPage && ReadingOrder.IsSideways(quads);
        if (sideways)
        {
            // A page a quarter turn off. The detector finds lines running up or down the image worse than lines across
            // it, so it looks again on the page turned a quarter turn, and every box is cropped as text running down the
            // image reads it, short words included; the classifier's verdict for the page then tells a page turned
            // clockwise from one turned anticlockwise, whose crops come out upside down.
            found = _detector.DetectTurned(page, 1, cancellationToken);
            quads = Lines(found);
            detected = Stopwatch.GetTimestamp();
        }

        // Clockwise quarter turns that make the page upright if its text is the right way up in the turn it was detected in.
        var uprightTurns = sideways ? 3 : 0;
        if (_options.WholeLineImages && IsLineImage(quads, uprightTurns, page.Width, page.Height))
        {
            return PrepareLineImage(page, pageNumber, quads, uprightTurns, decode, overScan, Stopwatch.GetElapsedTime(started, detected), bilevel);
        }

        var crops = Cut(quads);
        var turned = _classifier?.Correct(crops, cancellationToken) ?? false;
        if (turned)
        {
            // Upside down (as stored, or in the quarter turn the page was detected in): the detector looks again with the
            // page turned the other half turn, where its text is upright, as it does for a sideways page. Its boxes of
            // upside-down text are a little off (sroie_pages upside down: 5.45 % CER reusing them, 5.08 % detecting again).
            // The boxes come back named as their text reads, so their crops are upright.
            var again = Stopwatch.GetTimestamp();
            found = _detector.DetectTurned(page, sideways ? 3 : 2, cancellationToken);
            quads = Lines(found);
            crops = Cut(quads);
            detected += Stopwatch.GetTimestamp() - again; // counted as detection, not classification
        }

        // Clockwise quarter turns that make the page upright.
        var quarterTurns = (sideways, turned) switch
        {
            (false, false) => 0,
            (false, true) => 2,
            (true, false) => 3,
            (true, true) => 1,
        };
        if (quarterTurns != 0)
        {
            // Read in the upright page's order: an upside-down page from the bottom right of the image.
            var order = ReadingOrder.UprightOrder(quads, quarterTurns, page.Width, page.Height);
            quads = order.Select(i => quads[i]).ToList();
            crops = order.Select(i => crops[i]).ToList();
        }

        // Colons set apart (LoneMarks) and faint ones in the gaps after lines (GapColons): read after the lines, kept
        // only as colons; the classifier never sees them.
        var marks = found.Where(b => b.Lone).Select(b => b.Box).ToList();
        var rows = _options.GapColons || _options.LoneGlyphs ? Rows(quads, quarterTurns, page.Width, page.Height) : [];
        // The lines' text bands, which both searches measure the gaps beside them by.
        var bands = _options.GapColons || _options.LoneGlyphs ? crops.Select(LineInk.TextBand).ToList() : [];
        var gapColons = _options.GapColons ? GapColons.Find(page, quads, bands, rows) : [];
        var refits = _options.LoneGlyphs ? GlyphRefits(page, quads, rows) : [];
        if (_options.LoneGlyphs)
        {
            // The glyphs the detector missed, fitted as a lone glyph's box is: read after the lines (Line -1). Where a lone
            // mark's crop lies over one, both are read: the mark is kept only as a colon, the glyph only as letters or digits.
            foreach (var (box, height) in LoneGlyphs.Missed(page, quads, bands, rows, quads))
            {
                if (LoneGlyphs.Refit(page, box, height, missed: true) is { } missed)
                {
                    refits.Add(new GlyphRefit(-1, missed.Box, missed.Crop));
                }
            }
        }
        var markCrops = Cut(marks);
        marks.AddRange(gapColons.Select(g => g.Box));
        markCrops.AddRange(gapColons.Select(g => Marked(g.Crop, bilevel)));
        page.Release();

        return new PreparedPage(pageNumber, page.Width, page.Height, [.. quads, .. marks], [.. crops, .. markCrops], decode,
            Stopwatch.GetElapsedTime(started, detected), Stopwatch.GetElapsedTime(detected), quarterTurns)
        {
            OverScan = overScan,
            LoneMarks = marks.Count,
            GapColons = gapColons,
            Refits = refits,
        };
    }

    // A crop fitted to its ink for each box about a character in size (LoneGlyphs), on the height of the row it joins: the
    // median of the other boxes' there, its own where it is alone.
    private static List<GlyphRefit> GlyphRefits(RgbBuffer page, List<Quad> quads, IReadOnlyList<IReadOnlyList<int>> rows)
    {
        var refits = new List<GlyphRefit>();
        foreach (var row in rows)
        {
            foreach (var line in row)
            {
                if (!LoneGlyphs.IsGlyph(quads[line]))
                {
                    continue;
                }

                var others = row.Where(k => k != line).Select(k => (float)QuadCropper.CropSize(quads[k]).Height).Order().ToList();
                var height = others.Count > 0 ? others[others.Count / 2] : QuadCropper.CropSize(quads[line]).Height;
                if (LoneGlyphs.Refit(page, quads[line], height) is { } refit)
                {
                    refits.Add(new GlyphRefit(line, refit.Box, refit.Crop));
                }
            }
        }

        return refits;
    }

    // A crop marked as cut from a bilevel page, or not.
    private static RgbBuffer Marked(RgbBuffer crop, bool bilevel)
    {
        crop.Bilevel = bilevel;
        return crop;
    }

    // The rows the page's text will join its lines into (Arrange), as indices into them.
    private IReadOnlyList<IReadOnlyList<int>> Rows(List<Quad> quads, int quarterTurns, int width, int height)
    {
        var (upright, order) = AsRead(quads, quarterTurns, width, height);
        return order is null
            ? ReadingOrder.GroupIntoRows(upright)
            : [.. ReadingOrder.GroupIntoRows([.. order.Select(i => upright[i])]).Select(row => (IReadOnlyList<int>)[.. row.Select(k => order[k])])];
    }

    /// <summary>
    /// Boxes as the page's text reads them: turned upright by <paramref name="quarterTurns"/> and, when they slope
    /// (<see cref="ReadingOrder.Skew"/>), turned straight, with their reading order then (null when they do not). A
    /// skewed page (a photo, a sheet fed askew) has its lines ordered and joined into rows as they lie on the page turned
    /// straight, or an item and its price further right would fall on different rows.
    /// </summary>
    public (List<Quad> Upright, int[]? Order) AsRead(List<Quad> boxes, int quarterTurns, int width, int height)
    {
        var upright = boxes.Select(b => ReadingOrder.Upright(b, quarterTurns, width, height)).ToList();
        var skew = _options.OrientationPerPage ? ReadingOrder.Skew(upright) : 0;
        if (MathF.Abs(skew) < ReadingOrder.MinSkew)
        {
            return (upright, null);
        }

        upright = upright.Select(b => ReadingOrder.Rotated(b, -skew)).ToList();
        return (upright, ReadingOrder.Order(upright));
    }

    // The boxes of text lines, without the colon candidates.
    private static List<Quad> Lines(IReadOnlyList<DetectedBox> found) => [.. found.Where(b => !b.Lone).Select(b => b.Box)];

    // One row of text filling at least half the page as it lies turned upright.
    private static bool IsLineImage(List<Quad> quads, int uprightTurns, int width, int height)
    {
        var upright = quads.Select(q => ReadingOrder.Upright(q, uprightTurns, width, height)).ToList();
        return ReadingOrder.IsLineImage(ReadingOrder.Order(upright).Select(i => upright[i]).ToList(), uprightTurns % 2 == 0 ? height : width);
    }

    /// <summary>
    /// One line of text cut out (a crop from a page, a label, a strip), as stored or a quarter turn off: recognized
    /// whole, as a single-line job is, turned upright by <paramref name="uprightTurns"/>. The recognizer was trained on
    /// such crops; the detector's boxes inside one cut it tighter (sroie_lines read as pages: 4.85 % CER from the boxes,
    /// 3.2 % whole). Its box is the detected text's extent, named as the text reads. Which way up it is, the recognizer
    /// decides (OcrEngine reads it again turned when unsure): with one line there is no page to vote, and the angle classifier alone
    /// takes short capitals (CASH, AMOUNT) for upside down and misses a turned heading. An upright page is its own crop
    /// (<see cref="RgbBuffer.Kept"/>: copied out of native memory where a large one was there).
    /// </summary>
    private PreparedPage PrepareLineImage(
        RgbBuffer page, int pageNumber, List<Quad> quads, int uprightTurns, TimeSpan decode, IReadOnlyList<TextLayerLine> overScan, TimeSpan detect, bool bilevel)
    {
        var extent = Quad.FromRectangle(
            quads.Min(q => q.MinX), quads.Min(q => q.MinY),
            quads.Max(q => q.MaxX) - quads.Min(q => q.MinX), quads.Max(q => q.MaxY) - quads.Min(q => q.MinY));
        RgbBuffer crop;
        if (uprightTurns != 0)
        {
            // Its text runs down the image: a quarter turn anticlockwise sets it upright.
            extent = extent.Along(Vector2.UnitY);
            crop = QuadCropper.RotateCounterClockwise(page);
            page.Release();
        }
        else
        {
            crop = page.Kept();
        }

        return new PreparedPage(pageNumber, page.Width, page.Height, [extent], [Marked(crop, bilevel)], decode, detect, TimeSpan.Zero, uprightTurns)
        {
            OverScan = overScan,
            LineImage = _classifier is not null,
        };
    }
}
