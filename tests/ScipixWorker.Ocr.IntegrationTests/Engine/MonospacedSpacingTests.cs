using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Spaces in monospaced print read from its grid (Recognition/MonospacedSpacing) on real receipt lines
/// (fixtures/sroie/monospaced, cut from SROIE receipts by their annotated boxes). Before the rule these read
/// <c>Descr ipt ion</c>, <c>ROUND ING</c>, <c>Cashier : admin</c>, <c>Sarvice Char ge</c> and
/// <c>19-1, JALAN MAL INJA 2</c>: a narrow glyph beside a narrow one leaves a word's worth of white space in a
/// monospaced cell. <c>GST SUMMARY</c>, short capitals in a proportional bold font, keeps its space.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class MonospacedSpacingTests(EngineFixture fixture)
{
    public static TheoryData<string> Whole() => ["102_015", "132_022", "156_009", "114_066"];

    [Theory]
    [MemberData(nameof(Whole))]
    public void Words_in_monospaced_print_are_read_whole_and_word_gaps_kept(string line) =>
        Assert.Equal(Truth("monospaced", line), Read("monospaced", line));

    [Fact]
    public void A_word_split_where_two_narrow_glyphs_meet_is_joined()
    {
        // The recognizer reads Service as Sarvice here; the rule is about Charge.
        Assert.EndsWith(" CHARGE", Read("monospaced", "156_040"), StringComparison.Ordinal);

        // A whole line of an address, where the comma after 19-1 keeps its space and MALINJA loses the one at LI.
        Assert.StartsWith("19-1, JALAN MALINJA 2, TAMAN BUNGA RAYA", Read("lookalike", "156_004"), StringComparison.Ordinal);
    }

    private string Read(string folder, string line) => TextMetrics.Normalize(
        fixture.Engine.Recognize(Fixtures.Bytes("sroie", folder, line + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text,
        caseInsensitive: true);

    private static string Truth(string folder, string line) => TextMetrics.Normalize(Fixtures.Text("sroie", folder, line + ".gt.txt"), caseInsensitive: true);
}
