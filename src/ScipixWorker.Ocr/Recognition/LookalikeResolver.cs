namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Digits inside words and letters inside numbers, where the recognizer itself was in two minds. Receipt fonts draw
/// <c>0</c> and <c>O</c>, <c>1</c> and <c>l</c> nearly alike, and PP-OCRv4's recognizer, which reads one character per
/// time step without a word model, emits <c>N0</c>, <c>Te1</c>, <c>INV0ICE</c>, <c>Tota1</c>. Where the glyph gave it
/// a real doubt, its probabilities show it: the letter it did not emit still has a tenth or more, where a code's real
/// digit (<c>CS00004040</c>, <c>PUTRA1</c>) leaves the letters a thousandth.
/// <para>
/// A word here is a run of ASCII letters and digits between spaces and punctuation. A run of at most
/// <see cref="MaxRun"/> digits that follows a letter in its word (<c>N0</c>, <c>T10N</c>) becomes letters when every digit
/// in it had a letter at <see cref="MinAlternative"/> or more at its time step; the likeliest letter replaces each. The
/// same holds the other way for a run of letters that follows a digit (<c>SA0371155t</c>, <c>1L8B</c>). A run at the
/// start of a word is left alone, as the quantities and units there are (<c>40ML</c>, <c>2PCS</c>), and so is every
/// character outside ASCII.
/// </para>
/// <para>
/// Letters alike are resolved in one case: a sans-serif capital <c>I</c> is the same stroke as a lower-case <c>l</c>, and
/// the model emits <c>ltem</c>, <c>lncl.</c>, <c>lpoh</c>. A lower-case <c>l</c> that starts a word before a consonant
/// (not a vowel, <c>y</c> or <c>l</c>), which no English or Malay word does, becomes <c>I</c> where the model gave
/// <c>I</c> at least <see cref="MinAlternative"/> too.
/// </para>
/// <para>
/// A letter alone before a number's own marks is that number's first digit where the model gave the digit
/// <see cref="MinAlternative"/> too: before a percent sign (<c>O%</c>, <c>D%</c> for <c>0%</c>) or before a decimal point
/// or comma and a digit (<c>POINTS:O.00</c>). A section's label (<c>A.1</c>) has no digit in the model's eyes, and stays.
/// </para>
/// <para>
/// Letters whose capital is the small letter set larger (<c>c o s u v w x z</c>), which only their size tells apart, take
/// their word's case where the model gave that case <see cref="MinCase"/>: in a word of capitals a small one inside it
/// (<c>GsT</c>), in a word of small letters a run of two capitals or more inside it (<c>InVOice</c>). A single capital inside
/// a word of small letters starts a part of a name set together (<c>McChicken</c>, <c>TakeOut</c>), and capitals that end
/// one are a name's too (<c>macOS</c>): they stay.
/// </para>
/// <para>
/// A capital <c>S</c> that starts a word before an amount (<c>S5.50</c>) is a dollar sign where the model gave <c>$</c>
/// <see cref="MinAlternative"/>: the same shape but for the stroke through it, which faint print loses.
/// </para>
/// <para>
/// And one case of punctuation: a comma is a period with a tail, which faint print loses, and addresses put one after
/// the house number (<c>NO 290, JALAN</c>, <c>19-1, JALAN</c>). A period after a digit that no digit follows (so not a
/// decimal point) becomes a comma where the model gave the comma at least <see cref="MinAlternative"/>; after a letter
/// it stays (<c>U.PRICE</c>, <c>INCL.</c>, <c>www.kings</c> gave the comma as much).
/// </para>
/// </summary>
internal static class LookalikeResolver
{
    /// <summary>The longest run of one kind (digits in a word, letters in a number) that is resolved.</summary>
    public const int MaxRun = 2;

    /// <summary>The probability the other kind must have had at every character of the run.</summary>
    public const float MinAlternative = 0.1f;

    /// <summary>
    /// The probability the other case must have had for a letter that only its size tells (<c>s</c>, <c>S</c>) to take its
    /// word's case: the model's sense of size is weak (<c>GsT</c> gave <c>S</c> 0.02-0.26), its word's case is the evidence.
    /// </summary>
    public const float MinCase = 0.01f;

    private enum Kind
    {
        Other,
        Letter,
        Digit,
    }

