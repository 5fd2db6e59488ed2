namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// A word the recognizer misread into a non-word, put right where the model itself gave the word nearly as much.
/// PP-OCRv4's recognizer reads one character per time step with no word model, so a glyph it was in two minds about
/// comes out as the likelier of two shapes even where only the other spells a word: <c>INVOLCE</c>, <c>PRLCE</c>,
/// <c>aiso</c>, <c>usuaily</c>, <c>SUMIMARY</c>, <c>ARNOUNT</c>.
/// <para>
/// A word here is a run of at least <see cref="MinLength"/> ASCII letters between spaces or punctuation (not touching a
/// digit: codes and units are not words), all upper case, all lower case or capitalized. When the list
/// (<see cref="Lexicon"/>: English words, and as names English names and Malay words) does not hold it, the listed
/// entries within one edit (two from <see cref="TwoEditsLength"/> letters on) are scored against the model's output over
/// the word's stretch of time steps, written in the reading's case: each one's likeliest CTC alignment (Viterbi) against
/// the reading's own. The likeliest is written where it scores at least <see cref="MinRatio"/> (a name
/// <see cref="NameRatio"/>) of
/// the reading: the model saw that word too, and only the list tells them apart. A word the model read firmly (a name,
/// a code, a word the list lacks) has no listed neighbour anywhere near that, and stays.
/// </para>
/// <para>
/// Edits that change the length are the ones a glyph's strokes explain, and need <see cref="LengthChangePenalty"/> times
/// the evidence: a narrow letter inside the word left out (the stroke a split <c>m</c> leaves, <c>SUMIMARY</c>), or a
/// letter put in inside it (a doubled letter run together, <c>SUMARY</c>). Never at its ends: CTC gives the blank a
/// hundredth or so even under a firm letter, so dropping one costs little in its terms, and a word's first or last
/// letter is rarely not there.
/// </para>
/// <para>
/// Before the listed words within an edit or two are searched, a word the print ran letters of together (<c>rn</c> read
/// as <c>m</c>, <c>cl</c> as <c>d</c>, a <c>fi</c> ligature as <c>h</c>: <c>retums</c>, <c>ITERN</c>, <c>hnishes</c>) is
/// tried with that confusion undone (<see cref="Confusions"/>), and a listed word so spelled is written on a tenth of a
/// word's evidence (<see cref="MinSwapRatio"/>).
/// </para>
/// <para>
/// Before that, a word that is two listed words run together gets its space where the model gave the space class
/// <see cref="MinSplitSpace"/> between them (<c>TAXINVOICE</c>): too little for an inferred space on its own, enough with
/// the list's word. And the other way, two runs of <see cref="MinJoinPart"/> letters or more that an inferred space (not
/// one the model emitted) parts, not both listed, are read as one word where together they are listed or are put right
/// to a listed word (<c>AD JUSTMENT</c>, <c>adjus tients</c>): bold or letter-spaced print leaves gaps inside words.
/// </para>
/// </summary>
internal static class LexiconCorrection
{
    /// <summary>The shortest word looked up: shorter ones are mostly abbreviations, and one edit reaches too many words.</summary>
    public const int MinLength = 4;

    /// <summary>From this many letters on, words two edits away are candidates too.</summary>
    public const int TwoEditsLength = 5;

    /// <summary>The least a listed word's likeliest alignment must score, as a fraction of the reading's.</summary>
    public const double MinRatio = 0.01;

    /// <summary>
    /// The least a name (an English name, a Malay word) must score, as a fraction of the reading: five times a word's
    /// floor, as names are many, alike and rarely what a misread English word was meant to be.
    /// </summary>
    public const double NameRatio = 0.05;

    /// <summary>How much likelier than the same-length bar a word of another length must score.</summary>
    public const double LengthChangePenalty = 10;

    /// <summary>
    /// The least a listed word one confusion of the print away (<see cref="Confusions"/>: <c>rn</c> read as <c>m</c>,
    /// <c>cl</c> as <c>d</c>, a <c>fi</c> ligature as <c>h</c>) must score, as a fraction of the reading: a tenth of
    /// <see cref="MinRatio"/>, with no <see cref="LengthChangePenalty"/>, as the print itself makes these. On the dev sets
    /// the misread words scored 0.0026-0.12 (<c>retums</c>, <c>ITERN</c>, <c>hnishes</c>), the abbreviation <c>incl</c>
    /// against the listed <c>ind</c> at most 0.00016.
    /// </summary>
    public const double MinSwapRatio = 0.001;

    /// <summary>The shortest part of a word split in two: shorter words are too many to make a split mean anything.</summary>
    public const int MinSplitPart = 3;

