using ScipixWorker.Ocr.Evaluation;

namespace ScipixWorker.Ocr.IntegrationTests.Support;

internal static class Cer
{
    /// <summary>Character error rate with the shared evaluation's normalization.</summary>
    public static double Of(string reference, string hypothesis, bool caseInsensitive = false)
    {
        var r = TextMetrics.Normalize(reference, caseInsensitive);
        var h = TextMetrics.Normalize(hypothesis, caseInsensitive);
        return r.Length == 0 ? (h.Length == 0 ? 0 : 1) : TextMetrics.CharacterErrors(r, h) / (double)r.Length;
    }
}
