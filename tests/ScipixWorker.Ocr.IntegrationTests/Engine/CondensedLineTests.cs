using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Condensed lines read again stretched (Recognition/CondensedLines), on real receipt crops whose characters the
/// recognizer saw packed at half a time step or less each. Read once, as PaddleOCR does, they lose characters and
/// spaces: <c>(Price Inclusive OI GST)</c>, <c>14MMay/2017</c>, <c>Total 6% supplies(excl.GST):</c>,
/// <c>TAX INVOICE/ADJUSTMENT NOTE</c>, <c>PAT:3799027/C209031/IF:0177</c>, <c>12,JalanTami7Kawasan erindustin</c>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class CondensedLineTests(EngineFixture fixture, CondensedLineTests.ReadOnce readOnce) : IClassFixture<CondensedLineTests.ReadOnce>
{
    public static TheoryData<string> Lines() =>
        [Path.Combine("condensed", "033_035"), Path.Combine("condensed", "261_008"), "line_339_064", Path.Combine("condensed", "369_005")];

    [Theory]
    [MemberData(nameof(Lines))]
    public void A_condensed_line_reads_as_annotated_and_read_once_it_does_not(string line)
    {
        var truth = Normalize(Fixtures.Text("sroie", line + ".gt.txt"));

        Assert.Equal(truth, Normalize(Read(fixture.Engine, line)));
        Assert.NotEqual(truth, Normalize(Read(readOnce.Engine, line)));
    }

    [Theory]
    [InlineData("helvetica_111_004")] // 53200, KUALA LUMPUR, read once 53200, KALA UMU: 13 characters in 35 steps
    [InlineData("times_010024")] // However, it is fortunate from the point of, read once However runt fmt pnf
    public void A_line_whose_first_reading_lost_the_characters_that_show_it_dense_is_read_again(string line)
    {
        // Printed lines rendered tight (docs/quality.md): the first reading drops so many characters to the blank that
        // counted alone they fall under the density limit; those it let go count too.
        var truth = Normalize(Fixtures.Text("rendered", line + ".gt.txt"));
        var image = Fixtures.Bytes("rendered", line + ".png");

        Assert.Equal(truth, Normalize(fixture.Engine.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text));
        Assert.NotEqual(truth, Normalize(readOnce.Engine.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text));
    }

    [Fact]
    public async Task The_workers_pipelined_path_reads_them_again_too()
    {
        var line = Path.Combine("condensed", "369_005");

        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", line + ".png"), OcrMode.SingleLine, TestContext.Current.CancellationToken);

        Assert.Equal(Normalize(Fixtures.Text("sroie", line + ".gt.txt")), Normalize(document.Text));
    }

    [Theory]
    [InlineData("225_025")] // PAT:37993027/RC:209031/IF:40132774, 34 characters in 47 time steps
    [InlineData("045_003")] // 12,JALAN TAMPOI 7/4,KAWASAN PERINDUSTRIAN, small print in a tall crop
    public void A_densely_packed_line_loses_at_most_a_third_of_the_errors_it_had(string line)
    {
        var name = Path.Combine("condensed", line);
        var truth = Fixtures.Text("sroie", name + ".gt.txt");

        var stretched = Read(fixture.Engine, name);
        var once = Read(readOnce.Engine, name);

        var errors = TextMetrics.CharacterErrors(Normalize(truth), Normalize(stretched));
        var before = TextMetrics.CharacterErrors(Normalize(truth), Normalize(once));
        Assert.True(errors * 3 <= before, $"'{once}' ({before} errors) -> '{stretched}' ({errors})");
    }

    [Theory]
    [InlineData("receipt_000.jpg")]
    [InlineData("receipt_048.jpg")]
    public void A_receipt_reads_about_as_well(string receipt)
    {
        var truth = Fixtures.Text("sroie", Path.ChangeExtension(receipt, ".gt.txt"));

        var stretched = Read(fixture.Engine, receipt, OcrMode.Full);
        var once = Read(readOnce.Engine, receipt, OcrMode.Full);

        // Over the 30 receipts of sroie_pages the two read alike (4.20 % and 4.19 % CER); a page's condensed lines can go
        // either way (receipt 048: Roundlng read again, GST ID set apart).
        Assert.True(
            Cer.Of(truth, stretched, caseInsensitive: true) <= Cer.Of(truth, once, caseInsensitive: true) + 0.005,
            $"{Cer.Of(truth, once, caseInsensitive: true):P2} read once, {Cer.Of(truth, stretched, caseInsensitive: true):P2} with condensed lines read again");
    }

    private static string Read(OcrEngine engine, string name, OcrMode mode = OcrMode.SingleLine) =>
        engine.Recognize(Fixtures.Bytes("sroie", name.EndsWith(".jpg", StringComparison.Ordinal) ? name : name + ".png"), mode, TestContext.Current.CancellationToken).Text;

    private static string Normalize(string text) => TextMetrics.Normalize(text, caseInsensitive: true);

    /// <summary>An engine that reads every line once (<c>Ocr:CondensedLines=false</c>), shared by the class's tests.</summary>
    public sealed class ReadOnce : IDisposable
    {
        public OcrEngine Engine { get; } = new(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, CondensedLines = false });

        public void Dispose() => Engine.Dispose();
    }
}
