namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The decimal point of an amount, where the recognizer let it go or set a space beside it. Receipts print amounts with
/// two decimals, and PP-OCRv4's CTC output sometimes drops a faint point (<c>0.00</c> read <c>000</c>, <c>7.74</c> read
/// <c>774</c>), reads it as a space (<c>57.50</c> read <c>57 50</c>), or emits a space after it in monospaced print, where
/// the point fills a cell of its own (<c>RM 2.83</c> read <c>RM 2. 83</c>).
/// <para>
/// Only before exactly two digits that end a number: cents, where a point belongs, and never a thousands group or a
/// postcode (<c>BATU 5. 51200</c>). A space the model emitted between a digit's period and them is dropped (not after a
/// comma: <c>LOT 2, 12</c> is an address). Where it emitted no point between a digit and them (a space or nothing), a
/// point goes in when the model gave the period or the comma at least <see cref="MinProbability"/> there: it saw the
/// point, and the blank won. The points these amounts lose are too faint for the ink to show (a few grey pixels in the
/// crop), so the model's evidence is all there is; which of the two it gave more is the one written.
/// </para>
/// </summary>
internal static class DecimalPoints
{
    /// <summary>
    /// The least the model must have given the period or the comma between the digits: the hundredth a line's final mark
    /// needs too (<see cref="TrailingMarks.MinProbability"/>); a speck gets nothing.
    /// </summary>
    public const float MinProbability = TrailingMarks.MinProbability;

    public static void Apply(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        if (dictionary.Period < 0 || dictionary.Comma < 0)
        {
            return;
        }

        for (var k = 0; k + 2 < characters.Count; k++)
        {
            if (!IsDigit(characters, k, dictionary))
            {
                continue;
            }

            var point = characters[k + 1].Class == dictionary.Period;
            var space = characters[k + 1].Class == dictionary.SpaceIndex;
            var cents = point && characters[k + 2].Class == dictionary.SpaceIndex ? k + 3 : point || space ? k + 2 : k + 1;
            if (!Cents(characters, cents, dictionary))
            {
                continue;
            }

            if (point)
            {
                if (cents == k + 3)
                {
                    characters.RemoveAt(k + 2); // RM 2. 83
                }

                characters[k + 2] = characters[k + 2] with { SpaceBefore = false };
                continue;
            }

            if (Seen(characters[k], characters[cents], probabilities, classes, dictionary) is { } mark)
            {
                if (space)
                {
                    characters.RemoveAt(k + 1);
                }

                characters[k + 1] = characters[k + 1] with { SpaceBefore = false };
                characters.Insert(k + 1, new CtcCharacter(mark, characters[k].LastStep + 1, false, characters[k].LastStep + 1));
            }
        }
    }

    // The period or the comma, whichever the model gave more between two characters, if that reached MinProbability.
    private static int? Seen(CtcCharacter before, CtcCharacter after, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        var (period, comma) = TrailingMarks.Seen(probabilities, classes, dictionary, before.LastStep + 1, after.Step);
        return Math.Max(period, comma) < MinProbability ? null : comma > period ? dictionary.Comma : dictionary.Period;
    }

    // Exactly two digits from `index` on, then no more.
    private static bool Cents(List<CtcCharacter> characters, int index, CharacterDictionary dictionary) =>
        index + 1 < characters.Count && IsDigit(characters, index, dictionary) && IsDigit(characters, index + 1, dictionary)
        && !characters[index + 1].SpaceBefore && (index + 2 == characters.Count || !IsDigit(characters, index + 2, dictionary));

    private static bool IsDigit(List<CtcCharacter> characters, int index, CharacterDictionary dictionary) =>
        dictionary[characters[index].Class] is [var c] && char.IsAsciiDigit(c);
}