    public static void Resolve(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        var i = 0;
        while (i < characters.Count)
        {
            var kind = KindOf(characters[i].Class, dictionary);
            if (kind == Kind.Other)
            {
                i++;
                continue;
            }

            var end = i + 1;
            while (end < characters.Count && !characters[end].SpaceBefore && KindOf(characters[end].Class, dictionary) == kind)
            {
                end++;
            }

            var other = kind == Kind.Letter ? Kind.Digit : Kind.Letter;
            var before = i > 0 && !characters[i].SpaceBefore ? KindOf(characters[i - 1].Class, dictionary) : Kind.Other;
            if (end - i <= MaxRun && before == other)
            {
                Replace(characters, i, end, other == Kind.Letter ? dictionary.Letters : dictionary.Digits, probabilities, classes);
            }
            else if (kind == Kind.Letter && end - i == 1 && before == Kind.Other && NumberGoesOn(characters, end, dictionary))
            {
                Replace(characters, i, end, dictionary.Digits, probabilities, classes);
            }

            i = end;
        }

        CapitalI(characters, probabilities, classes, dictionary);
        LetterCase(characters, probabilities, classes, dictionary);
        DollarBeforeAmount(characters, probabilities, classes, dictionary);
        CommaAfterNumber(characters, probabilities, classes, dictionary);
    }

    // Whether characters[at] goes on a number whose first digit a lone letter before it would be: a percent sign (O%), or
    // a decimal point or comma and a digit (O.00), with no space between.
    private static bool NumberGoesOn(List<CtcCharacter> characters, int at, CharacterDictionary dictionary)
    {
        if (at >= characters.Count || characters[at].SpaceBefore)
        {
            return false;
        }

        var mark = dictionary[characters[at].Class];
        return mark == "%"
            || (mark is "." or "," && at + 1 < characters.Count && !characters[at + 1].SpaceBefore
                && KindOf(characters[at + 1].Class, dictionary) == Kind.Digit);
    }

    // A period after a digit that no digit follows (not a decimal point) becomes a comma where the model gave the comma at
    // least MinAlternative: an address's number before its street (NO 290, JALAN; 7/4, KAWASAN), the two printed alike.
    private static void CommaAfterNumber(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        if (dictionary.Comma < 0)
        {
            return;
        }

        for (var k = 1; k < characters.Count; k++)
        {
            var next = k + 1 < characters.Count ? dictionary[characters[k + 1].Class] : null;
            if (dictionary[characters[k].Class] == "." && !characters[k].SpaceBefore && CtcDecoder.EndsDigit(dictionary[characters[k - 1].Class])
                && !(CtcDecoder.StartsDigit(next) && !characters[k + 1].SpaceBefore)
                && probabilities[(characters[k].Step * classes) + dictionary.Comma] >= MinAlternative)
            {
                characters[k] = characters[k] with { Class = dictionary.Comma };
            }
        }
    }

    // Letters whose capital is their small form set larger (c, o, s, u, v, w, x, z), which only their size tells apart,
    // take the case of the word's other letters after its first where those agree (GsT, InVOice): in a word of capitals a
    // small one that does not end it (not a plural's s: PCs), in a word of small letters a run of two capitals or more
    // that small letters follow (not a single one, which starts a part of a name set together: McChicken, TakeOut; nor
    // one that ends the word: macOS), each where the model gave the other case MinCase. A word's first letter is left as read, and so is a word whose other letters are of both cases.
    private static void LetterCase(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        var start = 0;
        while (start < characters.Count)
        {
            if (!dictionary.IsLetter(characters[start].Class))
            {
                start++;
                continue;
            }

            var end = start + 1;
            while (end < characters.Count && !characters[end].SpaceBefore && dictionary.IsLetter(characters[end].Class))
            {
                end++;
            }

            // The case the letters after the first show where the two cases differ in shape.
            var upper = 0;
            var lower = 0;
            for (var k = start + 1; k < end; k++)
            {
                var c = Letter(characters[k], dictionary);
                if (!IsSizeOnly(c))
                {
                    upper += char.IsAsciiLetterUpper(c) ? 1 : 0;
                    lower += char.IsAsciiLetterLower(c) ? 1 : 0;
                }
            }

            if (upper > 0 && lower == 0)
            {
                for (var k = start + 1; k < end - 1; k++)
                {
                    ToCase(characters, k, upper: true, probabilities, classes, dictionary);
                }
            }
            else if (lower > 0 && upper == 0)
            {
                for (var k = start + 1; k < end;)
                {
                    var run = k;
                    while (run < end && IsSizeOnly(Letter(characters[run], dictionary)) && char.IsAsciiLetterUpper(Letter(characters[run], dictionary)))
                    {
                        run++;
                    }

                    if (run - k >= 2 && run < end)
                    {
                        for (var j = k; j < run; j++)
                        {
                            ToCase(characters, j, upper: false, probabilities, classes, dictionary);
                        }
                    }

                    k = Math.Max(run, k + 1);
                }
            }

            start = end;
        }
    }

