using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>Ocr:HalfWidthOutsideCjk on real receipts: what the recognizer emits, and what the engine returns.</summary>
[Collection(EngineCollection.Name)]
public sealed class FullWidthFormsTests(EngineFixture fixture)
{
    private static bool IsFullWidth(char c) => c is >= '\uFF01' and <= '\uFF5E';

    [Fact]
    public void Full_width_brackets_the_recognizer_emits_in_a_latin_line_are_returned_as_ascii()
    {
        var image = Fixtures.Bytes("sroie", "line_339_064.png");
        var truth = Fixtures.Text("sroie", "line_339_064.gt.txt");
        // Read once: stretched (Ocr:CondensedLines) the recognizer reads this condensed line with ASCII brackets.
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, HalfWidthOutsideCjk = false, CondensedLines = false });
        using var normalized = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, CondensedLines = false });

        var raw = asEmitted.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;
        var text = normalized.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

        Assert.Contains(raw, IsFullWidth); // the model's own output: "TOTAL6% SUPPLIES（EXCL.GST）:"
        Assert.DoesNotContain(text, IsFullWidth);
        Assert.Equal(WidthNormalizer.Normalize(raw), text);
        Assert.True(Cer.Of(truth, text, caseInsensitive: true) < Cer.Of(truth, raw, caseInsensitive: true), $"'{raw}' -> '{text}'");
    }

    [Fact]
    public void Full_width_punctuation_in_the_chinese_lines_of_a_receipt_stays()
    {
        var page = Assert.Single(fixture.Engine.Recognize(Fixtures.Bytes("sroie", "receipt_000.jpg"), OcrMode.Full, TestContext.Current.CancellationToken).Pages);

        var chinese = page.Lines.Where(l => l.Text.Any(c => c is >= '\u4E00' and <= '\u9FFF')).ToList();
        Assert.NotEmpty(chinese);
        Assert.Contains(chinese, l => l.Text.Any(IsFullWidth)); // the receipt's "如有干便，敬请厚谅。谢谢！"
        Assert.All(page.Lines.Except(chinese), l => Assert.DoesNotContain(l.Text, IsFullWidth));
    }
}
