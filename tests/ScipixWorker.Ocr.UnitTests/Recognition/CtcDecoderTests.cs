using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class CtcDecoderTests
{
    // Classes: 0 blank, 1 'a', 2 'b', 3 'c', 4 space.
    private static readonly CharacterDictionary Dictionary = new(["a", "b", "c"], useSpace: true);

    private static float[] Steps(params (int Best, float P)[] steps)
    {
        var classes = Dictionary.Count;
        var probabilities = new float[steps.Length * classes];
        for (var t = 0; t < steps.Length; t++)
        {
            var rest = (1 - steps[t].P) / (classes - 1);
            for (var c = 0; c < classes; c++)
            {
                probabilities[(t * classes) + c] = c == steps[t].Best ? steps[t].P : rest;
            }
        }

        return probabilities;
    }

    [Fact]
    public void Repeated_classes_collapse_into_one_character()
    {
        var (text, _) = CtcDecoder.Decode(Steps((1, 0.9f), (1, 0.8f), (2, 0.7f)), 3, Dictionary.Count, Dictionary);
        Assert.Equal("ab", text);
    }

    [Fact]
    public void A_blank_between_repeats_keeps_both_characters()
    {
        var (text, _) = CtcDecoder.Decode(Steps((1, 0.9f), (0, 0.9f), (1, 0.9f)), 3, Dictionary.Count, Dictionary);
        Assert.Equal("aa", text);
    }

    [Fact]
    public void Blanks_are_dropped_and_the_space_class_is_a_space()
    {
        var (text, _) = CtcDecoder.Decode(Steps((0, 0.99f), (3, 0.9f), (4, 0.8f), (0, 0.99f), (2, 0.6f)), 5, Dictionary.Count, Dictionary);
        Assert.Equal("c b", text);
    }

    [Fact]
    public void Confidence_is_the_mean_probability_of_emitted_characters_only()
    {
        // The repeated 'a' (0.5) and the blanks do not count: mean of 0.9 and 0.6.
        var (_, confidence) = CtcDecoder.Decode(Steps((1, 0.9f), (1, 0.5f), (0, 0.99f), (2, 0.6f)), 4, Dictionary.Count, Dictionary);
        Assert.Equal(0.75f, confidence, 5);
    }

    [Fact]
    public void Spaces_the_model_sets_before_the_first_character_or_after_the_last_are_left_out_with_inferred_spaces()
    {
        // " c b " as the model emits it (the white margin round a line read as spaces); PaddleOCR's decoding keeps them.
        var steps = Steps((4, 0.7f), (0, 0.99f), (3, 0.9f), (4, 0.8f), (2, 0.6f), (0, 0.99f), (4, 0.7f), (4, 0.6f));

        var (text, confidence) = CtcDecoder.Decode(steps, 8, Dictionary.Count, Dictionary, inferSpaces: true);
        var (faithful, faithfulConfidence) = CtcDecoder.Decode(steps, 8, Dictionary.Count, Dictionary);

        Assert.Equal("c b", text);
        Assert.Equal(" c b ", faithful);
        Assert.Equal(faithfulConfidence, confidence); // the model's, over all it emitted
    }

    [Fact]
    public void All_blank_sequence_is_empty_with_zero_confidence()
    {
        var (text, confidence) = CtcDecoder.Decode(Steps((0, 0.99f), (0, 0.99f)), 2, Dictionary.Count, Dictionary);
        Assert.Equal(string.Empty, text);
        Assert.Equal(0f, confidence);
    }
}

/// <summary>
/// Sequences written as patterns, one character per time step: a letter or digit of the alphabet emits that class,
/// '_' is a blank, '~' a blank where the space class has probability 0.3 (the model saw a gap but the blank won), '-' one
/// where it has 0.04 and '=' one where it has 0.01 (weak evidence), ' ' the space class.
/// </summary>
internal static class CtcPattern
{
    public static string Decode(string alphabet, string pattern, bool inferSpaces = true, Func<LineInk?>? ink = null)
    {
        var dictionary = new CharacterDictionary(alphabet.Select(c => c.ToString()).ToArray(), useSpace: true);
        var classes = dictionary.Count;
        var probabilities = new float[pattern.Length * classes];
        for (var t = 0; t < pattern.Length; t++)
        {
            var row = probabilities.AsSpan(t * classes, classes);
            switch (pattern[t])
            {
                case '_': row[0] = 0.9f; break;
                case '~': row[0] = 0.6f; row[dictionary.SpaceIndex] = 0.3f; break;
                case '-': row[0] = 0.9f; row[dictionary.SpaceIndex] = 0.04f; break;
                case '=': row[0] = 0.9f; row[dictionary.SpaceIndex] = 0.01f; break;
                case ' ': row[dictionary.SpaceIndex] = 0.9f; break;
                default: row[alphabet.IndexOf(pattern[t], StringComparison.Ordinal) + 1] = 0.9f; break;
            }
        }

        return CtcDecoder.Decode(probabilities, pattern.Length, classes, dictionary, inferSpaces, ink: ink).Text;
    }
}

