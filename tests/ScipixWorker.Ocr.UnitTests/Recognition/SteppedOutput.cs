using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// Recognizer output written one time step per entry: a character the model emits at 0.9 (or <c>_</c>, a blank;
/// <c>" "</c>, the space class), optionally with the classes it gave the rest of the step to (<c>"0|O=.3"</c>: a
/// <c>0</c>, with <c>O</c> at 0.3).
/// </summary>
internal static class SteppedOutput
{
    /// <summary>The probabilities of <paramref name="steps"/>, a row of <paramref name="dictionary"/>'s classes a step.</summary>
    public static float[] Probabilities(CharacterDictionary dictionary, IReadOnlyList<string> steps)
    {
        var classes = dictionary.Count;
        var probabilities = new float[steps.Count * classes];
        for (var t = 0; t < steps.Count; t++)
        {
            var row = probabilities.AsSpan(t * classes, classes);
            var parts = steps[t].Split('|');
            row[ClassOf(dictionary, parts[0])] = 0.9f;
            foreach (var alternative in parts.Skip(1))
            {
                var at = alternative.IndexOf('=', StringComparison.Ordinal);
                row[ClassOf(dictionary, alternative[..at])] = float.Parse(alternative[(at + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return probabilities;
    }

    private static int ClassOf(CharacterDictionary dictionary, string name) => name switch
    {
        "_" => 0,
        " " => dictionary.SpaceIndex,
        _ => Enumerable.Range(1, dictionary.Count - 1).First(i => dictionary[i] == name),
    };
}
