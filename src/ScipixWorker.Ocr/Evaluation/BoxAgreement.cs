using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Ocr.Evaluation;

/// <summary>
/// How well two detections of the same page agree: boxes are matched one to one, greedily by IoU of their
/// axis-aligned bounds, and a pair counts when its IoU is at least the threshold.
/// </summary>
public static class BoxAgreement
{
    /// <summary>Number of matched pairs between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static int Matches(IReadOnlyList<Quad> a, IReadOnlyList<Quad> b, double minIou = 0.5)
    {
        var pairs = new List<(double Iou, int I, int J)>();
        for (var i = 0; i < a.Count; i++)
        {
            for (var j = 0; j < b.Count; j++)
            {
                var iou = Iou(a[i], b[j]);
                if (iou >= minIou)
                {
                    pairs.Add((iou, i, j));
                }
            }
        }

        pairs.Sort((x, y) => y.Iou.CompareTo(x.Iou));
        var usedA = new bool[a.Count];
        var usedB = new bool[b.Count];
        var matches = 0;
        foreach (var (_, i, j) in pairs)
        {
            if (!usedA[i] && !usedB[j])
            {
                usedA[i] = usedB[j] = true;
                matches++;
            }
        }

        return matches;
    }

    /// <summary>F1 of the matches: 2 x matches / (|a| + |b|); 1 when both are empty.</summary>
    public static double F1(int matches, int countA, int countB) =>
        countA + countB == 0 ? 1 : 2.0 * matches / (countA + countB);

    /// <summary>Intersection over union of the axis-aligned bounds of two quads.</summary>
    public static double Iou(Quad a, Quad b)
    {
        var width = Math.Min(a.MaxX, b.MaxX) - Math.Max(a.MinX, b.MinX);
        var height = Math.Min(a.MaxY, b.MaxY) - Math.Max(a.MinY, b.MinY);
        if (width <= 0 || height <= 0)
        {
            return 0;
        }

        double intersection = width * height;
        double union = ((a.MaxX - a.MinX) * (a.MaxY - a.MinY)) + ((b.MaxX - b.MinX) * (b.MaxY - b.MinY)) - intersection;
        return union <= 0 ? 0 : intersection / union;
    }
}