    /// <summary>
    /// The least the space class must have had between two listed words run together for a space to go in: a tenth of
    /// what an inferred space needs (<see cref="CtcDecoder.MinSpaceProbability"/>), the list vouching for the rest.
    /// </summary>
    public const float MinSplitSpace = 0.01f;

    /// <summary>
    /// The shortest run joined to its neighbour across an inferred space: a lone letter there is an initial, a unit or a
    /// digit misread (<c>LEVE G</c> is <c>LEVEL 6</c>), not a word's end.
    /// </summary>
    public const int MinJoinPart = 2;

    private const float Floor = 1e-12f;

    public static void Apply(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary, Lexicon lexicon)
    {
        var start = 0;
        while (start < characters.Count)
        {
            if (!dictionary.IsLetter(characters[start].Class))
            {
                start++;
                continue;
            }

            var end = WordEnd(characters, start, dictionary);

            // An inferred space before a run of letters: the two read as one word where that is a listed word, or reads
            // as one, and apart they are not both listed (AD JUSTMENT, CHAR GE, WOR ID).
            if (end < characters.Count && characters[end].SpaceBefore && dictionary.IsLetter(characters[end].Class))
            {
                var next = WordEnd(characters, end, dictionary);
                if (end - start >= MinJoinPart && next - end >= MinJoinPart
                    && !(Listed(characters, start, end, dictionary, lexicon) && Listed(characters, end, next, dictionary, lexicon)))
                {
                    characters[end] = characters[end] with { SpaceBefore = false };
                    var (grown, word) = Correct(characters, start, next, probabilities, steps, classes, dictionary, lexicon, joined: true);
                    if (word)
                    {
                        start = next + grown;
                        continue;
                    }

                    characters[end] = characters[end] with { SpaceBefore = true };
                }
            }

            start = end + Correct(characters, start, end, probabilities, steps, classes, dictionary, lexicon, joined: false).Grown;
        }
    }

    // Corrects the word characters[start, end) where it should; returns how many characters longer it became and whether
    // it now spells a listed entry. A word joined across a space is only looked up and corrected, never split.
    private static (int Grown, bool Word) Correct(
        List<CtcCharacter> characters, int start, int end, ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary, Lexicon lexicon, bool joined)
    {
        var length = end - start;
        if (length < MinLength
            || (!characters[start].SpaceBefore && IsDigitAt(characters, start - 1, dictionary))
            || (end < characters.Count && !characters[end].SpaceBefore && IsDigitAt(characters, end, dictionary)))
        {
            return (0, false);
        }

        var reading = new char[length];
        for (var k = 0; k < length; k++)
        {
            reading[k] = dictionary[characters[start + k].Class][0];
        }

        var casing = CasingOf(reading);
        if (casing == Casing.Mixed)
        {
            return (0, false);
        }

        var lower = new string(reading).ToLowerInvariant();
        if (lexicon.Contains(lower))
        {
            return (0, true);
        }

        if (!joined && Split(characters, start, lower, probabilities, classes, dictionary, lexicon))
        {
            return (0, false);
        }

        var from = start > 0 ? characters[start - 1].LastStep + 1 : 0;
        var to = end < characters.Count ? characters[end].Step - 1 : steps - 1;
        var own = Viterbi(Classes(reading, dictionary), probabilities, classes, from, to, null);
        if (double.IsNegativeInfinity(own))
        {
            return (0, false);
        }

        // A listed word one confusion of the print away (rn read as m, a fi ligature as h) needs less of the model's
        // evidence than any other edit; the likeliest such word is written where it scores MinSwapRatio of the reading.
        var (best, bestScore) = Likeliest(Swaps(lower, lexicon).Select(word => (word, 0.0)), casing, probabilities, classes, from, to, dictionary);
        if (best is null || bestScore - own < Math.Log(MinSwapRatio))
        {
            var (letters, firm) = Bound(own, probabilities, classes, from, to, dictionary);
            if (firm)
            {
                return (0, false);
            }

            var near = lexicon.Near(lower, length >= TwoEditsLength ? 2 : 1, letters).Select(entry => (entry.Word,
                (entry.Word.Length == length ? 0 : Math.Log(LengthChangePenalty)) + (entry.Name ? Math.Log(NameRatio / MinRatio) : 0)));
            (best, bestScore) = Likeliest(near, casing, probabilities, classes, from, to, dictionary);
            if (best is null || bestScore - own < Math.Log(MinRatio))
            {
                return (0, false);
            }
        }

        var runs = new (int First, int Last)[best.Length];
        Viterbi(best, probabilities, classes, from, to, runs);
        var spaceBefore = characters[start].SpaceBefore;
        characters.RemoveRange(start, length);
        for (var k = 0; k < best.Length; k++)
        {
            characters.Insert(start + k, new CtcCharacter(best[k], runs[k].First, k == 0 && spaceBefore, runs[k].Last));
        }

        return (best.Length - length, true);
    }

