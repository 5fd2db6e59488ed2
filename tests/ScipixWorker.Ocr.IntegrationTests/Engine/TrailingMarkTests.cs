using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Ocr:TrailingMarks on real receipt lines (fixtures/sroie/trailing, cut from SROIE receipts by their annotated boxes):
/// the recognizer lets the comma after <c>81100 JOHOR BAHRU</c>, the period after <c>52100 KUALA LUMPUR</c> and the
/// mark after <c>RETURNABLE</c> inside a line go, and the ink gives them back.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TrailingMarkTests(EngineFixture fixture)
{
    [Fact]
    public void The_comma_or_period_that_ends_a_line_is_read_from_the_ink()
    {
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, TrailingMarks = false });

        // The comma: read as annotated, and without the option the line ends at BAHRU.
        Assert.Equal(Truth("000_006"), Read(fixture.Engine, "000_006"));
        Assert.Equal("81100 JOHOR BAHRU", Read(asEmitted, "000_006"));

        // The period (the recognizer reads LUMPUR as LUMFUR here, which the word list puts right, not this rule).
        Assert.EndsWith(" LUMPUR.", Read(fixture.Engine, "168_004"), StringComparison.Ordinal);
        Assert.EndsWith(" LUMPUR", Read(asEmitted, "168_004"), StringComparison.Ordinal);
    }

    [Fact]
    public void The_mark_that_ends_a_word_inside_the_line_is_read_from_the_ink_too()
    {
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, TrailingMarks = false });

        // Printed RETURNABLE, THANK YOU. in small print: whether the first mark's tail shows in this crop is a pixel's
        // matter (the rule reads it a period here), that it is there is not.
        Assert.Matches(@"^GOODS SOLD ARE NOT RETURNABLE[.,] THANK YOU\.$", Read(fixture.Engine, "006_021"));
        Assert.Equal("GOODS SOLD ARE NOT RETURNABLE THANK YOU", Read(asEmitted, "006_021"));
    }

    [Fact]
    public async Task The_pipelined_path_reads_the_mark_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "trailing", "000_006.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        Assert.Equal(Truth("000_006"), TextMetrics.Normalize(document.Text, caseInsensitive: true));
    }

    private static string Read(OcrEngine engine, string line) => TextMetrics.Normalize(
        engine.Recognize(Fixtures.Bytes("sroie", "trailing", line + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text,
        caseInsensitive: true);

    private static string Truth(string line) => TextMetrics.Normalize(Fixtures.Text("sroie", "trailing", line + ".gt.txt"), caseInsensitive: true);
}
