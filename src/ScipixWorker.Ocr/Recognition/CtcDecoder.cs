using System.Numerics.Tensors;
using System.Text;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>Greedy CTC decoding: best class per time step, repeats merged, blanks dropped.</summary>
internal static class CtcDecoder
{
    /// <summary>A space is inferred only across at least this many blank time steps (16 px at the 48 px input height).</summary>
    public const int MinSpaceGap = 2;

    /// <summary>... and only where the space class reached this probability somewhere in the gap.</summary>
    public const float MinSpaceProbability = 0.1f;

    /// <summary>A gap of at least this many blank time steps (24 px at the 48 px input height, half the line's height) ...</summary>
    public const int WideSpaceGap = 3;

    /// <summary>... needs only this much of the space class, except between two lower-case letters.</summary>
    public const float WideSpaceProbability = 0.02f;

    /// <summary>
    /// Decodes one sequence of <paramref name="steps"/> x <paramref name="classes"/> probabilities.
    /// Confidence is the mean probability of the emitted characters (0 when none), as PaddleOCR reports it.
    /// <para>
    /// With <paramref name="inferSpaces"/>, a space is inserted between two characters when the blanks
    /// between them span at least <see cref="MinSpaceGap"/> steps and the space class reached
    /// <see cref="MinSpaceProbability"/> there, or span at least <see cref="WideSpaceGap"/> steps and the space class
    /// reached <see cref="WideSpaceProbability"/> (<see cref="IsSpaceGap"/>): PP-OCRv4's Chinese recognizer often lets
    /// the blank win over the space between Latin words although it sees the gap. With
    /// <paramref name="resolveLookalikes"/>, a digit inside a word or a letter inside a number becomes what the model
    /// thought second likeliest (<see cref="LookalikeResolver"/>). With inferred spaces and <paramref name="ink"/>, which
    /// measures the line's input and is called only for a line with a colon, a comma or a space, white space beside a
    /// colon or after a comma is a space too (<see cref="PunctuationSpacing"/>), and in monospaced print a space between two
    /// glyphs in neighbouring cells is dropped (<see cref="MonospacedSpacing"/>). With <paramref name="trailingMarks"/> and
    /// <paramref name="ink"/>, a period or comma the model let go at the end of the line or of a word is read from the ink
    /// (<see cref="TrailingMarks"/>). With <paramref name="decimalPoints"/>, the point before an amount's two decimals is read
    /// where the model let it go but gave it a hundredth, and a space it set after one is dropped (<see cref="DecimalPoints"/>).
    /// With <paramref name="lexicon"/>, digits in a word become the letters that spell a listed word where the model
    /// gave them a little (<see cref="LookalikeWords"/>, with <paramref name="resolveLookalikes"/>), and a word the list
    /// does not hold becomes the listed word near it that the model gave at least a hundredth of the reading
    /// (<see cref="LexiconCorrection"/>).
    /// With inferred spaces, spaces the model set before the first character or after the last are left out, and, last of
    /// all, those next to the periods and the <c>@</c> of a web or e-mail address (<see cref="WebAddresses"/>) and a space
    /// next to another.
    /// Without any of them the output is exactly PaddleOCR's. <paramref name="written"/>, when given, receives each
    /// character of the text as written, with its time steps and the probability the model gave it (<see cref="WordSpans"/>).
    /// </para>
    /// </summary>
    public static (string Text, float Confidence) Decode(
        ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary, bool inferSpaces = false, bool resolveLookalikes = false,
        Func<LineInk?>? ink = null, bool trailingMarks = false, bool decimalPoints = false, Lexicon? lexicon = null, List<CharacterSpan>? written = null)
    {
        var emitted = new List<CtcCharacter>();
        var sum = 0.0;
        var previous = -1;
        var spaceIndex = inferSpaces ? dictionary.SpaceIndex : -1;
        var lastEnd = -1; // last time step of the previous character's run
        var spaceInGap = 0f;
        for (var t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            var best = Winner(row);
            if (best == 0)
            {
                if (spaceIndex > 0)
                {
                    spaceInGap = Math.Max(spaceInGap, row[spaceIndex]);
                }

                previous = best;
                continue;
            }

            if (best != previous && best < dictionary.Count)
            {
                var spaceBefore = spaceIndex > 0 && best != spaceIndex && emitted.Count > 0 && emitted[^1].Class != spaceIndex
                    && IsSpaceGap(t - lastEnd - 1, spaceInGap, dictionary[emitted[^1].Class], dictionary[best])
                    && !IsDecimalPoint(emitted, best, dictionary);
                emitted.Add(new CtcCharacter(best, t, spaceBefore, t));
                sum += row[best];
            }
            else if (best == previous && emitted.Count > 0 && emitted[^1].LastStep == t - 1)
            {
                emitted[^1] = emitted[^1] with { LastStep = t };
            }

            lastEnd = t;
            spaceInGap = 0;
            previous = best;
        }

        if (resolveLookalikes)
        {
            LookalikeResolver.Resolve(emitted, probabilities, classes, dictionary);
        }

        var read = emitted.Count; // the confidence is the model's, over what it emitted

        // A space the model set before the first character or after the last (the white margin round a line) is no text,
        // and the mark that ends a line must follow its last character to be read from the ink (TrailingMarks).
        if (spaceIndex > 0)
        {
            var lead = 0;
            while (lead < emitted.Count && emitted[lead].Class == spaceIndex)
            {
                lead++;
            }

            var tail = emitted.Count;
            while (tail > lead && emitted[tail - 1].Class == spaceIndex)
            {
                tail--;
            }

            emitted.RemoveRange(tail, emitted.Count - tail);
            emitted.RemoveRange(0, lead);
        }

        ink = ink is null ? null : LineInk.Once(ink);
        if (spaceIndex > 0 && ink is not null)
        {
            PunctuationSpacing.Apply(emitted, dictionary, ink);
            MonospacedSpacing.Apply(emitted, dictionary, ink);
        }

        if (decimalPoints)
        {
            DecimalPoints.Apply(emitted, probabilities, classes, dictionary);
        }

        if (trailingMarks && ink is not null)
        {
            TrailingMarks.ApplyWithin(emitted, probabilities, classes, dictionary, ink);
            TrailingMarks.Apply(emitted, probabilities, steps, classes, dictionary, ink);
        }

        if (lexicon is not null)
        {
            if (resolveLookalikes)
            {
                LookalikeWords.Apply(emitted, probabilities, classes, dictionary, lexicon);
            }

            LexiconCorrection.Apply(emitted, probabilities, steps, classes, dictionary, lexicon);
        }

        if (inferSpaces)
        {
            WebAddresses.Join(emitted, dictionary);
            SingleSpaces(emitted, spaceIndex);
        }

        var text = new StringBuilder(emitted.Count + 8);
        foreach (var character in emitted)
        {
            if (character.SpaceBefore)
            {
                text.Append(' ');
            }

            var start = text.Length;
            text.Append(dictionary[character.Class]);
            written?.Add(new CharacterSpan(
                start, text.Length - start, character.Step, character.LastStep, probabilities[(Math.Min(character.Step, steps - 1) * classes) + character.Class]));
        }

        return (text.ToString(), read == 0 ? 0f : (float)(sum / read));
    }

