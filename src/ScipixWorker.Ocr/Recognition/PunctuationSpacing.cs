namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Spaces beside colons and after commas, read from the ink. Receipts print labels as <c>TEL : 03-3271 9872</c>, <c>CASHIER :</c>,
/// <c>TOTAL QTY : 15</c>: the colon sits in a monospaced cell of its own with white space on both sides, and a reader
/// sees the spaces. PP-OCRv4's recognizer gives the space class nothing there (a colon is narrow and the gap looks like
/// the colon's own cell to it), so neither its output nor <see cref="CtcDecoder.IsSpaceGap"/> has one, and the line
/// came out <c>TEL:03-3271 9872</c>.
/// <para>
/// The gap itself is plain in the image: where the white space between a colon's ink and its neighbour's is at least
/// <see cref="MinGap"/> of the text's height (<see cref="LineInk"/>), a space goes there. A colon set close to its
/// label (<c>TIME:</c>, <c>No:</c>) leaves a fifth of that or less. Not between two digits: a time or a ratio
/// (<c>16:52:00</c>) has no spaces, however a font draws it.
/// </para>
/// <para>
/// The same white space after an ASCII comma is a space too (<c>NO.53,JALAN BESAR,45600</c> is printed
/// <c>NO.53, JALAN BESAR, 45600</c>); before a comma none is added, nor between two digits (<c>1,000.00</c>), nor after a
/// full-width comma, which Chinese text sets without one.
/// </para>
/// </summary>
internal static class PunctuationSpacing
{
    /// <summary>The white space beside a colon, as a fraction of the text's height, that is read as a space.</summary>
    public const float MinGap = 0.4f;

    /// <summary>
    /// Adds the spaces; <paramref name="measure"/> is asked for the line's ink only when a colon or comma has a side to
    /// check (<see cref="CtcDecoder.Decode"/> measures it at most once).
    /// </summary>
    public static void Apply(List<CtcCharacter> characters, CharacterDictionary dictionary, Func<LineInk?> measure)
    {
        for (var k = 0; k < characters.Count; k++)
        {
            var comma = dictionary[characters[k].Class] == ",";
            if (!comma && !IsColon(dictionary[characters[k].Class]))
            {
                continue;
            }

            var before = k > 0 ? dictionary[characters[k - 1].Class] : null;
            var after = k + 1 < characters.Count ? dictionary[characters[k + 1].Class] : null;
            var between = CtcDecoder.EndsDigit(before) && CtcDecoder.StartsDigit(after);
            var wantBefore = !comma && before is not null and not " " && !characters[k].SpaceBefore && !between;
            var wantAfter = after is not null and not " " && !characters[k + 1].SpaceBefore && !between;
            if (!wantBefore && !wantAfter)
            {
                continue;
            }

            if (measure() is not { } ink)
            {
                return;
            }

            if (wantBefore && ink.Gap(characters[k - 1].LastStep, characters[k].Step) >= MinGap)
            {
                characters[k] = characters[k] with { SpaceBefore = true };
            }

            if (wantAfter && ink.Gap(characters[k].LastStep, characters[k + 1].Step) >= MinGap)
            {
                characters[k + 1] = characters[k + 1] with { SpaceBefore = true };
            }
        }
    }

    /// <summary>A colon, ASCII or full width.</summary>
    internal static bool IsColon(string entry) => entry is ":" or "\uFF1A";
}
