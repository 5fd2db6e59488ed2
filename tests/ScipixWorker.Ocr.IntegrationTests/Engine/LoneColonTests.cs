using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Colons in a column of their own (Detection/LoneMarks) on a real receipt: receipt 018 of SROIE aligns its labels'
/// colons in a column (<c>Sub Total      :      RM 68.87</c>), and the detector's size filter drops them with the specks,
/// so PaddleOCR's pipeline reads <c>Sub Total RM 68.87</c>.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LoneColonTests(EngineFixture fixture)
{
    private static readonly string[] Labels = ["ADDRESS", "SUB TOTAL", "GST/TAX 6%"];

    [Fact]
    public void A_colon_in_a_column_of_its_own_is_read_into_its_row()
    {
        var rows = Rows(fixture.Engine, "receipt_018.jpg");

        foreach (var label in Labels)
        {
            Assert.Contains(rows, row => row.StartsWith(label + " :", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task The_workers_pipelined_path_reads_them_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "receipt_018.jpg"), OcrMode.Full, TestContext.Current.CancellationToken);
        var rows = document.Pages[0].Text.ToUpperInvariant().Split('\n');

        foreach (var label in Labels)
        {
            Assert.Contains(rows, row => row.StartsWith(label + " :", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Without_lone_colons_and_gap_colons_the_detector_drops_them()
    {
        // GapColons looks for colons between labels and values in the page's pixels, and finds these too.
        using var paddle = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LoneColons = false, GapColons = false });

        var rows = Rows(paddle, "receipt_018.jpg");

        foreach (var label in Labels)
        {
            Assert.Contains(rows, row => row.StartsWith(label, StringComparison.Ordinal) && !row.Contains(':', StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("receipt_000.jpg")]
    [InlineData("receipt_048.jpg")]
    public void A_page_without_such_colons_reads_the_same(string receipt)
    {
        using var paddle = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LoneColons = false });

        Assert.Equal(Rows(paddle, receipt), Rows(fixture.Engine, receipt));
    }

    private static string[] Rows(OcrEngine engine, string receipt) =>
        engine.Recognize(Fixtures.Bytes("sroie", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text
            .ToUpperInvariant().Split('\n');
}