    // Character k, a size-only letter, in the case given where the model gave that case MinCase.
    private static void ToCase(List<CtcCharacter> characters, int k, bool upper, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        var c = Letter(characters[k], dictionary);
        var cased = upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c);
        var other = dictionary.LetterClass(cased);
        if (cased != c && IsSizeOnly(c) && other >= 0 && probabilities[(characters[k].Step * classes) + other] >= MinCase)
        {
            characters[k] = characters[k] with { Class = other };
        }
    }

    private static char Letter(CtcCharacter character, CharacterDictionary dictionary) => dictionary[character.Class][0];

    private static bool IsSizeOnly(char c) => SizeOnlyCase.Contains(char.ToLowerInvariant(c), StringComparison.Ordinal);

    // The letters whose capital is the small letter set larger: only their size tells the case.
    private const string SizeOnlyCase = "cosuvwxz";

    // A capital S that starts a word before an amount (digits, a decimal point and two digits that end the word) becomes a
    // dollar sign where the model gave $ at least MinAlternative: the two are one shape but for the stroke through it.
    private static void DollarBeforeAmount(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        if (dictionary.Dollar < 0)
        {
            return;
        }

        for (var k = 0; k + 1 < characters.Count; k++)
        {
            var startsWord = k == 0 || characters[k].SpaceBefore || KindOf(characters[k - 1].Class, dictionary) == Kind.Other;
            if (startsWord && dictionary[characters[k].Class] == "S" && IsAmount(characters, k + 1, dictionary)
                && probabilities[(characters[k].Step * classes) + dictionary.Dollar] >= MinAlternative)
            {
                characters[k] = characters[k] with { Class = dictionary.Dollar };
            }
        }
    }

    // Whether characters from `at` on, with no space among them, are digits, then a decimal point or comma and two digits
    // that end the word (5.50, 12,00).
    private static bool IsAmount(List<CtcCharacter> characters, int at, CharacterDictionary dictionary)
    {
        var k = at;
        while (k < characters.Count && !characters[k].SpaceBefore && KindOf(characters[k].Class, dictionary) == Kind.Digit)
        {
            k++;
        }

        if (k == at || k + 2 >= characters.Count || characters[k].SpaceBefore || dictionary[characters[k].Class] is not ("." or ","))
        {
            return false;
        }

        for (var d = k + 1; d <= k + 2; d++)
        {
            if (characters[d].SpaceBefore || KindOf(characters[d].Class, dictionary) != Kind.Digit)
            {
                return false;
            }
        }

        var end = k + 3;
        return end == characters.Count || characters[end].SpaceBefore || KindOf(characters[end].Class, dictionary) == Kind.Other;
    }

    // A lower-case l that starts a word and comes before a consonant becomes a capital I where the model gave I at least
    // MinAlternative: no English or Malay word starts so (ltem, lncl, lpoh), and a sans-serif capital I is the same stroke.
    private static void CapitalI(List<CtcCharacter> characters, ReadOnlySpan<float> probabilities, int classes, CharacterDictionary dictionary)
    {
        if (dictionary.CapitalI < 0)
        {
            return;
        }

        for (var k = 0; k + 1 < characters.Count; k++)
        {
            var startsWord = k == 0 || characters[k].SpaceBefore || KindOf(characters[k - 1].Class, dictionary) == Kind.Other;
            if (startsWord && dictionary[characters[k].Class] == "l" && !characters[k + 1].SpaceBefore && IsConsonant(dictionary[characters[k + 1].Class])
                && probabilities[(characters[k].Step * classes) + dictionary.CapitalI] >= MinAlternative)
            {
                characters[k] = characters[k] with { Class = dictionary.CapitalI };
            }
        }
    }

    // An ASCII letter that is not a vowel, y or l (ll, ly start words: llama, lymph).
    private static bool IsConsonant(string entry) =>
        entry is [var c] && char.IsAsciiLetter(c) && !"aeiouylAEIOUYL".Contains(c, StringComparison.Ordinal);

    // Every character of [start, end) becomes the likeliest class of the other kind, or none does.
    private static void Replace(List<CtcCharacter> characters, int start, int end, int[] candidates, ReadOnlySpan<float> probabilities, int classes)
    {
        Span<int> replacements = stackalloc int[MaxRun];
        for (var k = start; k < end; k++)
        {
            var row = probabilities.Slice(characters[k].Step * classes, classes);
            var best = -1;
            var bestProbability = 0f;
            foreach (var candidate in candidates)
            {
                if (candidate < row.Length && row[candidate] > bestProbability)
                {
                    best = candidate;
                    bestProbability = row[candidate];
                }
            }

            if (bestProbability < MinAlternative)
            {
                return;
            }

            replacements[k - start] = best;
        }

        for (var k = start; k < end; k++)
        {
            characters[k] = characters[k] with { Class = replacements[k - start] };
        }
    }

    private static Kind KindOf(int @class, CharacterDictionary dictionary) =>
        dictionary[@class] is [var c] ? char.IsAsciiLetter(c) ? Kind.Letter : char.IsAsciiDigit(c) ? Kind.Digit : Kind.Other : Kind.Other;
}
