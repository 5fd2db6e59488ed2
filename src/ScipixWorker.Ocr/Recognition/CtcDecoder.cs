using System.Numerics.Tensors;
using System.Text;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>Greedy CTC decoding: best class per time step, repeats merged, blanks dropped.</summary>
internal static class CtcDecoder
{
    /// <summary>
    /// Decodes one sequence of <paramref name="steps"/> x <paramref name="classes"/> probabilities.
    /// Confidence is the mean probability of the emitted characters (0 when none), as PaddleOCR reports it.
    /// </summary>
    public static (string Text, float Confidence) Decode(ReadOnlySpan<float> probabilities, int steps, int classes, CharacterDictionary dictionary)
    {
        var text = new StringBuilder();
        var sum = 0.0;
        var emitted = 0;
        var previous = -1;
        for (var t = 0; t < steps; t++)
        {
            var row = probabilities.Slice(t * classes, classes);
            var best = TensorPrimitives.IndexOfMax(row);
            if (best != 0 && best != previous && best < dictionary.Count)
            {
                text.Append(dictionary[best]);
                sum += row[best];
                emitted++;
            }

            previous = best;
        }

        return (text.ToString(), emitted == 0 ? 0f : (float)(sum / emitted));
    }
}
