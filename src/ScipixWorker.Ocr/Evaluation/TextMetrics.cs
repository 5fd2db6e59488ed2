using System.Text;

namespace ScipixWorker.Ocr.Evaluation;

/// <summary>
/// Scoring as ../shared/eval defines it: whitespace runs collapsed to one space and trimmed on both
/// sides, then Levenshtein distance over characters (CER) or space-separated words (WER).
/// </summary>
public static class TextMetrics
{
    /// <summary>Collapses whitespace runs to one space and trims; optionally upper-cases (invariant).</summary>
    public static string Normalize(string text, bool caseInsensitive = false)
    {
        var builder = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = builder.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                builder.Append(' ');
                pendingSpace = false;
            }

            builder.Append(caseInsensitive ? char.ToUpperInvariant(c) : c);
        }

        return builder.ToString();
    }

    /// <summary>Levenshtein distance between two sequences (unit costs).</summary>
    public static int EditDistance<T>(IReadOnlyList<T> a, IReadOnlyList<T> b)
        where T : IEquatable<T>
    {
        if (a.Count == 0)
        {
            return b.Count;
        }

        if (b.Count == 0)
        {
            return a.Count;
        }

        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        for (var j = 0; j <= b.Count; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Count; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Count; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1].Equals(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Count];
    }

    /// <summary>Character edit distance between normalized strings.</summary>
    public static int CharacterErrors(string reference, string hypothesis) =>
        EditDistance(reference.ToCharArray(), hypothesis.ToCharArray());

    /// <summary>Word edit distance between normalized strings (words split on single spaces).</summary>
    public static int WordErrors(string reference, string hypothesis) =>
        EditDistance(Words(reference), Words(hypothesis));

    /// <summary>Words of a normalized string.</summary>
    public static string[] Words(string normalized) =>
        normalized.Length == 0 ? [] : normalized.Split(' ');

    /// <summary>
    /// An order-independent form of a multi-line text: each line normalized, lines sorted ordinally and
    /// joined by a newline. Scoring this form ("bag of lines") separates recognition errors from
    /// reading-order differences on pages.
    /// </summary>
    public static string BagOfLines(string text, bool caseInsensitive = false) =>
        string.Join('\n', text.Split('\n')
            .Select(l => Normalize(l, caseInsensitive))
            .Where(l => l.Length > 0)
            .Order(StringComparer.Ordinal));
}
