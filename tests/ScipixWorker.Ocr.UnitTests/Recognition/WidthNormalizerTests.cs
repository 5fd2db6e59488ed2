using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class WidthNormalizerTests
{
    [Theory]
    [InlineData("TOTAL（RM）：9.00", "TOTAL(RM):9.00")]
    [InlineData("DOC NO. ：CS00004040", "DOC NO. :CS00004040")]
    [InlineData("GST ID ： 0021", "GST ID : 0021")]
    [InlineData("ＡＢＣ１２３", "ABC123")]
    [InlineData("ITEM\u3000QTY", "ITEM QTY")]
    [InlineData("（1UNIT）", "(1UNIT)")]
    [InlineData("：", ":")]
    public void Full_width_forms_in_latin_text_become_ascii(string recognized, string expected) =>
        Assert.Equal(expected, WidthNormalizer.Normalize(recognized));

    [Theory]
    [InlineData("金额：100")] // after Han
    [InlineData("谢谢！")]
    [InlineData("（谢谢）")] // around Han
    [InlineData("如有干便，敬请厚谅。")]
    [InlineData("お問い合わせ：03")] // kana
    [InlineData("합계：5")] // hangul
    [InlineData("金额 ： 100")] // spaces do not break the context
    public void Full_width_forms_next_to_cjk_text_stay(string recognized) =>
        Assert.Equal(recognized, WidthNormalizer.Normalize(recognized));

    [Theory]
    [InlineData("一.02", "-.02")] // a minus sign read as the Han numeral one (SROIE)
    [InlineData("12一03一2018", "12-03-2018")]
    [InlineData("TEL 03ー5542", "TEL 03-5542")]
    [InlineData("THANK YOU。", "THANK YOU.")]
    [InlineData("KUALA LUMPUR、 MALAYSIA", "KUALA LUMPUR, MALAYSIA")]
    [InlineData("一", "-")]
    public void Cjk_marks_that_look_like_ascii_punctuation_become_it_in_latin_text(string recognized, string expected) =>
        Assert.Equal(expected, WidthNormalizer.Normalize(recognized));

    [Theory]
    [InlineData("第一")]
    [InlineData("一二三")]
    [InlineData("一次性 5")]
    [InlineData("谢谢惠顾。")]
    [InlineData("ラーメン 12")]
    [InlineData("如有干便、敬请厚谅")]
    public void Cjk_marks_in_cjk_text_stay(string recognized) =>
        Assert.Equal(recognized, WidthNormalizer.Normalize(recognized));

    [Fact]
    public void A_run_of_full_width_forms_takes_its_context_from_around_the_run()
    {
        Assert.Equal("AMOUNT(RM):", WidthNormalizer.Normalize("AMOUNT（RM）："));
        Assert.Equal("金额）：", WidthNormalizer.Normalize("金额）："));
    }

    [Fact]
    public void Text_without_full_width_forms_is_returned_as_is()
    {
        const string text = "THANK YOU ¥5 £3 €2 (RM): 9.00";

        Assert.Same(text, WidthNormalizer.Normalize(text));
    }

    [Fact]
    public void Forms_outside_the_ascii_twins_are_left_alone()
    {
        Assert.Equal("X￥15.90", WidthNormalizer.Normalize("X￥15.90")); // U+FFE5 is not in U+FF01-U+FF5E
    }
}
