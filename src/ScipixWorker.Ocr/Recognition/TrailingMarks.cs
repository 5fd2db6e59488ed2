namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The period or comma that ends a line or a word, read from the ink where the recognizer let it go. Receipts end address lines
/// and sentences with one (<c>81100 JOHOR BAHRU,</c>, <c>TAMAN AIR BIRU,</c>, <c>THANK YOU.</c>), and PP-OCRv4's CTC
/// output often drops a small mark at the end of its sequence: the blank wins there, though the model gave the mark a
/// few hundredths or more.
/// <para>
/// The line's ink (<see cref="LineInk"/>) decides: after the run of ink under the last character read (a letter or a
/// digit) there must be exactly one more run, and it must look like a period or a comma. It is small (at most
/// <see cref="MaxWidth"/> of the text's height wide, <see cref="MinHeight"/> to <see cref="MaxHeight"/> tall, and no
/// more than <see cref="MaxAspect"/> times as wide as tall, which a dash or an underline is), lies in the lower half of
/// the text's band, and stands at most <see cref="MaxGap"/> of the height from the character. The model must have seen
/// it too: the comma or the period reached <see cref="MinProbability"/> somewhere after the last character. A mark
/// whose ink reaches <see cref="CommaDescent"/> of the height below the band (a comma's tail) is a comma, any other a
/// period; the model's own choice between the two is no guide (it gave the period more at most of the commas).
/// </para>
/// <para>
/// The same holds where a word ends inside the line (<see cref="ApplyWithin"/>): between a letter or digit and the next
/// word, across a space, exactly one run of ink that looks like the mark, and the model's few hundredths for it there
/// (<c>GOODS SOLD ARE NOT RETURNABLE, THANK YOU</c>).
/// </para>
/// </summary>
internal static class TrailingMarks
{
    /// <summary>The widest a mark may be, as a fraction of the text's height.</summary>
    public const double MaxWidth = 0.3;

    /// <summary>The least height of a mark, as a fraction of the text's height: less is a speck.</summary>
    public const double MinHeight = 0.08;

    /// <summary>The greatest height of a mark, as a fraction of the text's height.</summary>
    public const double MaxHeight = 0.5;

    /// <summary>How many times as wide as tall a mark may be: wider is a dash or a rule.</summary>
    public const double MaxAspect = 1.6;

    /// <summary>The most white space between the last character's ink and the mark, as a fraction of the text's height.</summary>
    public const double MaxGap = 0.6;

    /// <summary>The least the model must have given the comma or the period after the last character.</summary>
    public const float MinProbability = 0.01f;

    /// <summary>How far below the text's band, as a fraction of its height, a comma's tail reaches.</summary>
    public const double CommaDescent = 0.06;

    public static void Apply(
        List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary, Func<LineInk?> measure)
    {
        if (characters.Count < 3 || dictionary.Comma < 0 || dictionary.Period < 0
            || dictionary[characters[^1].Class] is not [var last] || !char.IsLetterOrDigit(last))
        {
            return;
        }

        var after = characters[^1].LastStep + 1;
        if (SeenEither(probabilities, classes, dictionary, after, steps) < MinProbability || measure() is not { } ink || ink.Runs.Count < 2
            || ink.RunAt(characters[^1].LastStep) != ink.Runs.Count - 2 || Mark(ink, ink.Runs.Count - 1, dictionary) is not { } mark)
        {
            return;
        }

        characters.Add(new CtcCharacter(mark, Math.Min(after, steps - 1), false, Math.Min(after, steps - 1)));
    }

    /// <summary>
    /// The same marks where a word ends inside the line: after a letter or a digit and before a space, exactly one run
    /// of ink between the two words' (<c>GOODS SOLD ARE NOT RETURNABLE, THANK YOU.</c>).
    /// </summary>
    public static void ApplyWithin(
        List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, Func<LineInk?> measure)
    {
        if (dictionary.Comma < 0 || dictionary.Period < 0)
        {
            return;
        }

        for (var k = 0; k + 1 < characters.Count; k++)
        {
            var next = characters[k + 1].Class == dictionary.SpaceIndex ? k + 2 : characters[k + 1].SpaceBefore ? k + 1 : -1;
            if (next < 0 || next >= characters.Count || dictionary[characters[k].Class] is not [var c] || !char.IsLetterOrDigit(c)
                || dictionary[characters[next].Class] is not [var d] || !char.IsLetterOrDigit(d)
                || SeenEither(probabilities, classes, dictionary, characters[k].LastStep + 1, characters[next].Step) < MinProbability
                || measure() is not { } ink)
            {
                continue;
            }

            var left = ink.RunAt(characters[k].LastStep);
            if (left < 0 || ink.RunAt(characters[next].Step) != left + 2 || Mark(ink, left + 1, dictionary) is not { } mark)
            {
                continue;
            }

            characters.Insert(k + 1, new CtcCharacter(mark, characters[k].LastStep + 1, false, characters[k].LastStep + 1));
            k++;
        }
    }

    /// <summary>
    /// The most the model gave the period and the comma over time steps <paramref name="from"/> to
    /// <paramref name="to"/> - 1: what it saw of a mark it let go (here and in <see cref="DecimalPoints"/>).
    /// </summary>
    public static (float Period, float Comma) Seen(ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, int from, int to) =>
        (CtcDecoder.Most(probabilities, classes, dictionary.Period, from, to), CtcDecoder.Most(probabilities, classes, dictionary.Comma, from, to));

    // The most the model gave either mark over time steps from..to-1.
    private static float SeenEither(ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, int from, int to)
    {
        var (period, comma) = Seen(probabilities, classes, dictionary, from, to);
        return Math.Max(period, comma);
    }

    // The comma or period run `run` of the ink is, close after the run before it; null when it is no such mark.
    private static int? Mark(LineInk ink, int run, CharacterDictionary dictionary)
    {
        var height = (double)ink.TextHeight;
        var (start, end) = ink.Runs[run];
        var (top, bottom) = ink.RunRows(run);
        var width = (end - start + 1) / ink.WidthScale;
        var tall = bottom - top + 1;
        var gap = (start - ink.Runs[run - 1].End - 1) / ink.WidthScale;
        if (top < 0 || width > MaxWidth * height || tall < MinHeight * height || tall > MaxHeight * height || width > MaxAspect * tall
            || top < ink.BandTop + (0.5 * height) || gap > MaxGap * height)
        {
            return null;
        }

        return bottom - ink.BandBottom >= CommaDescent * height ? dictionary.Comma : dictionary.Period;
    }
}
