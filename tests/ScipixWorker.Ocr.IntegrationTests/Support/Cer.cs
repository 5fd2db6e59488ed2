using ScipixWorker.Ocr.Evaluation;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

internal static class Cer
{
    /// <summary>Character error rate with the shared evaluation's normalization.</summary>
    public static double Of(string reference, string hypothesis, bool caseInsensitive = false)
    {
        var r = TextMetrics.Normalize(reference, caseInsensitive);
        var h = TextMetrics.Normalize(hypothesis, caseInsensitive);
        return Rate(r, h);
    }

    /// <summary>
    /// CER with every space removed: for rendered test images, whose tight synthetic letter spacing makes
    /// the recognizer's word gaps unreliable (real scans are scored with spaces).
    /// </summary>
    public static double IgnoringSpaces(string reference, string hypothesis) =>
        Rate(Strip(reference), Strip(hypothesis));

    private static string Strip(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static double Rate(string r, string h)
    {
        return r.Length == 0 ? (h.Length == 0 ? 0 : 1) : TextMetrics.CharacterErrors(r, h) / (double)r.Length;
    }
}