public sealed class CtcSpaceInferenceTests
{
    private static string Decode(string pattern, bool inferSpaces = true) => CtcPattern.Decode("abc", pattern, inferSpaces);

    [Fact]
    public void Gap_where_the_space_class_was_likely_becomes_a_space() =>
        Assert.Equal("ab ca", Decode("a_b_~~_c_a"));

    [Fact]
    public void Long_gap_without_space_evidence_stays_joined() =>
        Assert.Equal("abca", Decode("a_b______c_a"));

    [Fact]
    public void Single_step_gap_is_too_short_for_a_space_even_with_evidence() =>
        Assert.Equal("abc", Decode("a_b~c"));

    [Fact]
    public void A_space_the_model_emitted_is_not_doubled() =>
        Assert.Equal("ab c", Decode("a_b~~ ~~c"));

    [Fact]
    public void Without_inference_the_output_is_paddleocrs() =>
        Assert.Equal("abca", Decode("a_b_~~_c_a", inferSpaces: false));
}

public sealed class CtcSpaceInferenceAroundNumbersTests
{
    private static string Decode(string pattern) => CtcPattern.Decode("12.,a", pattern);

    [Fact]
    public void No_space_is_inferred_after_a_decimal_point() =>
        Assert.Equal("2.12", Decode("2_.~~1_2"));

    [Fact]
    public void The_same_gap_after_a_period_that_ends_a_word_is_a_space() =>
        Assert.Equal("a. 12", Decode("a_.~~1_2"));

    [Fact]
    public void A_period_before_a_letter_still_takes_an_inferred_space() =>
        Assert.Equal("2. a", Decode("2_.~~a"));

    [Fact]
    public void A_comma_between_numbers_still_takes_an_inferred_space() =>
        Assert.Equal("2, 12", Decode("2_,~~1_2"));

    [Fact]
    public void A_space_the_model_emitted_after_a_decimal_point_is_kept() =>
        Assert.Equal("1. 2", Decode("1_.~ ~2"));
}

public sealed class CtcWideGapTests
{
    private static string Decode(string pattern) => CtcPattern.Decode("AB12.ab", pattern);

    [Fact]
    public void A_gap_half_the_line_high_with_a_few_hundredths_of_space_is_a_space() =>
        Assert.Equal("AB A", Decode("A_B---A"));

    [Fact]
    public void A_two_step_gap_needs_the_space_class_at_a_tenth() =>
        Assert.Equal("ABA", Decode("A_B--A"));

    [Fact]
    public void A_wide_gap_with_under_two_hundredths_of_space_stays_joined() =>
        Assert.Equal("AB", Decode("A===B"));

    [Fact]
    public void A_wide_gap_between_digits_is_a_space_too() =>
        Assert.Equal("12 21", Decode("1_2---2_1"));

    [Fact]
    public void A_wide_gap_between_two_lower_case_letters_needs_the_space_class_at_a_tenth()
    {
        Assert.Equal("ab", Decode("a---b"));
        Assert.Equal("a b", Decode("a~~~b"));
    }

    [Fact]
    public void A_wide_gap_before_a_capital_is_a_space() =>
        Assert.Equal("a B", Decode("a---B"));

    [Fact]
    public void Never_after_a_decimal_point() =>
        Assert.Equal("1.2", Decode("1_.---2"));

    [Fact]
    public void The_gap_rule_itself()
    {
        Assert.True(CtcDecoder.IsSpaceGap(2, 0.1f, "A", "B"));
        Assert.False(CtcDecoder.IsSpaceGap(2, 0.05f, "A", "B"));
        Assert.True(CtcDecoder.IsSpaceGap(3, 0.02f, "A", "B"));
        Assert.False(CtcDecoder.IsSpaceGap(3, 0.019f, "A", "B"));
        Assert.False(CtcDecoder.IsSpaceGap(3, 0.05f, "n", "g"));
        Assert.True(CtcDecoder.IsSpaceGap(3, 0.1f, "n", "g"));
        Assert.True(CtcDecoder.IsSpaceGap(3, 0.05f, ":", "0"));
        Assert.False(CtcDecoder.IsSpaceGap(1, 0.9f, "A", "B"));
    }
}
