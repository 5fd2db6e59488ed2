using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Condensed lines, read again stretched across. PP-OCRv4's recognizer emits one time step per 8 px of its 48-px-high
/// input and learned from print about twice as wide as it is packed in condensed receipt fonts and in crops whose text
/// fills half their height (<c>PAT:37993027/RC:209031/IF:40132774</c> in 47 steps): there it drops characters and
/// spaces (<c>PAT:3799027/C209031/IF:0177</c>, <c>TAXINVOICE</c>, <c>12,JalanTami7Kawasan</c>). Making the crop taller
/// in the input does not help; making it wider does.
/// <para>
/// A line whose first reading has more than <see cref="MaxDensity"/> characters per time step over its ink's extent
/// (<see cref="LineInk"/>), and at least <see cref="MinCharacters"/> characters to tell by, is read again
/// <see cref="Stretch"/>ed <see cref="Factor"/> times as wide, and the second reading is kept: on sroie_lines it was the
/// better one more often than the more confident of the two was. The ink measure takes the stretch out of the gaps it
/// measures (the width scale <see cref="LineInk"/> is measured with), so the spacing rules judge the stretched line as printed.
/// </para>
/// </summary>
internal static class CondensedLines
{
    /// <summary>Characters per time step over the ink's extent above which a line is read again (a pitch under ~18 px at the 48-px input height).</summary>
    public const double MaxDensity = 0.45;

    /// <summary>Fewer characters than this say too little about the pitch (a lone <c>6.00</c>, <c>Total :</c>).</summary>
    public const int MinCharacters = 8;

    /// <summary>How many times as wide a condensed line is read again.</summary>
    public const double Factor = 1.5;

    /// <summary>
    /// Whether a line read as <paramref name="text"/> is condensed: more than <see cref="MaxDensity"/> characters (spaces
    /// not counted) per time step of <paramref name="stepWidth"/> pixels over the extent of its ink, which
    /// <paramref name="ink"/> measures (called only for lines long enough to tell).
    /// </summary>
    public static bool IsCondensed(string text, Func<LineInk?> ink, double stepWidth)
    {
        var characters = 0;
        foreach (var c in text)
        {
            characters += char.IsWhiteSpace(c) || char.IsLowSurrogate(c) ? 0 : 1;
        }

        if (characters < MinCharacters || ink() is not { Runs.Count: > 0 } measured)
        {
            return false;
        }

        var steps = (measured.Runs[^1].End - measured.Runs[0].Start + 1) / stepWidth;
        return characters / steps > MaxDensity;
    }

    /// <summary>
    /// <paramref name="line"/> resized to <paramref name="height"/> pixels high and <see cref="Factor"/> times the width
    /// its aspect ratio gives there, in a pooled buffer (give it back with <see cref="RgbBuffer.ReturnToPool"/>).
    /// </summary>
    public static RgbBuffer Stretch(RgbBuffer line, int height)
    {
        var width = (int)Math.Ceiling(height * Factor * line.Width / line.Height);
        var stretched = RgbBuffer.Rent(Math.Max(width, 1), height);
        CvResize.Bilinear(line, stretched);
        return stretched;
    }
}
