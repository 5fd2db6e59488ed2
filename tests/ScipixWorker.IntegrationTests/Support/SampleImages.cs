using ScipixWorker.Ocr.Evaluation;

namespace ScipixWorker.IntegrationTests.Support;

/// <summary>The bundled sample images (samples/) with their ground truth, and a CER helper.</summary>
internal static class SampleImages
{
    public static readonly (string File, string Truth)[] Lines =
    [
        ("line-golden-arches.png", "GOLDEN ARCHES RESTAURANTS SDN BHD"),
        ("line-total-excl-gst.png", "TOTAL EXCL. OF GST"),
        ("line-telephone.png", "TEL : 03-3271 9872"),
    ];

    public static byte[] Bytes(string file) => File.ReadAllBytes(TestEnvironment.Asset("samples", file));

    public static byte[] Receipt => File.ReadAllBytes(TestEnvironment.Asset("fixtures", "receipt_000.jpg"));

    public static string ReceiptTruth => File.ReadAllText(TestEnvironment.Asset("fixtures", "receipt_000.gt.txt"));

    /// <summary>The ground truth of samples/receipt-sideways.jpg (SROIE receipt 048).</summary>
    public static string SidewaysReceiptTruth => File.ReadAllText(TestEnvironment.Asset("fixtures", "receipt_048.gt.txt"));

    /// <summary>
    /// Character error rate, case-insensitive (the SROIE ground truth is upper case) and ignoring whitespace
    /// (the ground truth spaces "TEL : 03-3271 9872" as printed; the recognizer reads "TEL:03-32719872").
    /// </summary>
    public static double Cer(string reference, string hypothesis)
    {
        var r = string.Concat(TextMetrics.Normalize(reference, caseInsensitive: true).Where(c => !char.IsWhiteSpace(c)));
        var h = string.Concat(TextMetrics.Normalize(hypothesis, caseInsensitive: true).Where(c => !char.IsWhiteSpace(c)));
        return r.Length == 0 ? (h.Length == 0 ? 0 : 1) : TextMetrics.CharacterErrors(r, h) / (double)r.Length;
    }
}
