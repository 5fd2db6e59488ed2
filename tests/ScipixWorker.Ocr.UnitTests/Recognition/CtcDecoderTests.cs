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
    public void All_blank_sequence_is_empty_with_zero_confidence()
    {
        var (text, confidence) = CtcDecoder.Decode(Steps((0, 0.99f), (0, 0.99f)), 2, Dictionary.Count, Dictionary);
        Assert.Equal(string.Empty, text);
        Assert.Equal(0f, confidence);
    }
}
