using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Ocr:DecimalPoints on real receipt amounts (fixtures/sroie/decimals, cut from SROIE receipts): the recognizer drops
/// the faint point of <c>0.00</c> and <c>7.74</c>, reads the one of <c>57.50</c>, <c>327.00</c> and <c>0.40</c> as a space, and sets a
/// space after the point of <c>2.83</c> in monospaced print.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class DecimalPointTests(EngineFixture fixture)
{
    public static TheoryData<string, string, string> Amounts => new()
    {
        { "003_036", "0.00", "000" },
        { "030_774", "7.74", "774" },
        { "126_5750", "57.50", "57 50" },
        { "006_32700", "327.00", "327 00" },
        { "108_040", "0.40", "0 40" },
        { "018_283", "2.83 UNI", "2. 83 UNI" },
    };

    [Theory]
    [MemberData(nameof(Amounts))]
    public void An_amounts_point_is_read_where_the_recognizer_let_it_go(string crop, string expected, string asEmitted)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, DecimalPoints = false });

        Assert.Equal(expected, Read(fixture.Engine, crop, OcrMode.SingleLine));
        Assert.Equal(asEmitted, Read(engine, crop, OcrMode.SingleLine));
    }

    [Fact]
    public async Task The_pipelined_path_and_a_page_read_it_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "decimals", "126_5750.png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        Assert.Equal("57.50", TextMetrics.Normalize(document.Text, caseInsensitive: true));
        Assert.Equal("57.50", Read(fixture.Engine, "126_5750", OcrMode.Full));
    }

    private static string Read(OcrEngine engine, string crop, OcrMode mode) => TextMetrics.Normalize(
        engine.Recognize(Fixtures.Bytes("sroie", "decimals", crop + ".png"), mode, TestContext.Current.CancellationToken).Text,
        caseInsensitive: true);
}
