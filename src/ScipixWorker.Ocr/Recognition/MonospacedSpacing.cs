namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Spaces in monospaced print, read from its grid. Receipt printers set every character in a cell of one width, so a
/// narrow glyph beside another narrow one (<c>ri</c>, <c>LI</c>, <c>.:</c>) leaves as much white space as a word gap in
/// proportional print, and the inferred spaces (<see cref="CtcDecoder.IsSpaceGap"/>, <see cref="PunctuationSpacing"/>), and
/// now and then the model's own, split words there: <c>Fr ied</c>, <c>MAL INJA</c>, <c>ROUND ING</c>, <c>Descr ipt
/// ion</c>, <c>Cashier :</c>. In such print the white space is not what tells a word gap; the cells are. A space is an
/// empty cell: two glyphs a word apart are at least two cells apart centre to centre, two glyphs of one word one cell.
/// <para>
/// A line is taken as monospaced where its glyphs' centres fall on a grid. A glyph is a character whose run of ink
/// (<see cref="LineInk.Runs"/>) no neighbouring character shares; the pitch is the median distance between two
/// neighbouring glyphs with no space between them, from at least <see cref="MinPairs"/> such pairs; each glyph goes in
/// the cell its distance from the previous one rounds to, and the straight line fitted through cells and centres must
/// leave a residual (root mean square) of at most <see cref="MaxResidual"/> of the pitch. On the development sets
/// half the receipt lines leave under 0.1 and every book line of uw3_lines 0.116 or more. In a monospaced line, a space between two
/// glyphs less than <see cref="NeighbourCells"/> pitches apart is dropped, inferred or the model's. Not after a colon or
/// a comma, where the space is how the text is written (<c>Cashier: admin</c>), printed or not.
/// </para>
/// </summary>
internal static class MonospacedSpacing
{
    /// <summary>The fewest pairs of neighbouring glyphs a line's pitch is taken from.</summary>
    public const int MinPairs = 6;

    /// <summary>The most the glyphs' centres may stray from the fitted grid, as a fraction of the pitch, in a monospaced line.</summary>
    public const double MaxResidual = 0.1;

    /// <summary>Two glyphs closer than this many pitches, centre to centre, are in neighbouring cells: one word.</summary>
    public const double NeighbourCells = 1.1;

    public static void Apply(List<CtcCharacter> characters, CharacterDictionary dictionary, Func<LineInk?> measure)
    {
        if (!HasSpaceToCheck(characters, dictionary) || measure() is not { } ink)
        {
            return;
        }

        var runs = new int[characters.Count];
        for (var k = 0; k < characters.Count; k++)
        {
            runs[k] = characters[k].Class == dictionary.SpaceIndex ? -1 : ink.RunAt((characters[k].Step + characters[k].LastStep) / 2);
        }

        bool IsGlyph(int k) => runs[k] >= 0 && (k == 0 || runs[k - 1] != runs[k]) && (k + 1 >= runs.Length || runs[k + 1] != runs[k]);
        double Centre(int k) => (ink.Runs[runs[k]].Start + ink.Runs[runs[k]].End) / 2.0;

        if (Pitch(characters, IsGlyph, Centre) is not { } pitch)
        {
            return;
        }

        bool Neighbours(int left, int right) =>
            IsGlyph(left) && IsGlyph(right) && (Centre(right) - Centre(left)) / pitch < NeighbourCells && !SpacedAfter(dictionary[characters[left].Class]);

        // From the end, so that removing a space leaves the indices still to visit as they were.
        for (var k = characters.Count - 1; k >= 1; k--)
        {
            if (characters[k].Class == dictionary.SpaceIndex)
            {
                if (k + 1 < characters.Count && Neighbours(k - 1, k + 1))
                {
                    characters.RemoveAt(k);
                }
            }
            else if (characters[k].SpaceBefore && Neighbours(k - 1, k))
            {
                characters[k] = characters[k] with { SpaceBefore = false };
            }
        }
    }

    // The pitch of a monospaced line, or null when the line has too few glyphs to tell or they do not keep to a grid.
    private static double? Pitch(List<CtcCharacter> characters, Func<int, bool> isGlyph, Func<int, double> centre)
    {
        var distances = new List<double>();
        var glyphs = new List<int>();
        for (var k = 0; k < characters.Count; k++)
        {
            if (!isGlyph(k))
            {
                continue;
            }

            if (k > 0 && isGlyph(k - 1) && !characters[k].SpaceBefore)
            {
                distances.Add(centre(k) - centre(k - 1));
            }

            glyphs.Add(k);
        }

        if (distances.Count < MinPairs)
        {
            return null;
        }

        distances.Sort();
        var pitch = distances[distances.Count / 2];
        if (pitch <= 0)
        {
            return null;
        }

        // Least squares through (cell, centre): the residual says whether the glyphs keep to one grid.
        double cell = 0, sumCells = 0, sumCentres = 0, sumCellsSquared = 0, sumProducts = 0;
        var cells = new double[glyphs.Count];
        for (var j = 0; j < glyphs.Count; j++)
        {
            if (j > 0)
            {
                cell += Math.Max(1, Math.Round((centre(glyphs[j]) - centre(glyphs[j - 1])) / pitch));
            }

            cells[j] = cell;
            var x = centre(glyphs[j]);
            sumCells += cell;
            sumCentres += x;
            sumCellsSquared += cell * cell;
            sumProducts += cell * x;
        }

        var n = glyphs.Count;
        var slope = ((n * sumProducts) - (sumCells * sumCentres)) / ((n * sumCellsSquared) - (sumCells * sumCells));
        var intercept = (sumCentres - (slope * sumCells)) / n;
        var squares = 0.0;
        for (var j = 0; j < n; j++)
        {
            var residual = centre(glyphs[j]) - (intercept + (slope * cells[j]));
            squares += residual * residual;
        }

        return Math.Sqrt(squares / n) <= MaxResidual * slope ? pitch : null;
    }

    // A space that might go: one the model emitted or one inferred, not after a colon or a comma.
    private static bool HasSpaceToCheck(List<CtcCharacter> characters, CharacterDictionary dictionary)
    {
        for (var k = 1; k < characters.Count; k++)
        {
            var space = characters[k].SpaceBefore || (characters[k].Class == dictionary.SpaceIndex && k + 1 < characters.Count);
            if (space && !SpacedAfter(dictionary[characters[k - 1].Class]))
            {
                return true;
            }
        }

        return false;
    }

    // Characters a space follows by convention, printed or not.
    private static bool SpacedAfter(string entry) => PunctuationSpacing.IsColon(entry) || entry is "," or "\uFF0C";
}