    // One space between two characters at most: a space the model set right after another (space, blank, space on a wide
    // gap), or one inferred beside a space it set, is left out.
    private static void SingleSpaces(List<CtcCharacter> emitted, int spaceIndex)
    {
        if (spaceIndex <= 0)
        {
            return;
        }

        var kept = 0;
        for (var k = 0; k < emitted.Count; k++)
        {
            var character = emitted[k];
            var afterSpace = kept > 0 && emitted[kept - 1].Class == spaceIndex;
            if (character.Class == spaceIndex && (afterSpace || character.SpaceBefore))
            {
                if (afterSpace)
                {
                    continue;
                }

                character = character with { SpaceBefore = false };
            }
            else if (afterSpace && character.SpaceBefore)
            {
                character = character with { SpaceBefore = false };
            }

            emitted[kept++] = character;
        }

        emitted.RemoveRange(kept, emitted.Count - kept);
    }

    /// <summary>
    /// Whether <paramref name="blanks"/> blank steps between <paramref name="before"/> and <paramref name="after"/>, in
    /// which the space class reached <paramref name="space"/>, are a word gap. A gap of two steps needs the space class at
    /// a tenth; a gap half the line's height wide or more, which no two letters of a word leave, needs less evidence:
    /// receipts' monospaced print (<c>TOTAL QTY: 4</c>, <c>GST ID : 0007...</c>) leaves such gaps where the model gave
    /// the space only a few hundredths. Not between two lower-case letters: in lower-case text the model emits its spaces
    /// itself, and a wide gap there is a letter-spaced or bold word (<c>Ja lan</c>, <c>Spr ing</c>), not two words.
    /// </summary>
    internal static bool IsSpaceGap(int blanks, float space, string before, string after) =>
        (blanks >= MinSpaceGap && space >= MinSpaceProbability)
        || (blanks >= WideSpaceGap && space >= WideSpaceProbability && !(EndsLower(before) && StartsLower(after)));

