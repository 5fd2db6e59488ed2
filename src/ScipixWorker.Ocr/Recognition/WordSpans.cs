namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// The words of a line's reading and where each lies along the line. The recognizer emits each character at a time step
/// (8 px of its 48-px-high input) somewhere inside the glyph, so a word's steps tell roughly where it is; the ink
/// (<see cref="LineInk"/>) tells exactly: a word reaches from the start of the ink under its first character to the end of
/// the ink under its last, taking in the runs beside them that lie closer than a glyph's gap (<see cref="MaxGlyphGap"/>:
/// the strokes of a broken or light glyph) but never a run under a neighbouring word. Without ink (a line with no
/// contrast) a word spans its characters' steps and half a step either side.
/// <para>
/// A word is a run of characters without a space inside; a Han, kana or hangul character is a word of its own, as
/// Chinese and Japanese text sets no spaces. A word's confidence is the mean probability the model gave its characters
/// as they are written: a character put right after the model (a look-alike, a word from the list, a mark read from the
/// ink) counts with the probability the model gave that character, which is lower than the one it emitted.
/// </para>
/// </summary>
internal static class WordSpans
{
    /// <summary>Ink runs closer than this (a fraction of the text's height) are strokes of one word, not a word gap.</summary>
    public const double MaxGlyphGap = 0.2;

    /// <summary>
    /// The words of <paramref name="text"/> (a line's reading, <paramref name="characters"/> its characters as decoded),
    /// along a line whose first <paramref name="contentWidth"/> pixels of the recognizer's input are the crop and whose
    /// time steps are <paramref name="stride"/> pixels apart; <paramref name="ink"/> measured on the same input, or null.
    /// </summary>
    public static WordSpan[] Find(string text, IReadOnlyList<CharacterSpan> characters, LineInk? ink, double stride, int contentWidth)
    {
        var groups = Group(text, characters);
        if (groups.Count == 0)
        {
            return [];
        }

        // Each word's extent in pixels of the input: its characters' steps, then the ink's runs under them.
        var left = new double[groups.Count];
        var right = new double[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            left[i] = (characters[groups[i].First].FirstStep - 0.5) * stride;
            right[i] = (characters[groups[i].Last].LastStep + 1.5) * stride;
        }

        if (ink is { Runs.Count: > 0 })
        {
            SnapToInk(groups, characters, ink, left, right);
        }

        var words = new WordSpan[groups.Count];
        var width = Math.Max(1, contentWidth);
        for (var i = 0; i < groups.Count; i++)
        {
            var (first, last) = groups[i];
            var sum = 0f;
            for (var k = first; k <= last; k++)
            {
                sum += characters[k].Probability;
            }

            var start = characters[first].TextStart;
            var from = (float)Math.Clamp(left[i] / width, 0, 1);
            var to = (float)Math.Clamp(right[i] / width, 0, 1);
            words[i] = new WordSpan(start, characters[last].TextStart + characters[last].TextLength - start, sum / (last - first + 1), from, Math.Max(from, to));
        }

        return words;
    }

    // The characters of each word, first and last (indices into characters).
    private static List<(int First, int Last)> Group(string text, IReadOnlyList<CharacterSpan> characters)
    {
        var groups = new List<(int First, int Last)>();
        var first = -1;
        for (var k = 0; k < characters.Count; k++)
        {
            var character = characters[k];
            var written = text.AsSpan(character.TextStart, character.TextLength);
            var cjk = IsCjk(written);
            if (written.IsWhiteSpace())
            {
                Close(k - 1);
                continue;
            }

            var joins = first >= 0 && !cjk && characters[k - 1].TextStart + characters[k - 1].TextLength == character.TextStart
                && !IsCjk(text.AsSpan(characters[k - 1].TextStart, characters[k - 1].TextLength));
            if (!joins)
            {
                Close(k - 1);
                first = k;
            }

            if (cjk)
            {
                Close(k);
            }
        }

        Close(characters.Count - 1);
        return groups;

        void Close(int last)
        {
            if (first >= 0)
            {
                groups.Add((first, last));
                first = -1;
            }
        }
    }

    // Each word from the start of the ink under its first character to the end of the ink under its last, with the runs
    // close beside them that no neighbour claims.
    private static void SnapToInk(List<(int First, int Last)> groups, IReadOnlyList<CharacterSpan> characters, LineInk ink, double[] left, double[] right)
    {
        var runs = ink.Runs;
        var firstRun = new int[groups.Count];
        var lastRun = new int[groups.Count];
        for (var i = 0; i < groups.Count; i++)
        {
            firstRun[i] = ink.RunAt(characters[groups[i].First].FirstStep);
            lastRun[i] = ink.RunAt(characters[groups[i].Last].LastStep);
        }

        var join = MaxGlyphGap * ink.TextHeight * ink.WidthScale;
        for (var i = 0; i < groups.Count; i++)
        {
            var (a, b) = (firstRun[i], lastRun[i]);
            var previous = i > 0 ? Math.Max(firstRun[i - 1], lastRun[i - 1]) : -1;
            var next = i + 1 < groups.Count ? Math.Min(Min(firstRun[i + 1], lastRun[i + 1]), runs.Count) : runs.Count;
            var (from, to) = (left[i], right[i]);
            if (a >= 0 && a > previous && a < next)
            {
                while (a - 1 > previous && runs[a].Start - runs[a - 1].End - 1 <= join)
                {
                    a--;
                }

                from = runs[a].Start;
            }

            if (b >= 0 && b < next && b > previous)
            {
                while (b + 1 < next && runs[b + 1].Start - runs[b].End - 1 <= join)
                {
                    b++;
                }

                to = runs[b].End + 1;
            }

            // Where the ink under the word's ends disagrees with its steps, the steps stand.
            if (to > from)
            {
                (left[i], right[i]) = (from, to);
            }
        }

        static int Min(int a, int b) => a < 0 ? (b < 0 ? int.MaxValue : b) : b < 0 ? a : Math.Min(a, b);
    }

    /// <summary>Whether a character is Han, kana or hangul (a word of its own).</summary>
    internal static bool IsCjk(ReadOnlySpan<char> written)
    {
        if (written.IsEmpty)
        {
            return false;
        }

        var c = written[0];
        return c is (>= '\u4E00' and <= '\u9FFF') or (>= '\u3400' and <= '\u4DBF') or (>= '\u3040' and <= '\u30FF')
            or (>= '\uAC00' and <= '\uD7AF') or (>= '\uF900' and <= '\uFAFF') || char.IsHighSurrogate(c);
    }
}

/// <summary>
/// One character of a reading as written: <see cref="TextLength"/> characters of the text from <see cref="TextStart"/>,
/// the time steps of its run (<see cref="FirstStep"/> to <see cref="LastStep"/>), and the probability the model gave it.
/// </summary>
internal readonly record struct CharacterSpan(int TextStart, int TextLength, int FirstStep, int LastStep, float Probability);
