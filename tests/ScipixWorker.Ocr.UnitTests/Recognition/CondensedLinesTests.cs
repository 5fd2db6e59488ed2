using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class CondensedLinesTests
{
    private const double StepWidth = 8;

    // Ink from column 0 to column extent - 1 of a 960-px line (the rest white): glyphs 6 px wide every 8 px.
    private static Func<LineInk?> Ink(int extent)
    {
        var glyphs = Enumerable.Range(0, extent / 8).Select(k => (k * 8, (k * 8) + 5)).Append((extent - 6, extent - 1)).ToArray();
        var ink = InkLine.Measure(InkLine.Tensor(960, glyphs), 960);
        return () => ink;
    }

    [Fact]
    public void Ten_characters_over_ten_steps_of_ink_are_condensed()
    {
        Assert.True(CondensedLines.IsCondensed("PAT:379930", 0, Ink(80), StepWidth));
    }

    [Fact]
    public void Ten_characters_over_thirty_steps_of_ink_are_not()
    {
        Assert.False(CondensedLines.IsCondensed("PAT:379930", 0, Ink(240), StepWidth));
    }

    [Fact]
    public void The_limit_is_the_density_over_the_ink_not_over_the_whole_crop()
    {
        // 10 characters over 20 steps of ink (0.5 per step) on a 960-px crop (120 steps, 0.08 per step over the crop).
        Assert.True(CondensedLines.IsCondensed("PAT:379930", 0, Ink(160), StepWidth));
        Assert.False(CondensedLines.IsCondensed("PAT:379930", 0, Ink(240), StepWidth)); // 0.42 per step
    }

    [Fact]
    public void Spaces_are_not_characters_of_the_pitch()
    {
        // 8 characters and 7 spaces over 20 steps: 0.4 per step, under the limit; counting the spaces would make it 0.75.
        Assert.False(CondensedLines.IsCondensed("A B C D E F G H", 0, Ink(160), StepWidth));
    }

    [Fact]
    public void Too_few_characters_say_nothing_and_are_not_measured()
    {
        var measured = false;

        Assert.False(CondensedLines.IsCondensed("6.00", 0, () => { measured = true; return null; }, StepWidth));
        Assert.False(measured);
    }

    [Fact]
    public void A_line_without_ink_is_not_condensed()
    {
        Assert.False(CondensedLines.IsCondensed("PAT:379930", 0, () => null, StepWidth));
    }

    [Fact]
    public void Characters_the_reading_let_go_count_towards_the_density()
    {
        // 53200, KALA UMU: 13 characters over 35 steps of ink (0.37 per step), and 4 the blank won over (17: 0.49).
        Assert.False(CondensedLines.IsCondensed("53200, KALA UMU", 0, Ink(280), StepWidth));
        Assert.True(CondensedLines.IsCondensed("53200, KALA UMU", 4, Ink(280), StepWidth));
    }

    [Fact]
    public void Characters_the_reading_let_go_count_towards_the_least_to_tell_by()
    {
        Assert.False(CondensedLines.IsCondensed("53200", 2, Ink(24), StepWidth)); // 7 characters
        Assert.True(CondensedLines.IsCondensed("53200", 3, Ink(24), StepWidth));
    }

    [Fact]
    public void A_character_under_the_blank_between_two_read_is_let_go()
    {
        // K, then A at 0.47 under a blank of 0.51, then L: the greedy reading is KL.
        Assert.Equal(1, Dropped("K_a_L", 0.47f));
    }

    [Fact]
    public void Too_little_under_the_blank_is_not_a_character()
    {
        Assert.Equal(0, Dropped("K_a_L", 0.09f));
        Assert.Equal(1, Dropped("K_a_L", CondensedLines.MinDropped));
    }

    [Fact]
    public void The_tail_of_a_characters_run_and_the_space_are_not_let_go()
    {
        Assert.Equal(0, Dropped("Kk_L", 0.4f)); // K's own run fading into the blank
        Assert.Equal(0, Dropped("K_ _L", 0.4f)); // a space under the blank: spaces are not counted
    }

    [Fact]
    public void A_line_read_again_as_it_was_dense_keeps_the_second_reading()
    {
        Assert.Equal("PAT:37993027", CondensedLines.Kept(new("PAT:3799027", 0.9f, []), new("PAT:37993027", 0.8f, []), toFind: false).Text);
        Assert.Equal("GST SUMMARY", CondensedLines.Kept(new("GSTSUMMARY", 0.9f, []), new("GST SUMMARY", 0.8f, []), toFind: false).Text);
    }

    [Fact]
    public void A_line_read_again_to_find_characters_keeps_the_second_reading_only_where_it_found_some()
    {
        Assert.Equal("53200, KUALA LUMPUR", CondensedLines.Kept(new("53200, KALA UMU", 0.8f, []), new("53200, KUALA LUMPUR", 0.9f, []), toFind: true).Text);
        Assert.Equal("GST Summary", CondensedLines.Kept(new("GST Summary", 0.9f, []), new("G ST Summary", 0.9f, []), toFind: true).Text);
        Assert.Equal("Payment Mode", CondensedLines.Kept(new("Payment Mode", 0.9f, []), new("Paymen Mode", 0.9f, []), toFind: true).Text);
    }

    // One step per character of the pattern: a capital is read (0.9), '_' is a blank (0.9), a lower-case letter is a blank
    // (1 - p) over that capital at p, ' ' a blank over the space class at p.
    private static int Dropped(string pattern, float p)
    {
        const string Alphabet = "AKL";
        var dictionary = new CharacterDictionary(Alphabet.Select(c => c.ToString()).ToArray(), useSpace: true);
        var classes = dictionary.Count;
        var probabilities = new float[pattern.Length * classes];
        for (var t = 0; t < pattern.Length; t++)
        {
            var row = probabilities.AsSpan(t * classes, classes);
            var c = pattern[t];
            if (c == '_')
            {
                row[0] = 0.9f;
            }
            else if (c == ' ')
            {
                (row[0], row[dictionary.SpaceIndex]) = (1 - p, p);
            }
            else if (char.IsLower(c))
            {
                (row[0], row[Alphabet.IndexOf(char.ToUpperInvariant(c), StringComparison.Ordinal) + 1]) = (1 - p, p);
            }
            else
            {
                row[Alphabet.IndexOf(c, StringComparison.Ordinal) + 1] = 0.9f;
            }
        }

        return CondensedLines.Dropped(probabilities, pattern.Length, classes, dictionary);
    }

    [Fact]
    public void A_condensed_line_is_stretched_by_the_factor_at_the_recognizer_height()
    {
        var line = new RgbBuffer(258, 25);

        var stretched = CondensedLines.Stretch(line, 48);

        Assert.Equal(48, stretched.Height);
        Assert.Equal((int)Math.Ceiling(48 * CondensedLines.Factor * 258 / 25), stretched.Width); // 744 instead of 496
        stretched.Release();
    }
}
