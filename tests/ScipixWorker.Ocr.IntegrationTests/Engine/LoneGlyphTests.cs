using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Characters standing alone (Detection/LoneGlyphs) on two real receipts: on 078 the detector does not see the quantity
/// <c>1</c> that begins the row <c>1 06S BRAISED</c>, and boxes the <c>7</c> of <c>7 116 DISTILLED</c> tighter than the
/// glyph, whose crop then reads below the drop score; on 048 it boxes the <c>6</c> of the tax summary's <c>SR 6</c> so
/// that its crop reads as <c>B</c> below it; on 030 the detector does not see the quantity <c>1</c>, 7 x 14 px, between
/// an item's unit price and its amount (<c>$2.70 1 $2.70</c>). Each reads from a crop fitted to its ink.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LoneGlyphTests(EngineFixture fixture)
{
    // Each receipt's rows as read, and as read without the glyphs.
    public static TheoryData<string, string[], string[]> Receipts => new()
    {
        { "glyphs/receipt_078.jpg", ["1 06S BRAISED 1 20.00 20.00", "7 116 DISTILLED 1 0.60 0.60"], ["06S BRAISED 1 20.00 20.00", "116 DISTILLED 1 0.60 0.60"] },
        { "receipt_048.jpg", ["SR 6 95.17 6.71"], ["SR 95.17 6.71"] },
        { "glyphs/receipt_030_items.jpg", ["$2.70 1 $2.70"], ["$2.70 $2.70"] },
    };

    [Theory]
    [MemberData(nameof(Receipts))]
    public void A_lone_glyph_is_read_into_its_row(string receipt, string[] expected, string[] without)
    {
        var rows = Rows(fixture.Engine, receipt);

        foreach (var row in expected)
        {
            Assert.Contains(row, rows);
        }

        Assert.All(without, row => Assert.DoesNotContain(row, rows));
    }

    [Theory]
    [MemberData(nameof(Receipts))]
    public void Without_lone_glyphs_the_rows_miss_them(string receipt, string[] expected, string[] without)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LoneGlyphs = false });

        var rows = Rows(engine, receipt);

        Assert.All(without, row => Assert.Contains(row, rows));
        Assert.All(expected, row => Assert.DoesNotContain(row, rows));
    }

    [Fact]
    public async Task The_workers_pipelined_path_reads_them_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "glyphs", "receipt_078.jpg"), OcrMode.Full, TestContext.Current.CancellationToken);
        var rows = document.Pages[0].Text.ToUpperInvariant().Split('\n');

        Assert.Contains("1 06S BRAISED 1 20.00 20.00", rows);
        Assert.Contains("7 116 DISTILLED 1 0.60 0.60", rows);
    }

    [Fact]
    public void Each_glyph_is_a_line_of_its_own_whose_box_takes_in_its_ink_and_the_rows_height()
    {
        var page = fixture.Engine.Recognize(Fixtures.Bytes("sroie", "glyphs", "receipt_078.jpg"), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0];

        var braised = Assert.Single(page.Lines, l => l.Text.Contains("BRAISED", StringComparison.OrdinalIgnoreCase));
        var one = Assert.Single(page.Lines, l => l.Text == "1" && l.Box.MaxX < braised.Box.MinX);
        var seven = Assert.Single(page.Lines, l => l.Text == "7");

        // The 1's ink lies at x 109-125, y 758-785 (the receipt's annotation); the 7's at x 110-126, y 1257-1281, where
        // the detector's box was 13 x 18 px from x 113, y 1262.
        Assert.True(one.Box.MinX <= 109 && one.Box.MaxX >= 125 && one.Box.MinY <= 758 && one.Box.MaxY >= 785, $"{one.Box}");
        Assert.True(seven.Box.MinX <= 110 && seven.Box.MaxX >= 126 && seven.Box.MinY <= 1257 && seven.Box.MaxY >= 1281, $"{seven.Box}");
        Assert.InRange(one.Confidence, 0.9f, 1f);
    }

    [Theory]
    [InlineData("receipt_000.jpg")]
    [InlineData("receipt_012_top.jpg")]
    public void A_page_without_lone_glyphs_reads_the_same(string receipt)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LoneGlyphs = false });

        Assert.Equal(
            engine.Recognize(Fixtures.Bytes("sroie", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text,
            fixture.Engine.Recognize(Fixtures.Bytes("sroie", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text);
    }

    private static string[] Rows(OcrEngine engine, string receipt) =>
        engine.Recognize(Fixtures.Bytes(["sroie", .. receipt.Split('/')]), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text
            .ToUpperInvariant().Split('\n');
}
