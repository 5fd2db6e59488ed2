using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// <see cref="CtcDecoder.Decode"/> with every rule on, on random recognizer output: whatever the model gives, the text is
/// trimmed, has one space between words at most, and its characters are written in order.
/// </summary>
public sealed class CtcDecoderRandomOutputTests
{
    [Fact]
    public void Any_output_decodes_with_every_rule_on_into_trimmed_text_whose_characters_are_written_in_order()
    {
        // Letters, digits, the marks the rules read (periods, commas, colons, @, %, $, slashes) and the space, at random
        // probabilities: every rule meets readings it was not written for (addresses, amounts, look-alikes, case).
        const string alphabet = "AaBcCdEGhIilLmMnNoOrRsSTuUvVwWxz0125689.,:@%$/-";
        var dictionary = new CharacterDictionary([.. alphabet.Select(c => c.ToString())], useSpace: true);
        var lexicon = new Lexicon(["com", "item", "invoice", "no", "bill", "cash", "sales", "mill"], ["Ali"]);
        var random = new Random(20261207);
        for (var trial = 0; trial < 3000; trial++)
        {
            var steps = random.Next(1, 60);
            var classes = dictionary.Count;
            var probabilities = new float[steps * classes];
            for (var t = 0; t < steps; t++)
            {
                var row = probabilities.AsSpan(t * classes, classes);
                var first = random.Next(3) == 0 ? 0 : random.Next(classes);
                row[first] = 0.4f + (0.6f * (float)random.NextDouble());
                for (var k = random.Next(0, 4); k > 0; k--)
                {
                    row[random.Next(classes)] += (1 - row[first]) * (float)random.NextDouble() / 4;
                }
            }

            var width = Math.Max(16, steps * 8);
            var ink = random.Next(2) == 0 ? null : InkLine.Measure(InkLine.Tensor(width, [.. Glyphs(random, width)]), width);
            var written = new List<CharacterSpan>();
            var (text, confidence) = CtcDecoder.Decode(
                probabilities, steps, classes, dictionary, inferSpaces: true, resolveLookalikes: true, ink is null ? null : () => ink,
                trailingMarks: true, decimalPoints: true, lexicon: lexicon, written: written);

            Assert.DoesNotContain("  ", text, StringComparison.Ordinal);
            Assert.Equal(text.Trim(), text);
            Assert.InRange(confidence, 0f, 1f);
            var at = 0;
            foreach (var span in written)
            {
                Assert.True(span.TextStart >= at, $"trial {trial}: '{text}'");
                Assert.True(text[at..span.TextStart].All(c => c == ' '), $"trial {trial}: '{text}'");
                Assert.InRange(span.FirstStep, 0, span.LastStep);
                at = span.TextStart + span.TextLength;
            }

            Assert.Equal(text.Length, at);
        }
    }

    private static IEnumerable<(int, int)> Glyphs(Random random, int width)
    {
        for (var x = random.Next(0, 8); x < width - 2; x += random.Next(2, 12))
        {
            var end = Math.Min(width - 1, x + random.Next(1, 8));
            yield return (x, end);
            x = end;
        }
    }
}
