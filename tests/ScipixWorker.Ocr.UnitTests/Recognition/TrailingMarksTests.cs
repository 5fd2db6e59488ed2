using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="TrailingMarks"/> through <see cref="CtcDecoder.Decode"/>, on a synthetic line <c>abab</c> (four glyphs
/// 7 px wide, one per two time steps, the text's band rows 12 to 35, 24 px) followed by whatever mark a test paints.
/// The patterns are those of <see cref="MarkPatterns"/>.
/// </summary>
public sealed class TrailingMarksTests
{
    private const string Alphabet = "ab.,";
    private const int Width = 80;

    private static string Decode(string pattern, bool trailingMarks = true, params (int Start, int End, int Top, int Bottom)[] marks) =>
        Read(pattern, trailingMarks, [(1, 7), (17, 23), (33, 39), (49, 55)], marks);

    private static string Read(string pattern, bool trailingMarks, (int Start, int End)[] glyphs, (int Start, int End, int Top, int Bottom)[] marks)
    {
        var dictionary = MarkPatterns.Dictionary(Alphabet);
        var probabilities = MarkPatterns.Probabilities(dictionary, Alphabet, pattern);

        var tensor = InkLine.Tensor(Width, glyphs);
        foreach (var (start, end, top, bottom) in marks)
        {
            InkLine.Paint(tensor, Width, start, end, top, bottom);
        }

        return CtcDecoder.Decode(probabilities, pattern.Length, dictionary.Count, dictionary, inferSpaces: true,
            ink: () => LineInk.Measure(tensor, Width, InkLine.Height, Width, Width / 8), trailingMarks: trailingMarks).Text;
    }

    [Fact]
    public void A_dot_on_the_baseline_after_the_last_letter_is_a_period() =>
        Assert.Equal("abab.", Decode("a_b_a_b_*_", marks: (60, 63, 30, 35)));

    [Fact]
    public void A_mark_that_reaches_below_the_text_is_a_comma_whichever_the_model_preferred() =>
        Assert.Equal("abab,", Decode("a_b_a_b_*_", marks: (60, 63, 30, 39)));

    [Fact]
    public void The_comma_the_model_gave_is_read_as_well() =>
        Assert.Equal("abab,", Decode("a_b_a_b_+_", marks: (60, 63, 30, 39)));

    [Fact]
    public void Ink_the_model_saw_nothing_in_is_a_speck() =>
        Assert.Equal("abab", Decode("a_b_a_b___", marks: (60, 63, 30, 35)));

    [Fact]
    public void No_mark_in_the_ink_adds_nothing() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_"));

    [Fact]
    public void A_dash_or_a_rule_is_no_period() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_", marks: (58, 72, 33, 35)));

    [Fact]
    public void A_mark_high_in_the_line_is_no_period() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_", marks: (60, 63, 12, 17)));

    [Fact]
    public void A_mark_followed_by_more_ink_is_left_alone() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_", marks: [(60, 63, 30, 35), (70, 76, 12, 35)]));

    [Fact]
    public void A_mark_far_from_the_last_letter_is_left_alone() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_", marks: (73, 76, 30, 35)));

    [Fact]
    public void A_line_that_already_ends_in_punctuation_gets_no_more() =>
        Assert.Equal("abab.", Decode("a_b_a_b_._", marks: (60, 63, 30, 35)));

    [Fact]
    public void Without_the_option_the_output_is_the_models() =>
        Assert.Equal("abab", Decode("a_b_a_b_*_", trailingMarks: false, marks: (60, 63, 30, 35)));

    [Fact]
    public void A_comma_that_ends_a_word_inside_the_line_is_read_before_the_space() =>
        Assert.Equal("ab, ab", Within("a_b+_ a_b_", (26, 29, 30, 39)));

    [Fact]
    public void A_period_that_ends_a_word_inside_the_line_is_read_too() =>
        Assert.Equal("ab. ab", Within("a_b*_ a_b_", (26, 29, 30, 35)));

    [Fact]
    public void A_mark_between_words_the_model_did_not_see_is_a_speck() =>
        Assert.Equal("ab ab", Within("a_b__ a_b_", (26, 29, 30, 35)));

    [Fact]
    public void More_ink_between_the_words_than_the_mark_leaves_them_as_read() =>
        Assert.Equal("ab ab", Within("a_b*_ a_b_", (26, 29, 30, 35), (36, 42, 12, 35)));

    // The line "ab ab": glyphs at steps 0, 2, 6 and 8 (a space the model emitted at step 5), and the marks painted.
    private static string Within(string pattern, params (int Start, int End, int Top, int Bottom)[] marks) =>
        Read(pattern, trailingMarks: true, [(1, 7), (17, 23), (49, 55), (65, 71)], marks);
}