    /// <summary>
    /// Puts a space into <paramref name="lower"/> (the word at <paramref name="start"/>) where it is two listed words of
    /// <see cref="MinSplitPart"/> letters or more whose blanks between them gave the space class at least
    /// <see cref="MinSplitSpace"/>: the model saw the gap but not enough for an inferred space on its own
    /// (<c>TAXINVOICE</c>). Where several splits qualify, the one with the most space; false where none does.
    /// </summary>
    private static bool Split(List<CtcCharacter> characters, int start, string lower, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, Lexicon lexicon)
    {
        if (dictionary.SpaceIndex < 0)
        {
            return false;
        }

        var (at, most) = (-1, 0f);
        for (var k = MinSplitPart; k <= lower.Length - MinSplitPart; k++)
        {
            var (before, after) = (characters[start + k - 1], characters[start + k]);
            if (after.Step - before.LastStep < 2 || !lexicon.IsWord(lower.AsSpan(0, k)) || !lexicon.IsWord(lower.AsSpan(k)))
            {
                continue;
            }

            var space = CtcDecoder.Most(probabilities, classes, dictionary.SpaceIndex, before.LastStep + 1, after.Step);
            if (space >= MinSplitSpace && space > most)
            {
                (at, most) = (k, space);
            }
        }

        if (at < 0)
        {
            return false;
        }

        characters[start + at] = characters[start + at] with { SpaceBefore = true };
        return true;
    }

    /// <summary>
    /// The log probability of the likeliest CTC path over time steps <paramref name="from"/>..<paramref name="to"/> that
    /// spells <paramref name="labels"/> (blanks allowed around and between, a blank needed between repeated labels);
    /// negative infinity when none fits. With <paramref name="runs"/>, each label's first and last step on that path.
    /// </summary>
    internal static double Viterbi(int[]? labels, ReadOnlySpan<float> probabilities, int classes, int from, int to, (int First, int Last)[]? runs)
    {
        if (labels is null || labels.Length == 0 || to - from + 1 < labels.Length)
        {
            return double.NegativeInfinity;
        }

        var states = (2 * labels.Length) + 1;
        var span = to - from + 1;
        var score = new double[states];
        var next = new double[states];
        var back = runs is null ? null : new byte[span * states]; // 0 stay, 1 from the state before, 2 from two before
        Array.Fill(score, double.NegativeInfinity);
        score[0] = Log(probabilities, classes, from, 0);
        score[1] = Log(probabilities, classes, from, labels[0]);
        for (var t = from + 1; t <= to; t++)
        {
            for (var z = 0; z < states; z++)
            {
                var best = score[z];
                byte how = 0;
                if (z > 0 && score[z - 1] > best)
                {
                    (best, how) = (score[z - 1], 1);
                }

                if (z > 1 && (z & 1) == 1 && labels[z / 2] != labels[(z / 2) - 1] && score[z - 2] > best)
                {
                    (best, how) = (score[z - 2], 2);
                }

                next[z] = double.IsNegativeInfinity(best) ? best : best + Log(probabilities, classes, t, (z & 1) == 1 ? labels[z / 2] : 0);
                if (back is not null)
                {
                    back[((t - from) * states) + z] = how;
                }
            }

            (score, next) = (next, score);
        }

        var last = score[states - 1] >= score[states - 2] ? states - 1 : states - 2;
        var total = score[last];
        if (runs is not null && !double.IsNegativeInfinity(total))
        {
            for (var k = 0; k < runs.Length; k++)
            {
                runs[k] = (int.MaxValue, int.MinValue);
            }

            var z = last;
            for (var t = to; t >= from; t--)
            {
                if ((z & 1) == 1)
                {
                    var k = z / 2;
                    runs[k] = (Math.Min(runs[k].First, t), Math.Max(runs[k].Last, t));
                }

                if (t > from)
                {
                    z -= back![((t - from) * states) + z];
                }
            }
        }

        return total;
    }

