namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// DB (Differentiable Binarization) post-processing, after PaddleOCR's DBPostProcess (box_type quad,
/// score_mode fast): binarize, find regions, minimum-area rectangle, box score, unclip, size filter,
/// scale back to the original image.
/// </summary>
internal sealed class DbPostProcessor(float threshold, float boxThreshold, float unclipRatio, int maxCandidates)
{
    public const int MinSize = 3;

    /// <summary>Boxes from a probability map of <paramref name="mapWidth"/> x <paramref name="mapHeight"/>,
    /// scaled to an original image of <paramref name="sourceWidth"/> x <paramref name="sourceHeight"/>.</summary>
    public IReadOnlyList<DetectedBox> Process(ReadOnlySpan<float> probabilities, int mapWidth, int mapHeight, int sourceWidth, int sourceHeight)
    {
        _ = (threshold, boxThreshold, unclipRatio, maxCandidates);
        throw new NotImplementedException();
    }
}
