using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.UnitTests.Engine;

/// <summary>Where a picture's reading goes on its born-digital page: its boxes in points, its text in the reading order.</summary>
public sealed class PagePicturesTests
{
    private static readonly TimeSpan Ms = TimeSpan.FromMilliseconds(1);

    // A text-layer page of lines (text, left, top, right), 10 points high, in reading order, as PdfTextLayer gives them.
    private static OcrPage TextPage(params (string Text, float Left, float Top, float Right)[] lines) =>
        new(1, 595, 842, [.. lines.Select(l => new RecognizedLine(l.Text, 1f, Quad.FromRectangle(l.Left, l.Top, l.Right - l.Left, 10)))],
            string.Join('\n', lines.Select(l => l.Text)), new OcrTimings(Ms, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, Ms))
        {
            Source = PageSource.TextLayer,
        };

    // A picture read alone: 200 x 100 pixels, one line at (20, 10)-(180, 40) with two words.
    private static OcrPage Picture(string text = "PICTURE TEXT", params RecognizedBarcode[] barcodes)
    {
        var box = Quad.FromRectangle(20, 10, 160, 30);
        var line = new RecognizedLine(text, 0.9f, box) { Words = [new RecognizedWord("PICTURE", 0.9f, box.Slice(0, 0.5f)), new RecognizedWord("TEXT", 0.9f, box.Slice(0.55f, 1))] };
        return new OcrPage(1, 200, 100, [line], text, new OcrTimings(2 * Ms, 3 * Ms, Ms, 4 * Ms, 10 * Ms)) { Barcodes = barcodes };
    }

    [Fact]
    public void Picture_lines_words_and_barcodes_move_from_its_pixels_to_the_page_points()
    {
        var code = new RecognizedBarcode("QR_CODE", "x", Quad.FromRectangle(100, 50, 100, 50));
        var place = new PictureFrame(100, 300, 200, 350); // half a point a pixel

        var page = PagePictures.Merge(TextPage(("Above", 50, 100, 150)), [(Picture(barcodes: code), place)], recognizedTogether: false);

        var line = page.Lines[1];
        Assert.Equal(Quad.FromRectangle(110, 305, 80, 15), line.Box);
        Assert.Equal(110, line.Words[0].Box.MinX, 0.001f);
        Assert.Equal(190, line.Words[1].Box.MaxX, 0.001f);
        Assert.Equal(0.9f, line.Confidence);
        Assert.Equal(Quad.FromRectangle(150, 325, 50, 25), Assert.Single(page.Barcodes).Box);
        Assert.Equal((PageSource.TextLayer, 595, 842), (page.Source, page.Width, page.Height));
    }

    [Fact]
    public void Picture_goes_before_the_first_line_across_it_at_or_below_its_top()
    {
        var text = TextPage(("Title", 50, 100, 300), ("Caption", 120, 400, 250), ("Footer", 50, 800, 500));

        var page = PagePictures.Merge(text, [(Picture(), new PictureFrame(100, 200, 400, 380))], recognizedTogether: false);

        Assert.Equal("Title\nPICTURE TEXT\nCaption\nFooter", page.Text);
        Assert.Equal(["Title", "PICTURE TEXT", "Caption", "Footer"], page.Lines.Select(l => l.Text));
    }

    [Fact]
    public void Picture_beside_a_column_goes_after_the_lines_that_start_above_its_foot()
    {
        // Left column 50-250 from 100 to 170; the picture on the right, 110-170: the column's lines beside it start below its
        // top but above its foot, and a line under both follows it.
        var text = TextPage(("Left 1", 50, 100, 250), ("Left 2", 50, 130, 250), ("Left 3", 50, 160, 250), ("Under", 50, 300, 250));

        var page = PagePictures.Merge(text, [(Picture(), new PictureFrame(320, 110, 500, 170))], recognizedTogether: false);

        Assert.Equal("Left 1\nLeft 2\nLeft 3\nPICTURE TEXT\nUnder", page.Text);
    }

    [Fact]
    public void Pictures_below_everything_or_on_a_page_without_text_go_top_first_at_the_end()
    {
        var lower = (Picture("LOWER"), new PictureFrame(300, 500, 400, 550));
        var upper = (Picture("UPPER"), new PictureFrame(50, 450, 150, 480));

        Assert.Equal("Top\nUPPER\nLOWER", PagePictures.Merge(TextPage(("Top", 50, 100, 300)), [lower, upper], recognizedTogether: false).Text);
        Assert.Equal("UPPER\nLOWER", PagePictures.Merge(TextPage(), [lower, upper], recognizedTogether: false).Text);
    }

    [Fact]
    public void Picture_lines_under_the_files_own_text_are_left_out()
    {
        // Two picture lines at 0.5 point a pixel from (100, 300): (110, 305)-(190, 320) and (110, 330)-(190, 345); the
        // file's text (an OCR tool's invisible layer, or text typed over a pasted form) lies over the first.
        var box = Quad.FromRectangle(20, 60, 160, 30);
        var picture = Picture() with
        {
            Lines = [.. Picture().Lines, new RecognizedLine("SECOND", 0.8f, box)],
            Text = "PICTURE TEXT\nSECOND",
        };
        var text = TextPage(("Title", 50, 100, 300), ("PICTURE TEXT", 108, 304, 195));

        var page = PagePictures.Merge(text, [(picture, new PictureFrame(100, 300, 200, 350))], recognizedTogether: false);

        Assert.Equal(["Title", "PICTURE TEXT", "SECOND"], page.Lines.Select(l => l.Text));
        Assert.Equal([1f, 1f, 0.8f], page.Lines.Select(l => l.Confidence));
        Assert.Equal("Title\nPICTURE TEXT\nSECOND", page.Text);
    }

    [Fact]
    public void Picture_with_no_text_adds_its_time_and_barcodes_but_no_line()
    {
        var blank = new OcrPage(1, 50, 50, [], string.Empty, new OcrTimings(Ms, Ms, TimeSpan.Zero, TimeSpan.Zero, 2 * Ms));

        var page = PagePictures.Merge(TextPage(("Only", 50, 100, 300)), [(blank, new PictureFrame(0, 0, 50, 50))], recognizedTogether: false);

        Assert.Equal(("Only", 1), (page.Text, page.Lines.Count));
        Assert.Equal(2 * Ms, page.Timings.Decode);
    }

    [Theory]
    [InlineData(false, 8)] // each picture recognized in calls of its own: their times add up
    [InlineData(true, 4)] // recognized in the same calls as the document: the longest
    public void Timings_add_the_pictures_stages(bool recognizedTogether, int recognizeMs)
    {
        var pictures = new[] { (Picture(), new PictureFrame(0, 500, 100, 550)), (Picture(), new PictureFrame(0, 600, 100, 650)) };

        var page = PagePictures.Merge(TextPage(("Top", 50, 100, 300)), pictures, recognizedTogether);
        var timings = page.Timings;

        Assert.Equal((5 * Ms, 6 * Ms, 2 * Ms, recognizeMs * Ms), (timings.Decode, timings.Detect, timings.Classify, timings.Recognize));
        Assert.Equal(timings.Decode + timings.Detect + timings.Classify + timings.Recognize, timings.Total);
        Assert.Equal(2, page.Pictures);
    }
}