    /// <summary>
    /// The letters (bit 0 for <c>a</c>, either case) a word scoring <see cref="MinRatio"/> of the reading can hold, and
    /// whether none can. Where the reading's likeliest path is the best blank or letter at every step, any other
    /// spelling's path leaves it at one step at least and scores at most what the class it takes there had, as a fraction
    /// of that step's best. So a letter that reached that fraction nowhere in the stretch is in no such word, and where
    /// no class did (a word read firmly: a name, a code) there is none. Otherwise every letter may be.
    /// </summary>
    private static (int Letters, bool Firm) Bound(double own, ReadOnlySpan<float> probabilities, int classes, int from, int to, CharacterDictionary dictionary)
    {
        var best = 0.0;
        var doubt = 0f;
        var letters = 0;
        for (var t = from; t <= to; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            float first = row[0], second = 0f;
            foreach (var letter in dictionary.Letters)
            {
                var p = row[letter];
                if (p > first)
                {
                    (first, second) = (p, first);
                }
                else if (p > second)
                {
                    second = p;
                }
            }

            var floor = (float)MinRatio * first;
            foreach (var letter in dictionary.Letters)
            {
                if (row[letter] >= floor)
                {
                    letters |= 1 << (char.ToLowerInvariant(dictionary[letter][0]) - 'a');
                }
            }

            best += Math.Log(Math.Max(first, Floor));
            doubt = Math.Max(doubt, second / Math.Max(first, Floor));
        }

        return own >= best - 1e-9 ? (letters, doubt < MinRatio) : (Lexicon.AllLetters, false);
    }

    // The candidate whose likeliest alignment, less its penalty (a log factor), scores best, in the reading's case; the
    // first of equals. Null where none can be written in the dictionary's classes.
    private static (int[]? Labels, double Score) Likeliest(
        IEnumerable<(string Word, double Penalty)> candidates, Casing casing, ReadOnlySpan<float> probabilities, int classes, int from, int to, CharacterDictionary dictionary)
    {
        int[]? best = null;
        var bestScore = double.NegativeInfinity;
        foreach (var (word, penalty) in candidates)
        {
            if (Classes(Cased(word, casing), dictionary) is { } labels
                && Viterbi(labels, probabilities, classes, from, to, null) - penalty is var score && score > bestScore)
            {
                (best, bestScore) = (labels, score);
            }
        }

        return (best, bestScore);
    }

    // The glyph pairs print runs together or a ligature joins, as the recognizer reads them and as they were meant.
    private static readonly (string Read, string Meant)[] Confusions = [("m", "rn"), ("rn", "m"), ("d", "cl"), ("cl", "d"), ("vv", "w"), ("h", "fi")];

    // The listed words (not names) one confusion away from the reading.
    private static IEnumerable<string> Swaps(string lower, Lexicon lexicon)
    {
        foreach (var (read, meant) in Confusions)
        {
            for (var at = lower.IndexOf(read, StringComparison.Ordinal); at >= 0; at = lower.IndexOf(read, at + 1, StringComparison.Ordinal))
            {
                var swapped = string.Concat(lower.AsSpan(0, at), meant, lower.AsSpan(at + read.Length));
                if (lexicon.IsWord(swapped))
                {
                    yield return swapped;
                }
            }
        }
    }

    private static double Log(ReadOnlySpan<float> probabilities, int classes, int step, int label) =>
        Math.Log(Math.Max(probabilities[(step * classes) + label], Floor));

    // Whether the letters characters[start, end) spell a listed entry, in any case.
    private static bool Listed(List<CtcCharacter> characters, int start, int end, CharacterDictionary dictionary, Lexicon lexicon)
    {
        Span<char> word = stackalloc char[end - start];
        for (var k = start; k < end; k++)
        {
            word[k - start] = char.ToLowerInvariant(dictionary[characters[k].Class][0]);
        }

        return lexicon.Contains(word);
    }

    // The end of the run of letters that starts at start, before the next non-letter or inferred space.
    private static int WordEnd(List<CtcCharacter> characters, int start, CharacterDictionary dictionary)
    {
        var end = start + 1;
        while (end < characters.Count && dictionary.IsLetter(characters[end].Class) && !characters[end].SpaceBefore)
        {
            end++;
        }

        return end;
    }

    private static bool IsDigitAt(List<CtcCharacter> characters, int index, CharacterDictionary dictionary) =>
        index >= 0 && index < characters.Count && CtcDecoder.StartsDigit(dictionary[characters[index].Class]);

    private static int[]? Classes(ReadOnlySpan<char> word, CharacterDictionary dictionary)
    {
        var labels = new int[word.Length];
        for (var k = 0; k < word.Length; k++)
        {
            labels[k] = dictionary.LetterClass(word[k]);
            if (labels[k] < 0)
            {
                return null;
            }
        }

        return labels;
    }

    private static Casing CasingOf(ReadOnlySpan<char> reading)
    {
        var upper = 0;
        foreach (var c in reading)
        {
            upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
        }

        return upper == reading.Length ? Casing.Upper
            : upper == 0 ? Casing.Lower
            : upper == 1 && char.IsAsciiLetterUpper(reading[0]) ? Casing.Title
            : Casing.Mixed;
    }

    private static string Cased(string word, Casing casing) => casing switch
    {
        Casing.Upper => word.ToUpperInvariant(),
        Casing.Title => char.ToUpperInvariant(word[0]) + word[1..],
        _ => word,
    };

    private enum Casing
    {
        Lower,
        Upper,
        Title,
        Mixed,
    }
}
