using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Web addresses read whole (Recognition/WebAddresses, part of Ocr:InferSpaces) on real receipt lines
/// (fixtures/sroie/addresses, cut from SROIE receipts by their annotated boxes): the recognizer itself sets a space after
/// the periods of <c>www. popularonline. com. my</c>, and before the rule the decoder inferred one after <c>com.</c> in
/// <c>www.popular.com. my</c>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class WebAddressTests(EngineFixture fixture)
{
    [Theory]
    [InlineData("096_040")]
    [InlineData("096_042")]
    public void An_address_is_read_without_spaces_after_its_periods(string line) =>
        Assert.Equal(Truth(line), Read(fixture.Engine, line));

    [Fact]
    public void The_spaces_taken_out_are_the_model_s_own_as_well()
    {
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, InferSpaces = false });
        var raw = Read(asEmitted, "096_042");

        Assert.Contains(". ", raw, StringComparison.Ordinal);
        Assert.Equal(raw.Replace(" ", string.Empty, StringComparison.Ordinal), Read(fixture.Engine, "096_042"));
    }

    [Fact]
    public void Words_before_an_address_keep_their_spaces() =>
        // The recognizer reads the last label, MY, as ay; the rule is about the spaces.
        Assert.StartsWith("VISIT US ONLINE AT WWW.KINGS.COM.", Read(fixture.Engine, "168_064"), StringComparison.Ordinal);

    private static string Read(OcrEngine engine, string line) => TextMetrics.Normalize(
        engine.Recognize(Fixtures.Bytes("sroie", "addresses", line + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken).Text,
        caseInsensitive: true);

    private static string Truth(string line) => TextMetrics.Normalize(Fixtures.Text("sroie", "addresses", line + ".gt.txt"), caseInsensitive: true);
}