    private static bool EndsLower(string entry) => entry.Length > 0 && char.IsLower(entry[^1]);

    private static bool StartsLower(string entry) => entry.Length > 0 && char.IsLower(entry[0]);

    /// <summary>
    /// True when the characters so far end in a digit and a period and <paramref name="next"/> is a digit: a
    /// decimal point (<c>2.83</c>, <c>25.12.2018</c>). The period is a narrow glyph, so the blanks around it often
    /// span the gap a space would, and no space is ever inferred there. Commas are left alone: a space after one
    /// is ordinary between numbers (<c>SEKSYEN 25, 40400</c>).
    /// </summary>
    private static bool IsDecimalPoint(List<CtcCharacter> emitted, int next, CharacterDictionary dictionary) =>
        emitted.Count >= 2 && dictionary[emitted[^1].Class] == "." && !emitted[^1].SpaceBefore
        && EndsDigit(dictionary[emitted[^2].Class]) && StartsDigit(dictionary[next]);

    /// <summary>
    /// The class that wins a time step's <paramref name="row"/> (the first of equals). The rows are a softmax's, so a blank
    /// of more than half wins without the search over every class; most steps are such blanks.
    /// </summary>
    internal static int Winner(ReadOnlySpan<float> row) => row[0] > 0.5f ? 0 : TensorPrimitives.IndexOfMax(row);

    /// <summary>The most the model gave class <paramref name="class"/> over time steps <paramref name="from"/>..<paramref name="to"/> - 1 (0 over none).</summary>
    internal static float Most(ReadOnlySpan<float> probabilities, int classes, int @class, int from, int to)
    {
        var most = 0f;
        for (var t = from; t < to; t++)
        {
            most = Math.Max(most, probabilities[(t * classes) + @class]);
        }

        return most;
    }

    /// <summary>Whether a dictionary entry (or none, null) ends in an ASCII digit.</summary>
    internal static bool EndsDigit(string? entry) => entry is { Length: > 0 } && char.IsAsciiDigit(entry[^1]);

    /// <summary>Whether a dictionary entry (or none, null) starts with an ASCII digit.</summary>
    internal static bool StartsDigit(string? entry) => entry is { Length: > 0 } && char.IsAsciiDigit(entry[0]);
}

/// <summary>
/// One emitted character: its class, the time step it was emitted at, whether a space was inferred before it, and the
/// last time step of its run.
/// </summary>
internal record struct CtcCharacter(int Class, int Step, bool SpaceBefore, int LastStep);
