namespace ScipixWorker.Cli.Eval;

internal sealed record ManifestItem(string ImagePath, string GroundTruth);

/// <summary>Reads a set's manifest.tsv: header row, then image path, ground-truth file, character count.</summary>
internal static class Manifest
{
    public static IReadOnlyList<ManifestItem> Read(string setDirectory, int? limit)
    {
        var manifest = Path.Combine(setDirectory, "manifest.tsv");
        if (!File.Exists(manifest))
        {
            throw new FileNotFoundException($"No manifest.tsv in '{setDirectory}'.", manifest);
        }

        var items = new List<ManifestItem>();
        foreach (var line in File.ReadLines(manifest).Skip(1))
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            var columns = line.Split('\t');
            if (columns.Length < 2)
            {
                throw new FormatException($"{manifest}: expected image<TAB>ground_truth, got '{line}'.");
            }

            var truthPath = Path.Combine(setDirectory, columns[1]);
            // The second column names a ground-truth file; a value that is no file is the text itself.
            var truth = File.Exists(truthPath) ? File.ReadAllText(truthPath) : columns[1];
            items.Add(new ManifestItem(Path.Combine(setDirectory, columns[0]), truth));
            if (items.Count == limit)
            {
                break;
            }
        }

        return items;
    }
}
