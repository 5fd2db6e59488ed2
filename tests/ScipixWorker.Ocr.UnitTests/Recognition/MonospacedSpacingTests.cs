using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="MonospacedSpacing"/> through <see cref="CtcDecoder.Decode"/>: patterns as <see cref="CtcPattern"/> writes
/// them (a step is 8 px; <c>~~</c> is a gap where the space class reached 0.3, which the decoder reads as a space) over
/// synthetic lines. The monospaced ones set a glyph 10 px wide in each 16-px cell (columns 16i+3 to 16i+12).
/// </summary>
public sealed class MonospacedSpacingTests
{
    private const string Alphabet = "abc:,";

    private static (int Start, int End)[] Cells(params int[] cells) => cells.Select(i => ((16 * i) + 3, (16 * i) + 12)).ToArray();

    private static string Decode(string pattern, params (int Start, int End)[] glyphs) =>
        CtcPattern.Decode(Alphabet, pattern, ink: () => InkLine.Measure(InkLine.Tensor(pattern.Length * 8, glyphs), pattern.Length * 8));

    [Fact]
    public void A_space_inferred_between_neighbouring_cells_is_dropped()
    {
        // Without the ink the gap reads as a space.
        Assert.Equal("abcab cab", CtcPattern.Decode(Alphabet, "a_b_c_a_b~~c_a_b"));

        Assert.Equal("abcabcab", Decode("a_b_c_a_b~~c_a_b", Cells(0, 1, 2, 3, 4, 5, 6, 7)));
    }

    [Fact]
    public void An_empty_cell_is_a_space() =>
        Assert.Equal("abcab abc", Decode("a_b_c_a_b~~~~a_b_c", Cells(0, 1, 2, 3, 4, 6, 7, 8)));

    [Fact]
    public void A_space_the_model_emitted_between_neighbouring_cells_is_dropped() =>
        Assert.Equal("abcabcab", Decode("a_b_c_a_b_ c_a_b", Cells(0, 1, 2, 3, 4, 5, 6, 7)));

    [Fact]
    public void The_space_after_a_colon_or_a_comma_stays()
    {
        Assert.Equal("abcab: cab", Decode("a_b_c_a_b_:~~c_a_b", Cells(0, 1, 2, 3, 4, 5, 6, 7, 8)));
        Assert.Equal("abcab, cab", Decode("a_b_c_a_b_,~~c_a_b", Cells(0, 1, 2, 3, 4, 5, 6, 7, 8)));
    }

    [Fact]
    public void A_line_off_any_grid_keeps_its_spaces()
    {
        // Glyphs 8 and 28 px wide 6 px apart, as proportional print sets them: their centres stray a fifth of the pitch
        // from the best grid, although the two glyphs either side of the space are one median pitch apart.
        (int, int)[] glyphs = [(0, 7), (14, 21), (28, 55), (62, 89), (96, 103), (110, 137), (144, 151), (158, 165)];

        Assert.Equal("abcab cab", Decode("a_b_c___a___b~~c__a_b", glyphs));
    }

    [Fact]
    public void A_line_with_too_few_glyphs_to_find_its_pitch_keeps_its_spaces() =>
        Assert.Equal("abc ab", Decode("a_b_c~~a_b", Cells(0, 1, 2, 3, 4)));

    [Fact]
    public void The_ink_is_not_measured_for_a_line_without_a_space_colon_or_comma()
    {
        var measured = 0;
        var text = CtcPattern.Decode(Alphabet, "a_b_c_a_b_c_a_b", ink: () =>
        {
            measured++;
            return InkLine.Measure(InkLine.Tensor(128, Cells(0, 1, 2, 3, 4, 5, 6, 7)), 128);
        });

        Assert.Equal("abcabcab", text);
        Assert.Equal(0, measured);
    }

    [Fact]
    public void The_ink_is_measured_once_however_many_rules_read_it()
    {
        var measured = 0;
        var text = CtcPattern.Decode(Alphabet, "a_b_c_a_b~~c_a_b_:", ink: () =>
        {
            measured++;
            return InkLine.Measure(InkLine.Tensor(144, Cells(0, 1, 2, 3, 4, 5, 6, 7, 8)), 144);
        });

        Assert.Equal("abcabcab:", text); // the colon's rule and the grid's both read the ink
        Assert.Equal(1, measured);
    }

    [Fact]
    public void The_confidence_stays_the_models_over_what_it_emitted()
    {
        var dictionary = new CharacterDictionary(Alphabet.Select(c => c.ToString()).ToArray(), useSpace: true);
        var pattern = "a_b_c_a_b_ c_a_b";
        var probabilities = new float[pattern.Length * dictionary.Count];
        for (var t = 0; t < pattern.Length; t++)
        {
            var index = pattern[t] switch { '_' => 0, ' ' => dictionary.SpaceIndex, var c => Alphabet.IndexOf(c, StringComparison.Ordinal) + 1 };
            probabilities[(t * dictionary.Count) + index] = pattern[t] == ' ' ? 0.5f : 0.9f;
        }

        var (text, confidence) = CtcDecoder.Decode(probabilities, pattern.Length, dictionary.Count, dictionary, inferSpaces: true,
            ink: () => InkLine.Measure(InkLine.Tensor(128, Cells(0, 1, 2, 3, 4, 5, 6, 7)), 128));

        Assert.Equal("abcabcab", text);
        Assert.Equal(((8 * 0.9f) + 0.5f) / 9, confidence, 4);
    }
}
