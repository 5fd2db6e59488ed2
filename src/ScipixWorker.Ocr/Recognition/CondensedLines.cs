using System.Numerics.Tensors;
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
/// <para>
/// The characters counted are the reading's and those it let go (<see cref="Dropped"/>): a line too dense for the model
/// loses characters to the blank, which makes its reading look less dense than its print is (<c>53200, KUALA LUMPUR</c>
/// read <c>53200, KALA UMU</c>: 13 characters over 35 steps, with <c>A</c> 0.47, <c>L</c> 0.33, <c>P</c> 0.20 and
/// <c>R</c> 0.15 under the blank; 17 with them). Such a line, dense only with the characters let go, is read again to
/// find them: its second reading is kept only where it has more characters than the first.
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

    /// <summary>The least a character must have had under the blank to count as one the reading let go (<see cref="Dropped"/>).</summary>
    public const float MinDropped = 0.1f;

    /// <summary>
    /// Whether a line read as <paramref name="text"/>, which let <paramref name="dropped"/> characters go
    /// (<see cref="Dropped"/>), is condensed: more than <see cref="MaxDensity"/> characters (spaces not counted) per time
    /// step of <paramref name="stepWidth"/> pixels over the extent of its ink, which <paramref name="ink"/> measures
    /// (called only for lines long enough to tell).
    /// </summary>
    public static bool IsCondensed(string text, int dropped, Func<LineInk?> ink, double stepWidth)
    {
        var characters = Characters(text) + dropped;
        if (characters < MinCharacters || ink() is not { Runs.Count: > 0 } measured)
        {
            return false;
        }

        var steps = (measured.Runs[^1].End - measured.Runs[0].Start + 1) / stepWidth;
        return characters / steps > MaxDensity;
    }

    /// <summary>
    /// The reading kept of a line read again: the <paramref name="second"/>, unless the line was read again only to find
    /// characters the <paramref name="first"/> let go (<paramref name="toFind"/>: dense only with them) and the second has
    /// no more characters than the first (a stretched line can gain a space instead: <c>GST Summary</c>, <c>G ST Summary</c>).
    /// </summary>
    public static LineReading Kept(LineReading first, LineReading second, bool toFind) =>
        !toFind || Characters(second.Text) > Characters(first.Text) ? second : first;

    /// <summary>The characters of <paramref name="text"/>, spaces not counted (a character outside the BMP once).</summary>
    public static int Characters(string text)
    {
        var characters = 0;
        foreach (var c in text)
        {
            characters += char.IsWhiteSpace(c) || char.IsLowSurrogate(c) ? 0 : 1;
        }

        return characters;
    }

    /// <summary>
    /// The characters the greedy reading of <paramref name="probabilities"/> (<paramref name="steps"/> x
    /// <paramref name="classes"/>) let go: time steps the blank won where a character had at least <see cref="MinDropped"/>,
    /// not a space and not the character read at a step beside it (the same character's run).
    /// </summary>
    public static int Dropped(ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary)
    {
        // The rows are a softmax's: a blank of more than 1 - MinDropped (with a thousandth for rounding) leaves no
        // character MinDropped. Most steps are such blanks, and are not searched.
        var best = steps <= 1024 ? stackalloc int[steps] : new int[steps];
        for (var t = 0; t < steps; t++)
        {
            best[t] = CtcDecoder.Winner(probabilities.Slice(t * classes, classes));
        }

        var dropped = 0;
        for (var t = 0; t < steps; t++)
        {
            if (best[t] != 0 || probabilities[t * classes] > 1.001f - MinDropped)
            {
                continue;
            }

            var row = probabilities.Slice((t * classes) + 1, classes - 1);
            var character = TensorPrimitives.IndexOfMax(row) + 1;
            if (row[character - 1] >= MinDropped && character < dictionary.Count && character != dictionary.SpaceIndex
                && (t == 0 || best[t - 1] != character) && (t + 1 == steps || best[t + 1] != character))
            {
                dropped++;
            }
        }

        return dropped;
    }

    /// <summary>
    /// <paramref name="line"/> resized to <paramref name="height"/> pixels high and <see cref="Factor"/> times the width
    /// its aspect ratio gives there, in a rented buffer (give it back with <see cref="RgbBuffer.Release"/>).
    /// </summary>
    public static RgbBuffer Stretch(RgbBuffer line, int height)
    {
        var width = (int)Math.Ceiling(height * Factor * line.Width / line.Height);
        var stretched = RgbBuffer.Rent(Math.Max(width, 1), height);
        stretched.Bilevel = line.Bilevel;
        CvResize.Bilinear(line, stretched);
        return stretched;
    }
}
