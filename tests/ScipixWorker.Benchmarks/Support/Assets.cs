using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// The committed SROIE fixtures (copied next to the binaries by the project file) and the repository's
/// models folder, with the inputs the benchmarks derive from them.
/// </summary>
internal static class Assets
{
    /// <summary>The scanned receipt (463 x 1013 JPEG) every page-level benchmark starts from.</summary>
    public const string ReceiptFile = "receipt_000.jpg";

    /// <summary>The fixtures folder: next to the binaries, else the repository's tests/fixtures/sroie.</summary>
    public static string FixtureDirectory { get; } = FindUp(
        dir => Path.Combine(dir, "fixtures", "sroie"),
        dir => Path.Combine(dir, "tests", "fixtures", "sroie"),
        ReceiptFile,
        "No fixtures/sroie folder found above the benchmark binaries.");

    /// <summary>The models folder: SCIPIX_MODELS, else the nearest models/ with SHA256SUMS above the binaries.</summary>
    public static string ModelDirectory { get; } = Environment.GetEnvironmentVariable("SCIPIX_MODELS") is { Length: > 0 } fromEnvironment
        ? fromEnvironment
        : FindUp(dir => Path.Combine(dir, "models"), null, "SHA256SUMS",
            "No models/ folder found above the benchmark binaries: run ./models/fetch.sh (or set SCIPIX_MODELS).");

    /// <summary>
    /// The worker's engine options on the repository's models (intra-op threads: 0 = all cores). The recognizer
    /// benchmarks pass <see cref="WidthBuckets.PaddleMinWidth"/> as <paramref name="recognizerMinWidth"/> so that
    /// every batch of <see cref="NarrowLines"/> is 48 x 320, as in their recorded results.
    /// </summary>
    public static OcrEngineOptions Options(int intraOpThreads = 0, string? recognizerModel = null, int recognizerMinWidth = WidthBuckets.DefaultMinWidth)
    {
        var options = new OcrEngineOptions { ModelDirectory = ModelDirectory, IntraOpThreads = intraOpThreads, RecognizerMinWidth = recognizerMinWidth };
        if (recognizerModel is not null)
        {
            options.RecognizerModel = recognizerModel;
        }

        return options;
    }

    /// <summary>
    /// Recognizer files in models/ (<c>*rec*.onnx</c>): the FP32 model now, INT8/FP16 variants as soon as
    /// they are dropped next to it.
    /// </summary>
    public static IEnumerable<string> RecognizerModels() =>
        Directory.EnumerateFiles(ModelDirectory, "*rec*.onnx")
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal);

    public static byte[] Bytes(string file) => File.ReadAllBytes(Path.Combine(FixtureDirectory, file));

    /// <summary>A PDF of the fixtures (tests/fixtures/pdf, beside the sroie folder).</summary>
    public static byte[] Pdf(string file) => Fixture("pdf", file);

    /// <summary>A file of another fixtures folder beside the sroie folder (pdf, jbig2, jpeg2000).</summary>
    public static byte[] Fixture(string folder, string file) => File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(FixtureDirectory)!, folder, file));

    /// <summary>
    /// Page 1 of <paramref name="pdf"/> with its unnamed letters drawn (<see cref="PdfUnmappedGlyphs"/>: outlines, Type 3
    /// glyphs), as the engine draws them: PdfPig's parse, the letters' outlines placed, the one block found, rendered to PNG.
    /// </summary>
    public static byte[] DrawUnnamedLetters(byte[] pdf)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var page = document.GetPage(1);
        var drawn = PdfUnmappedGlyphs.Find(page.Letters);
        var block = PdfDrawnText.Blocks([.. page.Paths, .. drawn.Paths], [], 0, 0, page.Width, page.Height).Single();
        return PdfDrawnText.Render(block);
    }

    /// <summary>
    /// The first page of <paramref name="file"/> loaded as the engine loads it (<see cref="ImageLoader.Load"/>, then
    /// <c>Page(0)</c>) and given back; its width, so that the work is not optimised away.
    /// </summary>
    public static int LoadFirstPage(ImageLoader loader, byte[] file)
    {
        using var decoded = loader.Load(file);
        var page = decoded.Page(0);
        var width = page.Width;
        page.Release();
        return width;
    }

    /// <summary>Decodes as the engine does (ImageSharp, EXIF orientation, alpha onto white).</summary>
    public static RgbBuffer Decode(byte[] encoded)
    {
        using var image = new ImageLoader(new OcrEngineOptions()).Load(encoded);
        return image.Page(0);
    }

    /// <summary>The receipt scaled (cv2 bilinear) so that its longest side is <paramref name="longSide"/> pixels.</summary>
    public static RgbBuffer Receipt(int longSide)
    {
        var original = Decode(Bytes(ReceiptFile));
        var scale = (double)longSide / Math.Max(original.Width, original.Height);
        var width = Math.Max(1, (int)Math.Round(original.Width * scale));
        var height = Math.Max(1, (int)Math.Round(original.Height * scale));
        return CvResize.Bilinear(original, width, height);
    }

    /// <summary>
    /// The SROIE line crops that fall in the recognizer's narrowest width bucket (resized to height 48 they
    /// are at most 320 wide, so a batch of them is padded to 48 x 320): the bucket most receipt lines
    /// fall in, and one where every batch has the same shape whichever crops fill it.
    /// </summary>
    public static RgbBuffer[] NarrowLines() =>
        Directory.EnumerateFiles(FixtureDirectory, "line_*.png")
            .Order(StringComparer.Ordinal)
            .Select(path => Decode(File.ReadAllBytes(path)))
            .Where(line => Math.Ceiling(TextRecognizer.InputHeight * line.Width / (double)line.Height) <= WidthBuckets.PaddleMinWidth)
            .ToArray();

    /// <summary><paramref name="count"/> crops cycling through <paramref name="lines"/>.</summary>
    public static RgbBuffer[] Cycle(RgbBuffer[] lines, int count, int start = 0) =>
        Enumerable.Range(start, count).Select(i => lines[i % lines.Length]).ToArray();

    private static string FindUp(Func<string, string> first, Func<string, string>? second, string marker, string error)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            foreach (var candidate in second is null ? [first(dir.FullName)] : new[] { first(dir.FullName), second(dir.FullName) })
            {
                if (File.Exists(Path.Combine(candidate, marker)))
                {
                    return candidate;
                }
            }
        }

        throw new InvalidOperationException(error);
    }
}
