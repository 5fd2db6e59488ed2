using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Spaces beside colons and after commas read from the ink (Recognition/PunctuationSpacing), on real receipt lines. The recognizer gives the
/// space class nothing beside these colons: before the rule they read <c>TEL:03-3271 9872</c>, <c>Cashier:</c>,
/// <c>TOTAL:</c> and <c>Cash Inv No.:7817F712</c>. The colons set close to their label or inside a time must stay so.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class PunctuationSpacingTests(EngineFixture fixture)
{
    public static TheoryData<string> Spaced() => ["021_004", "213_010", "567_036", "339_006"];

    public static TheoryData<string> Close() => ["063_001", "099_014", "609_021"];

    [Theory]
    [MemberData(nameof(Spaced))]
    public void White_space_beside_a_colon_is_read_as_a_space(string line) => AssertReadsAsAnnotated(line);

    [Theory]
    [MemberData(nameof(Close))]
    public void A_colon_set_close_to_its_label_or_inside_a_time_gets_no_space(string line) => AssertReadsAsAnnotated(line);

    [Fact]
    public void White_space_after_a_comma_is_read_as_a_space()
    {
        // NO 290, JALAN AIR PANAS, in monospaced print: the recognizer emits no space after the comma.
        var text = fixture.Engine.Recognize(Fixtures.Bytes("sroie", "spacing", "111_002.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

        Assert.StartsWith("NO 290, JALAN AIR PANAS", TextMetrics.Normalize(text, caseInsensitive: true), StringComparison.Ordinal);
    }

    [Fact]
    public void White_space_far_along_a_line_is_measured_where_the_characters_are()
    {
        // CHERAS, 56100 KUALA LUMPUR.: a 583-px-wide input read as 73 time steps, 7.99 px each. The comma, at step 20, is
        // inked at columns 160..164; measured at whole 7-px steps it was looked for at column 143, in the S before it,
        // and the line came out CHERAS,56100.
        var text = fixture.Engine.Recognize(Fixtures.Bytes("sroie", "spacing", "417_002.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

        Assert.Equal(TextMetrics.Normalize(Fixtures.Text("sroie", "spacing", "417_002.gt.txt"), caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));
    }

    private void AssertReadsAsAnnotated(string line)
    {
        var text = fixture.Engine.Recognize(Fixtures.Bytes("sroie", "colons", line + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

        Assert.Equal(TextMetrics.Normalize(Fixtures.Text("sroie", "colons", line + ".gt.txt"), caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));
    }
}
