using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.UnitTests.Recognition;

/// <summary>
/// Recognizer output for the rules that read marks the model half saw (<see cref="TrailingMarks"/>,
/// <see cref="DecimalPoints"/>): one time step per pattern character, a character of the alphabet at 0.9, <c>' '</c>
/// the model's space at 0.9, <c>_</c> the blank, <c>*</c> the blank with the period at 0.05, <c>+</c> the blank with the
/// comma at 0.05 and <c>'</c> the blank with the period at 0.005.
/// </summary>
internal static class MarkPatterns
{
    public static CharacterDictionary Dictionary(string alphabet) => new(alphabet.Select(c => c.ToString()).ToArray(), useSpace: true);

    public static float[] Probabilities(CharacterDictionary dictionary, string alphabet, string pattern)
    {
        var probabilities = new float[pattern.Length * dictionary.Count];
        for (var t = 0; t < pattern.Length; t++)
        {
            var row = probabilities.AsSpan(t * dictionary.Count, dictionary.Count);
            switch (pattern[t])
            {
                case '_': row[0] = 0.9f; break;
                case '*': row[0] = 0.9f; row[dictionary.Period] = 0.05f; break;
                case '+': row[0] = 0.9f; row[dictionary.Comma] = 0.05f; break;
                case '\'': row[0] = 0.9f; row[dictionary.Period] = 0.005f; break;
                case ' ': row[dictionary.SpaceIndex] = 0.9f; break;
                default: row[alphabet.IndexOf(pattern[t], StringComparison.Ordinal) + 1] = 0.9f; break;
            }
        }

        return probabilities;
    }
}
