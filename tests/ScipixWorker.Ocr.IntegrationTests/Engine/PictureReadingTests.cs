using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Fonts.Standard14Fonts;
using UglyToad.PdfPig.Writer;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// The same picture on many born-digital pages (a letterhead logo, a stamp) is read by the models once and its reading
/// kept (<see cref="OcrEngineOptions.PictureCacheBytes"/>): later pages and later documents get the same lines, placed where
/// the picture lies on them. The reference is the shared engine, which keeps no readings and reads every picture.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PictureReadingTests(EngineFixture fixture)
{
    // A scanned letterhead (747 x 322 pixels) set on each page at another place and scale.
    private static readonly byte[] Letterhead = Fixtures.Bytes("sroie", "receipt_012_top.jpg");

    private static readonly PdfRectangle[] Places =
    [
        new(50, 450, 50 + 373.5, 450 + 161), // half a point a pixel
        new(120, 600, 120 + 298.8, 600 + 128.8), // 0.4
        new(30, 100, 30 + 560.25, 100 + 241.5), // 0.75
    ];

    private static OcrEngine KeepingEngine() => new(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory });

    // An invoice of pages that each carry the letterhead at Places[page] and a line of their own.
    private static byte[] Invoice(string number, int pages)
    {
        var builder = new PdfDocumentBuilder();
        var font = builder.AddStandard14Font(Standard14Font.Helvetica);
        for (var i = 0; i < pages; i++)
        {
            var page = builder.AddPage(PageSize.A4);
            page.AddJpeg(Letterhead, Places[i % Places.Length]);
            page.AddText($"Invoice {number}, page {i + 1}", 11, new PdfPoint(50, 60), font);
        }

        return builder.Build();
    }

    [Fact]
    public void A_picture_on_every_page_is_read_once_and_placed_on_each_as_reading_it_again_would()
    {
        using var engine = KeepingEngine();
        var pdf = Invoice("2026-0042", 3);

        var kept = engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);
        var readEachTime = fixture.Engine.Recognize(pdf, OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal([1, 1, 1], kept.Pages.Select(p => p.Pictures));
        Assert.Equal([0, 1, 1], kept.Pages.Select(p => p.PicturesReadBefore));
        Assert.Equal([0, 0, 0], readEachTime.Pages.Select(p => p.PicturesReadBefore));
        Assert.Contains("HOME MASTER", kept.Pages[0].Text, StringComparison.OrdinalIgnoreCase);
        for (var i = 0; i < 3; i++)
        {
            var (page, reference) = (kept.Pages[i], readEachTime.Pages[i]);
            Assert.Equal(reference.Text, page.Text);
            Assert.Equal(reference.Lines.Count, page.Lines.Count);
            for (var k = 0; k < page.Lines.Count; k++)
            {
                Assert.Equal((reference.Lines[k].Text, reference.Lines[k].Confidence), (page.Lines[k].Text, page.Lines[k].Confidence));
                Assert.Equal(reference.Lines[k].Box.MinX, page.Lines[k].Box.MinX, 0.01f);
                Assert.Equal(reference.Lines[k].Box.MaxY, page.Lines[k].Box.MaxY, 0.01f);
                Assert.Equal(reference.Lines[k].Words.Select(w => w.Text), page.Lines[k].Words.Select(w => w.Text));
            }
        }

        // The models ran for the first page's picture only.
        Assert.True(kept.Pages[0].Timings.Detect > TimeSpan.Zero && kept.Pages[0].Timings.Recognize > TimeSpan.Zero, $"{kept.Pages[0].Timings}");
        Assert.All(kept.Pages.Skip(1), p => Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero), (p.Timings.Detect, p.Timings.Classify, p.Timings.Recognize)));
    }

    [Fact]
    public void A_later_document_with_the_same_picture_takes_its_reading_unless_it_asks_for_more()
    {
        using var engine = KeepingEngine();
        var first = engine.Recognize(Invoice("2026-0042", 1), OcrMode.Full, TestContext.Current.CancellationToken);

        var next = Assert.Single(engine.Recognize(Invoice("2026-0043", 1), OcrMode.Full, TestContext.Current.CancellationToken).Pages);
        var withBarcodes = Assert.Single(engine.Recognize(Invoice("2026-0044", 1), OcrMode.Full, OcrExtras.Barcodes, TestContext.Current.CancellationToken).Pages);

        Assert.Equal(1, next.PicturesReadBefore);
        Assert.Equal(first.Pages[0].Text.Replace("0042", "0043", StringComparison.Ordinal), next.Text);
        Assert.Equal(0, withBarcodes.PicturesReadBefore); // the barcodes were not looked for the first time
        Assert.Equal(first.Pages[0].Text.Replace("0042", "0044", StringComparison.Ordinal), withBarcodes.Text);
    }

    [Fact]
    public void Without_a_budget_every_picture_is_read_every_time()
    {
        var read = fixture.Engine.Recognize(Invoice("2026-0042", 2), OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal([0, 0], read.Pages.Select(p => p.PicturesReadBefore));
        Assert.All(read.Pages, p => Assert.True(p.Timings.Recognize > TimeSpan.Zero, $"{p.Timings}"));
    }

    [Fact]
    public async Task Pipelined_a_picture_repeated_in_one_call_is_read_once_and_kept_for_the_next_call()
    {
        using var engine = KeepingEngine();
        var pdf = Invoice("2026-0042", 3);

        var kept = await engine.RecognizeAsync(pdf, OcrMode.Full, TestContext.Current.CancellationToken);
        var readEachTime = await fixture.Engine.RecognizeAsync(pdf, OcrMode.Full, TestContext.Current.CancellationToken);
        var nextCall = await engine.RecognizeAsync(Invoice("2026-0043", 1), OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal([0, 1, 1], kept.Pages.Select(p => p.PicturesReadBefore));
        Assert.Equal(1, Assert.Single(nextCall.Pages).PicturesReadBefore);
        // Each page's picture lines are the first page's reading, whatever batches the models read it in.
        var pictureText = kept.Pages.Select(p => p.Text[..p.Text.LastIndexOf('\n')]).ToList();
        Assert.All(pictureText, t => Assert.Equal(pictureText[0], t));
        Assert.Equal(pictureText[0], nextCall.Pages[0].Text[..nextCall.Pages[0].Text.LastIndexOf('\n')]);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(Cer.Of(readEachTime.Pages[i].Text, kept.Pages[i].Text) < 0.02, $"{readEachTime.Pages[i].Text}\n---\n{kept.Pages[i].Text}");
            Assert.Equal(readEachTime.Pages[i].Lines.Select(l => l.Box.MinY).ToList(), kept.Pages[i].Lines.Select(l => l.Box.MinY).ToList(), new FloatTolerance(0.01f));
            Assert.EndsWith($"Invoice 2026-0042, page {i + 1}", kept.Pages[i].Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_same_picture_twice_on_a_page_is_read_once()
    {
        using var engine = KeepingEngine();
        var builder = new PdfDocumentBuilder();
        var page = builder.AddPage(PageSize.A4);
        page.AddJpeg(Letterhead, Places[0]);
        page.AddJpeg(Letterhead, new PdfRectangle(50, 100, 50 + 373.5, 100 + 161));

        var read = Assert.Single(engine.Recognize(builder.Build(), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        Assert.Equal((2, 1), (read.Pictures, read.PicturesReadBefore));
        var half = read.Lines.Count / 2;
        Assert.Equal(read.Lines.Take(half).Select(l => l.Text), read.Lines.Skip(half).Select(l => l.Text));
        Assert.All(read.Lines.Take(half).Zip(read.Lines.Skip(half)), p => Assert.Equal(p.First.Box.MinY + 350, p.Second.Box.MinY, 0.01f));
    }

    [Fact]
    public void Text_drawn_as_shapes_the_same_on_every_page_is_read_once()
    {
        using var engine = KeepingEngine();
        using var outlined = UglyToad.PdfPig.PdfDocument.Open(Fixtures.Bytes("pdf", "outlined_invoice.pdf"));
        var builder = new PdfDocumentBuilder();
        for (var i = 0; i < 3; i++)
        {
            builder.AddPage(PageSize.A4).CopyFrom(outlined.GetPage(1)); // the same drawing, so the same rendering
        }

        var read = engine.Recognize(builder.Build(), OcrMode.Full, TestContext.Current.CancellationToken);

        Assert.Equal([1, 1, 1], read.Pages.Select(p => p.Pictures));
        Assert.Equal([0, 1, 1], read.Pages.Select(p => p.PicturesReadBefore));
        Assert.All(read.Pages, p => Assert.Equal(read.Pages[0].Text, p.Text));
        Assert.Contains("Invoice 2026-0042", read.Pages[2].Text.Split('\n'));
    }

    private sealed class FloatTolerance(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float x, float y) => Math.Abs(x - y) <= tolerance;

        public int GetHashCode(float obj) => 0;
    }
}
