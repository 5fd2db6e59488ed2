using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="LookalikeWords"/> through <see cref="CtcDecoder.Decode"/> with a small word list, on output written as
/// <see cref="SteppedOutput"/> reads it (<c>"0|O=.005"</c>: a <c>0</c>, with <c>O</c> at 0.005).
/// </summary>
public sealed class LookalikeWordsTests
{
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.:%";

    private static readonly CharacterDictionary Dictionary = new([.. Alphabet.Select(c => c.ToString())], useSpace: true);

    private static readonly Lexicon Words = new(["invoice", "no", "bill", "post", "lot", "so", "sol", "voodoo"], ["Nol"]);

    private static string Decode(params string[] steps) => Decode(true, Words, steps);

    private static string Decode(bool resolve, Lexicon? lexicon, params string[] steps) =>
        CtcDecoder.Decode(SteppedOutput.Probabilities(Dictionary, steps), steps.Length, Dictionary.Count, Dictionary, inferSpaces: true, resolveLookalikes: resolve, lexicon: lexicon).Text;

    private static string[] Word(string reading, string alternatives = "") =>
        [.. reading.Select((c, i) => (alternatives.Length > i && alternatives[i] != '-' ? $"{c}|{alternatives[i]}=.005" : c.ToString()) + (i + 1 < reading.Length ? "\n_" : string.Empty))
            .SelectMany(s => s.Split('\n'))];

    [Fact]
    public void A_digit_in_a_word_that_the_model_gave_the_listed_letter_a_little_becomes_it() =>
        Assert.Equal("INVOICE", Decode(Word("INV0ICE", "---O")));

    [Fact]
    public void A_short_listed_word_too() =>
        Assert.Equal("NO:", Decode([.. Word("N0:", "-O")]));

    [Fact]
    public void A_letter_and_a_digit_other_than_0_are_a_code_and_stay()
    {
        Assert.Equal("S1", Decode("S", "_", "1|O=.005|L=.05"));
        Assert.Equal("SO", Decode("S", "_", "0|O=.005"));
    }

    [Fact]
    public void Several_digits_become_letters_together() =>
        Assert.Equal("Bill", Decode(Word("Bi11", "--ll")));

    [Fact]
    public void The_letter_is_written_in_the_word_s_case() =>
        Assert.Equal("no", Decode("n", "_", "0|O=.005"));

    [Fact]
    public void A_digit_the_model_gave_no_letter_stays() =>
        Assert.Equal("N0", Decode("N", "_", "0|O=.001"));

    [Fact]
    public void Letters_that_spell_no_listed_word_stay() =>
        Assert.Equal("T0280", Decode(Word("T0280", "-OZBO")));

    [Fact]
    public void A_name_is_not_a_word_to_write() =>
        Assert.Equal("N01", Decode(Word("N01", "-Ol")));

    [Fact]
    public void Digits_that_start_a_word_stay() =>
        Assert.Equal("10T", Decode(Word("10T", "lO")));

    [Fact]
    public void More_digits_than_a_word_holds_stay() =>
        Assert.Equal("V00D00", Decode(Word("V00D00", "-OO-OO")));

    [Fact]
    public void The_likeliest_listed_spelling_is_written()
    {
        // 0 could be O (0.02) or Q (0.05); only SO is listed, so it is written though Q was likelier.
        Assert.Equal("SO", Decode("S", "_", "0|Q=.05|O=.02"));

        // 1 could be I (0.08) or L (0.05) after SO: only SOL is listed.
        Assert.Equal("SOL", Decode("S", "_", "O", "_", "1|L=.05|I=.08"));
    }

    [Fact]
    public void A_space_or_punctuation_ends_the_word() =>
        Assert.Equal("N 0 N.0", Decode("N", " ", "0|O=.005", " ", "N", "_", ".", "_", "0|O=.005"));

    [Fact]
    public void Without_the_word_list_or_the_option_the_digits_stay()
    {
        Assert.Equal("INV0ICE", Decode(true, null, Word("INV0ICE", "---O")));
        Assert.Equal("INV0ICE", Decode(false, Words, Word("INV0ICE", "---O")));
    }
}
