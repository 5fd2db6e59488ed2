using System.Numerics;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// The pictures on a born-digital PDF page, read by the models (<see cref="OcrEngineOptions.PdfPictures"/>), put on the page
/// read from its text layer: each picture's lines and barcodes moved from its pixels to the page's points, and its text
/// set into the page's reading order as a block of its own.
/// </summary>
internal static class PagePictures
{
    /// <summary>
    /// <paramref name="page"/> (read from its text layer, in points) with the lines, text and barcodes of its
    /// <paramref name="pictures"/> (each read as a page of its own, in its pixels as shown, and where it lies on the page).
    /// A picture's line under the file's own text (half its box covered by a line's) is left out: that text is exact.
    /// A picture's text goes before the first of the page's lines, in reading order, that lies across the picture's width
    /// and starts at or below the top of the picture's text (the caption under a screenshot, the next paragraph); where
    /// no line lies across it (a picture beside a column of text), before the first line that starts below the picture;
    /// else at the end. Its timings are added to the page's; with <paramref name="recognizedTogether"/> (the pictures'
    /// lines recognized in the same calls as the rest of the document) the recognition time is the longest, not the sum.
    /// </summary>
    public static OcrPage Merge(OcrPage page, IReadOnlyList<(OcrPage Read, PictureFrame Place)> pictures, bool recognizedTogether)
    {
        if (pictures.Count == 0)
        {
            return page;
        }

        // The page's own lines are one block each: its text is a line a row.
        var blocks = page.Lines.Select(l => new Block([l], l.Text, l.Box.MinX, l.Box.MaxX, l.Box.MinY)).ToList();
        var barcodes = page.Barcodes.ToList();
        var timings = page.Timings;
        foreach (var (read, place) in pictures.OrderBy(p => p.Place.Top).ThenBy(p => p.Place.Left))
        {
            timings = Add(timings, read.Timings, recognizedTogether);
            var scale = new Vector2((place.Right - place.Left) / Math.Max(1, read.Width), (place.Bottom - place.Top) / Math.Max(1, read.Height));
            var origin = new Vector2(place.Left, place.Top);
            Quad Map(Quad q) => new((q.TopLeft * scale) + origin, (q.TopRight * scale) + origin, (q.BottomRight * scale) + origin, (q.BottomLeft * scale) + origin);

            // A code drawn with vectors is read from the page's shapes, and again where its shapes were taken for drawn text
            // (PdfDrawnText): the same code over the same place comes once.
            barcodes.AddRange(read.Barcodes.Select(b => b with { Box = Map(b.Box) })
                .Where(b => !barcodes.Any(o => (o.Format, o.Text) == (b.Format, b.Text) && (o.Box.IsHalfUnder(b.Box) || b.Box.IsHalfUnder(o.Box)))));
            if (read.Lines.Count == 0)
            {
                continue;
            }

            // The file's own text drawn over a picture is exact: it wins over what the models read under it (visible text
            // typed over a pasted form; an OCR tool's invisible text over a picture it read, which would otherwise come twice).
            List<RecognizedLine> lines = [.. read.Lines.Select(l => l with { Box = Map(l.Box), Words = [.. l.Words.Select(w => w with { Box = Map(w.Box) })], FromPicture = true })];
            List<RecognizedLine> kept = [.. lines.Where(l => !page.Lines.Any(t => l.Box.IsHalfUnder(t.Box)))];
            if (kept.Count == 0)
            {
                continue;
            }

            var text = kept.Count == lines.Count ? read.Text : OcrEngine.JoinRows(kept, [.. kept.Select(l => l.Box)]);
            var block = new Block(kept, text, place.Left, place.Right, kept.Min(l => l.Box.MinY));
            blocks.Insert(Place(blocks, block, place.Bottom), block);
        }

        return page with
        {
            Lines = [.. blocks.SelectMany(b => b.Lines)],
            Text = string.Join('\n', blocks.Select(b => b.Text).Where(t => t.Length > 0)),
            Timings = timings,
            Barcodes = barcodes,
            Pictures = page.Pictures + pictures.Count,
            PicturesReadBefore = page.PicturesReadBefore + pictures.Count(p => p.Read.ReadBefore),
        };
    }

    // Where a picture's block goes among the page's blocks (in reading order): see Merge.
    private static int Place(List<Block> blocks, Block picture, float bottom)
    {
        var across = blocks.FindIndex(b => b.Top >= picture.Top && Math.Min(b.Right, picture.Right) > Math.Max(b.Left, picture.Left));
        if (across >= 0)
        {
            return across;
        }

        var below = blocks.FindIndex(b => b.Top >= bottom);
        return below >= 0 ? below : blocks.Count;
    }

    private static OcrTimings Add(OcrTimings a, OcrTimings b, bool recognizedTogether)
    {
        var recognize = recognizedTogether ? (a.Recognize > b.Recognize ? a.Recognize : b.Recognize) : a.Recognize + b.Recognize;
        var (decode, detect, classify) = (a.Decode + b.Decode, a.Detect + b.Detect, a.Classify + b.Classify);
        return new OcrTimings(decode, detect, classify, recognize, decode + detect + classify + recognize);
    }

    // Lines read together, their text, and where they lie across the page and from its top.
    private sealed record Block(List<RecognizedLine> Lines, string Text, float Left, float Right, float Top);
}
