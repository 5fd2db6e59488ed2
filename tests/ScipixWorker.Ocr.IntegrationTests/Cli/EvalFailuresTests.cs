using ScipixWorker.Cli.Eval;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Cli;

/// <summary><c>scipix eval</c> on a set with an image the engine refuses: that item is scored as read empty, the rest as read.</summary>
public sealed class EvalFailuresTests
{
    [Theory]
    [InlineData(1)] // one image a call (pages)
    [InlineData(2)] // line images batched (--batch), where the engine answers each image on its own
    public void An_image_the_engine_refuses_counts_as_read_empty_and_the_set_goes_on(int chunk)
    {
        // The receipt is 463 x 1013 pixels, one over the limit; the line crops are far smaller.
        using var engine = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, MaxPixels = (463 * 1013) - 1 });
        var receipt = new ManifestItem(Fixtures.Path("sroie", "receipt_000.jpg"), "TAN WOON YANN");
        var lines = Fixtures.SroieLineCrops.Take(3).Select(n => new ManifestItem(Fixtures.Path("sroie", n + ".png"), Fixtures.Text("sroie", n + ".gt.txt"))).ToList();

        var cancel = TestContext.Current.CancellationToken;
        var alone = EvalCommand.Evaluate(lines, chunk, items => EvalCommand.Recognize(engine, items, OcrMode.SingleLine, cancel), true, false, cancel);
        var report = EvalCommand.Evaluate(
            [lines[0], receipt, .. lines[1..]], chunk, items => EvalCommand.Recognize(engine, items, OcrMode.SingleLine, cancel), true, false, cancel);

        Assert.Equal(0, alone.Failed);
        Assert.Equal(1, report.Failed);
        Assert.Equal(4, report.Images);
        Assert.Equal(alone.Characters + receipt.GroundTruth.Length, report.Characters);
        // The receipt's characters all count as deleted; the lines score as they do without it.
        Assert.Equal((alone.Cer * alone.Characters) + receipt.GroundTruth.Length, report.Cer * report.Characters, 6);
        Assert.Equal(alone.ExactMatch * 3, report.ExactMatch * 4, 6);
    }
}
