using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

public sealed class WordSpansTests
{
    private const int Width = 200; // 25 time steps of 8 px

    // One character a step: (text index, step), probability 0.9 unless given; consecutive ones share a word unless the
    // text has a space between them.
    private static List<CharacterSpan> Characters(string text, params int[] steps)
    {
        var characters = new List<CharacterSpan>();
        var k = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != ' ')
            {
                characters.Add(new CharacterSpan(i, 1, steps[k], steps[k], 0.9f));
                k++;
            }
        }

        return characters;
    }

    private static string Word(string text, WordSpan word) => text.Substring(word.Start, word.Length);

    [Fact]
    public void Words_reach_from_the_ink_under_their_first_character_to_the_ink_under_their_last()
    {
        // AB: glyphs at 10-20 and 23-33; CD: 60-70, then a D broken in two (73-75, 77-85); E: 120-130.
        var ink = InkLine.Measure(InkLine.Tensor(Width, (10, 20), (23, 33), (60, 70), (73, 75), (77, 85), (120, 130)), Width)!;
        const string text = "AB CD E";

        var words = WordSpans.Find(text, Characters(text, 1, 3, 8, 10, 15), ink, 8, Width);

        Assert.Equal(["AB", "CD", "E"], words.Select(w => Word(text, w)));
        Assert.Equal(10 / 200f, words[0].From, 4);
        Assert.Equal(34 / 200f, words[0].To, 4);
        Assert.Equal(60 / 200f, words[1].From, 4);
        Assert.Equal(86 / 200f, words[1].To, 4);
        Assert.Equal(120 / 200f, words[2].From, 4);
        Assert.Equal(131 / 200f, words[2].To, 4);
    }

    [Fact]
    public void A_glyph_broken_in_two_before_the_step_it_was_read_at_belongs_to_its_word()
    {
        // X's strokes at 40-44 and 47-55, read at step 6 (centre 52, the right stroke).
        var ink = InkLine.Measure(InkLine.Tensor(Width, (40, 44), (47, 55), (58, 66)), Width)!;
        const string text = "XY";

        var word = Assert.Single(WordSpans.Find(text, Characters(text, 6, 7), ink, 8, Width));

        Assert.Equal(40 / 200f, word.From, 4);
        Assert.Equal(67 / 200f, word.To, 4);
    }

    [Fact]
    public void A_word_never_takes_the_ink_under_its_neighbour_however_close()
    {
        // Two words set tight: A at 10-20, B at 23-30, a gap of two columns (under a glyph gap).
        var ink = InkLine.Measure(InkLine.Tensor(Width, (10, 20), (23, 30)), Width)!;
        const string text = "A B";

        var words = WordSpans.Find(text, Characters(text, 1, 3), ink, 8, Width);

        Assert.Equal(2, words.Length);
        Assert.Equal(21 / 200f, words[0].To, 4);
        Assert.Equal(23 / 200f, words[1].From, 4);
    }

    [Fact]
    public void Without_ink_a_word_spans_its_steps_and_half_a_step_either_side()
    {
        const string text = "AB";

        var word = Assert.Single(WordSpans.Find(text, Characters(text, 1, 3), null, 8, 100));

        Assert.Equal(4 / 100f, word.From, 4); // (1 - 0.5) x 8
        Assert.Equal(36 / 100f, word.To, 4); // (3 + 1.5) x 8
    }

    [Fact]
    public void A_word_whose_steps_have_no_ink_near_them_keeps_its_steps()
    {
        var ink = InkLine.Measure(InkLine.Tensor(Width, (10, 20)), Width)!;
        const string text = "A B";

        var words = WordSpans.Find(text, Characters(text, 1, 20), ink, 8, Width);

        Assert.Equal(10 / 200f, words[0].From, 4);
        Assert.Equal((20 - 0.5) * 8 / 200f, words[1].From, 4);
        Assert.Equal((20 + 1.5) * 8 / 200f, words[1].To, 4);
    }

    [Fact]
    public void Han_characters_are_words_of_their_own_and_latin_text_beside_them_is_one()
    {
        const string text = "合计RM5";

        var words = WordSpans.Find(text, Characters(text, 1, 4, 7, 8, 10), null, 8, Width);

        Assert.Equal(["合", "计", "RM5"], words.Select(w => Word(text, w)));
    }

    [Fact]
    public void A_space_the_model_emitted_parts_words_as_an_inferred_one_does()
    {
        const string text = "AB C";
        List<CharacterSpan> characters =
        [
            new(0, 1, 1, 1, 0.9f), new(1, 1, 3, 3, 0.9f), new(2, 1, 5, 5, 0.6f), new(3, 1, 7, 7, 0.9f),
        ];

        var words = WordSpans.Find(text, characters, null, 8, Width);

        Assert.Equal(["AB", "C"], words.Select(w => Word(text, w)));
    }

    [Fact]
    public void A_word_is_as_confident_as_its_characters_on_average()
    {
        const string text = "AB C";
        List<CharacterSpan> characters = [new(0, 1, 1, 1, 0.9f), new(1, 1, 3, 3, 0.5f), new(3, 1, 7, 7, 0.8f)];

        var words = WordSpans.Find(text, characters, null, 8, Width);

        Assert.Equal(0.7f, words[0].Confidence, 4);
        Assert.Equal(0.8f, words[1].Confidence, 4);
    }

    [Fact]
    public void No_characters_no_words() => Assert.Empty(WordSpans.Find(string.Empty, [], null, 8, Width));

    [Fact]
    public void Any_reading_and_any_ink_give_ordered_words_inside_the_line()
    {
        var random = new Random(20261206);
        for (var trial = 0; trial < 2000; trial++)
        {
            // Random glyph runs, and a random reading with steps in order (repeats allowed), spaces between some.
            var runs = new List<(int, int)>();
            for (var x = random.Next(0, 20); x < Width - 2; x += random.Next(3, 30))
            {
                var end = Math.Min(Width - 1, x + random.Next(0, 15));
                runs.Add((x, end));
                x = end;
            }

            var ink = random.Next(4) == 0 ? null : InkLine.Measure(InkLine.Tensor(Width, [.. runs]), Width);
            var text = new System.Text.StringBuilder();
            var characters = new List<CharacterSpan>();
            var step = 0;
            for (var k = random.Next(1, 14); k > 0 && step < 25; k--)
            {
                if (text.Length > 0 && random.Next(3) == 0)
                {
                    text.Append(' ');
                }

                var last = Math.Min(24, step + random.Next(0, 2));
                characters.Add(new CharacterSpan(text.Length, 1, step, last, (float)random.NextDouble()));
                text.Append((char)('A' + random.Next(26)));
                step = last + random.Next(0, 4);
            }

            var words = WordSpans.Find(text.ToString(), characters, ink, 8, Width);

            Assert.Equal(text.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries), words.Select(w => Word(text.ToString(), w)));
            for (var i = 0; i < words.Length; i++)
            {
                Assert.InRange(words[i].From, 0f, words[i].To);
                Assert.InRange(words[i].To, words[i].From, 1f);
                Assert.True(i == 0 || words[i].From >= words[i - 1].From, $"trial {trial}: word {i} starts before word {i - 1}");
            }
        }
    }
}
