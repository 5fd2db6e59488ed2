namespace ScipixWorker.Ocr.IntegrationTests.Support;

/// <summary>Paths of the committed fixtures and of the repository's models folder.</summary>
internal static class Fixtures
{
    public static string Directory { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "fixtures");

    public static string Path(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    public static byte[] Bytes(params string[] parts) => File.ReadAllBytes(Path(parts));

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    /// <summary>The nine SROIE line crops in fixtures/sroie (<c>line_*.png</c>, each with its <c>.gt.txt</c>).</summary>
    public static IReadOnlyList<string> SroieLineCrops { get; } =
    [
        "line_003_002", "line_111_019", "line_195_029", "line_327_068", "line_525_065", "line_003_008",
        "line_081_003", "line_231_064", "line_549_010",
    ];

    /// <summary>The nine SROIE line crops with their ground truth.</summary>
    public static List<ScipixWorker.Ocr.Evaluation.LabeledImage> SroieLines() =>
        SroieLineCrops.Select(n => new ScipixWorker.Ocr.Evaluation.LabeledImage(n, Bytes("sroie", n + ".png"), Text("sroie", n + ".gt.txt"))).ToList();

    /// <summary>The models folder: SCIPIX_MODELS, else the nearest models/ with SHA256SUMS above the test binaries.</summary>
    public static string ModelDirectory { get; } = FindModels();

    private static string FindModels()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SCIPIX_MODELS");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "models");
            if (File.Exists(System.IO.Path.Combine(candidate, "SHA256SUMS")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No models/ folder found above the test binaries: run `make models` (or set SCIPIX_MODELS).");
    }
}
