using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Engine;

/// <summary>
/// Ocr:ResolveLookalikes on real receipt lines (fixtures/sroie/lookalike, cut from SROIE receipts by their annotated
/// boxes): six where the recognizer emits a digit in a word or a letter in a number, three whose codes mix letters and
/// digits and must come back as printed, three where it reads a word's capital I as a lower-case l, two where it reads
/// the comma after an address's number as a period, two where it reads a number's first zero as the letter O, one where it reads a dollar sign as S, one where it reads a capital S small inside GST, and four
/// whose digits in a word only the word list resolves (<see cref="ScipixWorker.Ocr.Recognition.LookalikeWords"/>).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class LookalikeTests(EngineFixture fixture)
{
    // The recognizer's own output on these: SA0371155T, 7/1L8B, L0T, TE1, N0, CONFECTI0NERY.
    private static readonly string[] Confused = ["012_007", "072_005", "084_003", "144_010", "162_006", "168_001"];

    // LCS03908, KSB80051978, C38: codes the model is sure of.
    private static readonly string[] Codes = ["018_010", "168_008", "042_016"];

    // The recognizer's own output on these: Total lteim(a), Chrg(lncl. GST 6%), Jalan lpoh.
    private static readonly string[] CapitalI = ["012_035", "042_027", "108_003"];

    // The recognizer's own output on these: PERJIRANAN 10., 19-1.JALAN.
    private static readonly string[] CommaAfterNumber = ["048_004", "156_004"];

    // The recognizer's own output on these, the letter under each digit a hundredth or less: Closed Bi11, RESERVAT10N NO,
    // INV0ICE NO, TEL N0:-. Only the word list tells them from codes.
    private static readonly string[] ListedWords = ["018_061", "042_009", "162_007", "168_005"];

    // The recognizer's own output on these: MEMBER POINTS : O.00, TOTAL POINTS: O.00.
    private static readonly string[] LetterBeforeDecimals = ["054_012", "054_035"];

    // The recognizer's own output on this: Total Amount: S8.20.
    private static readonly string[] DollarSigns = ["030_018"];

    private static (byte[] Image, string Truth) Line(string name) =>
        (Fixtures.Bytes("sroie", "lookalike", name + ".png"), Fixtures.Text("sroie", "lookalike", name + ".gt.txt").Trim());

    private static string Read(OcrEngine engine, byte[] image) =>
        engine.Recognize(image, OcrMode.SingleLine, TestContext.Current.CancellationToken).Text;

    [Fact]
    public void Digits_in_words_and_letters_in_numbers_the_recognizer_doubted_are_read_as_printed()
    {
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ResolveLookalikes = false });
        foreach (var name in Confused)
        {
            var (image, truth) = Line(name);
            var raw = Read(asEmitted, image);
            var text = Read(fixture.Engine, image);

            Assert.NotEqual(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(raw, caseInsensitive: true));
            Assert.Equal(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));

            // Only letters and digits changed, each for its look-alike of the other kind, one for one.
            Assert.Equal(raw.Length, text.Length);
            Assert.All(raw.Zip(text).Where(p => p.First != p.Second), p => Assert.True(char.IsAsciiDigit(p.First) != char.IsAsciiDigit(p.Second), $"{name}: '{raw}' -> '{text}'"));
        }
    }

    [Fact]
    public void Codes_that_mix_letters_and_digits_keep_them()
    {
        foreach (var name in Codes)
        {
            var (image, truth) = Line(name);
            Assert.Equal(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(Read(fixture.Engine, image), caseInsensitive: true));
        }
    }

    [Fact]
    public void Digits_in_a_word_are_read_as_the_letters_that_spell_a_listed_word()
    {
        using var withoutList = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LexiconCorrection = false });
        foreach (var name in ListedWords)
        {
            var (image, truth) = Line(name);
            var raw = Read(withoutList, image);
            var text = Read(fixture.Engine, image);

            Assert.NotEqual(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(raw, caseInsensitive: true));
            Assert.Equal(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));

            // Only digits changed, each to a letter, one for one; the line's codes and numbers kept (T0280, 010 - 7745055).
            Assert.Equal(raw.Length, text.Length);
            var changes = raw.Zip(text).Where(p => p.First != p.Second).ToList();
            Assert.NotEmpty(changes);
            Assert.All(changes, p => Assert.True(char.IsAsciiDigit(p.First) && char.IsAsciiLetter(p.Second), $"{name}: '{raw}' -> '{text}'"));
        }
    }

    [Fact]
    public void A_letter_alone_before_a_decimal_point_is_read_as_the_digit_the_model_also_saw() =>
        AssertOnlyChanged(LetterBeforeDecimals, ('O', '0'));

    [Fact]
    public void A_dollar_sign_read_as_S_before_an_amount_is_read_as_a_dollar_sign() => AssertOnlyChanged(DollarSigns, ('S', '$'));

    [Fact]
    public void A_small_letter_read_inside_a_word_of_capitals_is_read_as_a_capital()
    {
        // Printed "Total Includes GST 0%"; the recognizer reads GsT, its s the size of a capital S.
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ResolveLookalikes = false, LexiconCorrection = false });
        var (image, truth) = Line("066_048");
        var raw = Read(asEmitted, image);
        var text = Read(fixture.Engine, image);

        Assert.Contains("GsT", raw, StringComparison.Ordinal);
        Assert.Equal(raw.Replace("GsT", "GST", StringComparison.Ordinal), text);
        Assert.Equal(TextMetrics.Normalize(truth, caseInsensitive: true), TextMetrics.Normalize(text, caseInsensitive: true));
    }

    [Fact]
    public void A_capital_I_read_as_l_at_the_start_of_a_word_is_read_as_I() => AssertOnlyChanged(CapitalI, ('l', 'I'));

    [Fact]
    public void A_comma_read_as_a_period_after_an_address_number_is_read_as_a_comma() => AssertOnlyChanged(CommaAfterNumber, ('.', ','));

    // Each line, read with and without the option, differs only by the change given, at least once, one for one (spaces
    // aside: a comma gets the space after it that the white space there calls for), and reads closer to the annotation.
    // Both without the word list, which goes on to mend the word (Iteim -> Item).
    private static void AssertOnlyChanged(string[] names, (char From, char To) change)
    {
        using var asEmitted = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, ResolveLookalikes = false, LexiconCorrection = false });
        using var resolved = new OcrEngine(new OcrEngineOptions { ModelDirectory = Fixtures.ModelDirectory, LexiconCorrection = false });
        foreach (var name in names)
        {
            var (image, truth) = Line(name);
            var raw = Read(asEmitted, image);
            var text = Read(resolved, image);

            var (rawInk, textInk) = (raw.Replace(" ", string.Empty, StringComparison.Ordinal), text.Replace(" ", string.Empty, StringComparison.Ordinal));
            Assert.Equal(rawInk.Length, textInk.Length);
            var changes = rawInk.Zip(textInk).Where(p => p.First != p.Second).ToList();
            Assert.NotEmpty(changes);
            Assert.All(changes, p => Assert.Equal(change, p));
            Assert.True(Cer.Of(truth, text, caseInsensitive: true) < Cer.Of(truth, raw, caseInsensitive: true), $"{name}: '{raw}' -> '{text}'");
        }
    }
}
