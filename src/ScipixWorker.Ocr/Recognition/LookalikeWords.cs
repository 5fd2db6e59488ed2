namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Digits inside a word that the word list tells from letters. Receipt fonts draw <c>0</c> and <c>O</c>, <c>1</c> and
/// <c>l</c> alike, and where the glyphs are the same the recognizer's probabilities cannot decide: a real digit after a
/// letter (<c>SH01</c>, <c>S005</c>, <c>BEN02</c>) leaves the letter a fifth or more as often as a misread letter
/// (<c>INV0ICE</c>, <c>N0</c>) leaves it a hundredth. <see cref="LookalikeResolver"/> resolves the doubtful ones
/// (a tenth or more); this resolves the rest where the letters spell a listed word.
/// <para>
/// A word here is a run of ASCII letters and digits between spaces and punctuation that starts with a letter (a run of
/// digits at the start is a quantity or a code: <c>10T</c>, <c>40ML</c>) and holds at most <see cref="MaxDigits"/>
/// digits. Every digit is tried as each letter the model gave at least <see cref="MinLetter"/> at its time step (either
/// case counted together, the <see cref="MaxCandidates"/> likeliest); where the letters spell a word of the list (not a
/// name: names are many, short and alike), the likeliest such spelling is written, in the word's case (<c>INVOICE</c>,
/// <c>NO</c>, <c>RESERVATION</c>, <c>Bill</c>). A word of a letter and a digit is read so only where the digit is a 0
/// (<c>N0</c>): <c>M1</c>, <c>A5</c> are codes as often as <c>MI</c>, <c>AS</c> are words. A code whose letters spell no word (<c>CS00004040</c>, <c>T0280</c>,
/// <c>POS7</c> at a twentieth of a percent for <c>POST</c>) stays.
/// </para>
/// </summary>
internal static class LookalikeWords
{
    /// <summary>
    /// The least the letter must have had at a digit's time step: the model saw the letter a little, which a digit it
    /// was sure of (most codes: a ten-thousandth) does not give; the list vouches for the rest.
    /// </summary>
    public const float MinLetter = 0.003f;

    /// <summary>The most digits in one word that are read as letters.</summary>
    public const int MaxDigits = 3;

    /// <summary>The most letters tried at each digit.</summary>
    public const int MaxCandidates = 3;

    public static void Apply(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, Lexicon lexicon)
    {
        var start = 0;
        while (start < characters.Count)
        {
            if (!dictionary.IsLetterOrDigit(characters[start].Class))
            {
                start++;
                continue;
            }

            var end = start + 1;
            while (end < characters.Count && !characters[end].SpaceBefore && dictionary.IsLetterOrDigit(characters[end].Class))
            {
                end++;
            }

            Resolve(characters, start, end, probabilities, classes, dictionary, lexicon);
            start = end;
        }
    }

    // The word characters[start, end): its digits become the letters of the likeliest listed spelling, or stay.
    private static void Resolve(
        List<CtcCharacter> characters, int start, int end, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary, Lexicon lexicon)
    {
        if (!dictionary.IsLetter(characters[start].Class))
        {
            return;
        }

        Span<int> digits = stackalloc int[MaxDigits];
        var count = 0;
        var upper = true;
        var lower = true;
        for (var k = start; k < end; k++)
        {
            var c = dictionary[characters[k].Class][0];
            if (char.IsAsciiDigit(c))
            {
                if (count == MaxDigits)
                {
                    return;
                }

                digits[count++] = k;
            }
            else
            {
                upper &= char.IsAsciiLetterUpper(c);
                lower &= char.IsAsciiLetterLower(c);
            }
        }

        // A letter and a digit alone are a code as often as a word (M1, T1, A5, P1 beside HI, IS, PI): only 0 is read as
        // a letter there, for the NO, TO, SO that receipts print and their fonts draw as N0.
        if (count == 0 || (end - start == 2 && dictionary[characters[digits[0]].Class] != "0"))
        {
            return;
        }

        // Each digit's candidate letters (lower case) and their probability, both cases together.
        var candidates = new (char Letter, float Probability)[count][];
        for (var d = 0; d < count; d++)
        {
            var row = probabilities.Slice(characters[digits[d]].Step * classes, classes);
            var letters = new List<(char Letter, float Probability)>();
            for (var letter = 'a'; letter <= 'z'; letter++)
            {
                var p = At(row, dictionary.LetterClass(letter)) + At(row, dictionary.LetterClass(char.ToUpperInvariant(letter)));
                if (p >= MinLetter)
                {
                    letters.Add((letter, p));
                }
            }

            if (letters.Count == 0)
            {
                return;
            }

            candidates[d] = [.. letters.OrderByDescending(l => l.Probability).Take(MaxCandidates)];
        }

        var word = new char[end - start];
        for (var k = start; k < end; k++)
        {
            word[k - start] = char.ToLowerInvariant(dictionary[characters[k].Class][0]);
        }

        char[]? best = null;
        var bestScore = 0f;
        Span<int> choice = stackalloc int[MaxDigits];
        choice.Clear();
        while (true)
        {
            var score = 1f;
            for (var d = 0; d < count; d++)
            {
                var (letter, p) = candidates[d][choice[d]];
                word[digits[d] - start] = letter;
                score *= p;
            }

            if (score > bestScore && lexicon.IsWord(word))
            {
                best = [.. word];
                bestScore = score;
            }

            // The next combination, the last digit's letters turning fastest.
            var position = count - 1;
            while (position >= 0 && ++choice[position] == candidates[position].Length)
            {
                choice[position--] = 0;
            }

            if (position < 0)
            {
                break;
            }
        }

        if (best is null)
        {
            return;
        }

        // Written in the word's case; in a capitalized or mixed word, in the case the model gave more.
        var replacements = new int[count];
        for (var d = 0; d < count; d++)
        {
            var letter = best[digits[d] - start];
            var small = dictionary.LetterClass(letter);
            var capital = dictionary.LetterClass(char.ToUpperInvariant(letter));
            var row = probabilities.Slice(characters[digits[d]].Step * classes, classes);
            replacements[d] = upper ? capital : lower ? small : At(row, capital) >= At(row, small) ? capital : small;
            if (replacements[d] < 0)
            {
                replacements[d] = small >= 0 ? small : capital;
            }

            if (replacements[d] < 0)
            {
                return;
            }
        }

        for (var d = 0; d < count; d++)
        {
            characters[digits[d]] = characters[digits[d]] with { Class = replacements[d] };
        }
    }

    private static float At(ReadOnlySpan<float> row, int @class) => @class >= 0 && @class < row.Length ? row[@class] : 0f;
}
