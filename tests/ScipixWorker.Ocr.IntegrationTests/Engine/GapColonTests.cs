using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Faint colons between a label and its value (Detection/GapColons) on the totals of three real receipts: 024 sets its
/// colons in a column far from the labels (<c>TOTAL TAX      :      3.12</c>), 114 prints them pale inside the labels'
/// boxes, where the recognizer lets them go (<c>Rounding :</c>), and 174 prints them paler still. Neither the detector
/// (nor its leavings, Detection/LoneMarks) nor the recognizer sees them.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class GapColonTests(EngineFixture fixture)
{
    public static TheoryData<string, string[]> Receipts => new()
    {
        { "receipt_024_totals.jpg", ["TOTAL TAX : 3.12", "ROUNDING : -0.02"] },
        { "receipt_114_totals.jpg", ["TOTAL GST : 2.53", "ROUNDING : 0.00"] },
        { "receipt_174_totals.jpg", ["TOTAL GST : 1.16"] },
    };

    [Theory]
    [MemberData(nameof(Receipts))]
    public void A_faint_colon_between_a_label_and_its_value_is_read_into_its_row(string receipt, string[] expected)
    {
        var rows = Rows(fixture.Engine, receipt);

        foreach (var row in expected)
        {
            Assert.Contains(row, rows);
        }
    }

    [Theory]
    [MemberData(nameof(Receipts))]
    public void Without_gap_colons_the_rows_have_none(string receipt, string[] expected)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, GapColons = false });

        var rows = Rows(engine, receipt);

        foreach (var row in expected)
        {
            Assert.Contains(row.Replace(" :", string.Empty, StringComparison.Ordinal), rows);
        }
    }

    [Fact]
    public async Task The_workers_pipelined_path_reads_them_too()
    {
        var document = await fixture.Engine.RecognizeAsync(Fixtures.Bytes("sroie", "gaps", "receipt_024_totals.jpg"), OcrMode.Full, TestContext.Current.CancellationToken);
        var rows = document.Pages[0].Text.ToUpperInvariant().Split('\n');

        Assert.Contains("TOTAL TAX : 3.12", rows);
        Assert.Contains("ROUNDING : -0.02", rows);
    }

    [Theory]
    [InlineData("gaps/receipt_114_totals.jpg")]
    [InlineData("receipt_018.jpg")]
    [InlineData("receipt_048.jpg")]
    public void A_colon_the_recognizer_or_a_lone_mark_read_is_not_read_again(string receipt)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, GapColons = false });
        var image = Fixtures.Bytes(["sroie", .. receipt.Split('/')]);

        var with = fixture.Engine.Recognize(image, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text.Split('\n');
        var without = engine.Recognize(image, OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text.Split('\n');

        // Row for row, at most one colon more, and never beside another.
        Assert.Equal(without.Length, with.Length);
        for (var i = 0; i < with.Length; i++)
        {
            Assert.InRange(with[i].Count(c => c == ':') - without[i].Count(c => c == ':'), 0, 1);
            Assert.DoesNotContain(": :", with[i], StringComparison.Ordinal);
            Assert.DoesNotContain("::", with[i], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("receipt_000.jpg")]
    [InlineData("receipt_012_top.jpg")]
    public void A_page_without_faint_colons_reads_the_same(string receipt)
    {
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, GapColons = false });

        Assert.Equal(
            engine.Recognize(Fixtures.Bytes("sroie", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text,
            fixture.Engine.Recognize(Fixtures.Bytes("sroie", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text);
    }

    private static string[] Rows(OcrEngine engine, string receipt) =>
        engine.Recognize(Fixtures.Bytes("sroie", "gaps", receipt), OcrMode.Full, TestContext.Current.CancellationToken).Pages[0].Text
            .ToUpperInvariant().Split('\n');
}
