using UglyToad.PdfPig.Core;

namespace ScipixWorker.Ocr.Imaging;

/// <summary>
/// Shapes on a page in clusters of those near one another: two are near when their boxes, each grown by its own reach on
/// every side, overlap. Union-find over a grid of cells, so that a page of thousands of shapes stays fast.
/// </summary>
internal static class NearShapes
{
    /// <summary>
    /// The clusters of <paramref name="boxes"/>, as lists of their indices: boxes grown by <paramref name="reach"/> that
    /// overlap are joined, unless <paramref name="mayJoin"/> says no; <paramref name="cell"/>: the grid's cell, in points
    /// (about a shape's size).
    /// </summary>
    public static List<List<int>> Clusters(IReadOnlyList<PdfRectangle> boxes, Func<PdfRectangle, double> reach, double cell, Func<int, int, bool>? mayJoin = null)
    {
        var parent = Enumerable.Range(0, boxes.Count).ToArray();
        int Find(int i)
        {
            while (parent[i] != i)
            {
                i = parent[i] = parent[parent[i]];
            }

            return i;
        }

        var grown = boxes.Select(b => (Reach: reach(b), Box: b))
            .Select(g => (Left: g.Box.Left - g.Reach, Right: g.Box.Right + g.Reach, Bottom: g.Box.Bottom - g.Reach, Top: g.Box.Top + g.Reach))
            .ToList();
        var grid = new Dictionary<(long X, long Y), List<int>>();
        for (var i = 0; i < boxes.Count; i++)
        {
            var g = grown[i];
            for (var cx = (long)Math.Floor(g.Left / cell); cx <= (long)Math.Floor(g.Right / cell); cx++)
            {
                for (var cy = (long)Math.Floor(g.Bottom / cell); cy <= (long)Math.Floor(g.Top / cell); cy++)
                {
                    if (!grid.TryGetValue((cx, cy), out var members))
                    {
                        grid[(cx, cy)] = members = [];
                    }

                    foreach (var j in members)
                    {
                        var o = grown[j];
                        if (g.Left <= o.Right && o.Left <= g.Right && g.Bottom <= o.Top && o.Bottom <= g.Top
                            && Find(i) != Find(j) && (mayJoin is null || mayJoin(i, j)))
                        {
                            parent[Find(i)] = Find(j);
                        }
                    }

                    members.Add(i);
                }
            }
        }

        return [.. Enumerable.Range(0, boxes.Count).GroupBy(Find).Select(g => g.ToList())];
    }
}
