namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The period or comma that ends a line, read from the ink where the recognizer let it go. Receipts end address lines
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
        var seen = 0f;
        for (var t = after; t < steps; t++)
        {
            seen = Math.Max(seen, Math.Max(probabilities[(t * classes) + dictionary.Comma], probabilities[(t * classes) + dictionary.Period]));
        }

        if (seen < MinProbability || measure() is not { } ink || ink.Runs.Count < 2 || ink.RunAt(characters[^1].LastStep) != ink.Runs.Count - 2)
        {
            return;
        }

        var height = (double)ink.TextHeight;
        var (start, end) = ink.Runs[^1];
        var (top, bottom) = ink.LastRunRows;
        var width = (end - start + 1) / ink.WidthScale;
        var tall = bottom - top + 1;
        var gap = (start - ink.Runs[^2].End - 1) / ink.WidthScale;
        if (top < 0 || width > MaxWidth * height || tall < MinHeight * height || tall > MaxHeight * height || width > MaxAspect * tall
            || top < ink.BandTop + (0.5 * height) || gap > MaxGap * height)
        {
            return;
        }

        var comma = bottom - ink.BandBottom >= CommaDescent * height;
        characters.Add(new CtcCharacter(comma ? dictionary.Comma : dictionary.Period, Math.Min(after, steps - 1), false, Math.Min(after, steps - 1)));
    }
}
