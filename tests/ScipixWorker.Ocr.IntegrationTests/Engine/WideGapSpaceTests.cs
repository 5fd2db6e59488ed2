using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Spaces in wide gaps that the recognizer gave only a few hundredths (CtcDecoder.WideSpaceGap), on real receipt lines
/// in monospaced print. Before the wide-gap rule they read <c>Total QTY:4</c>, <c>GST ID: 000781500416</c>,
/// <c>:02-04-2018 15:14:07</c> and <c>SR @6%</c>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WideGapSpaceTests(EngineFixture fixture)
{
    public static TheoryData<string, string> Lines() => new()
    {
        { "spacing/567_031.png", "spacing/567_031.gt.txt" },
        { "spacing/609_006.png", "spacing/609_006.gt.txt" },
        { "spacing/549_010.png", "spacing/549_010.gt.txt" },
        { "line_195_029.png", "line_195_029.gt.txt" },
    };

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_wide_gap_in_monospaced_print_is_read_as_a_space(string image, string truth)
    {
        var text = fixture.Engine.Recognize(Fixtures.Bytes(["sroie", .. image.Split('/')]), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

        Assert.Equal(TextMetrics.Normalize(Fixtures.Text(["sroie", .. truth.Split('/')]), caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));
    }
}
