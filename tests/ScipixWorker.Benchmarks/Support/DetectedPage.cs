using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// The receipt at one size after a real detector run, as the engine sees it: the page, the detector's
/// probability map, the boxes DB post-processing finds in it and their perspective crops.
/// </summary>
internal sealed class DetectedPage
{
    private DetectedPage(RgbBuffer page, float[] map, int mapWidth, int mapHeight, IReadOnlyList<DetectedBox> boxes)
    {
        Page = page;
        Map = map;
        MapWidth = mapWidth;
        MapHeight = mapHeight;
        Boxes = boxes;
        Crops = boxes.Select(b => QuadCropper.Crop(page, b.Box)).ToArray();
    }

    public RgbBuffer Page { get; }

    public float[] Map { get; }

    public int MapWidth { get; }

    public int MapHeight { get; }

    public IReadOnlyList<DetectedBox> Boxes { get; }

    public RgbBuffer[] Crops { get; }

    /// <summary>
    /// The boxes in reading order (<see cref="ReadingOrder.Sort"/>), their crops and the rows the page's text joins them
    /// into: what the engine's searches beside the lines (<see cref="GapColons"/>, <see cref="LoneGlyphs"/>) are given.
    /// </summary>
    public (Quad[] Lines, RgbBuffer[] Crops, IReadOnlyList<IReadOnlyList<int>> Rows) InRows()
    {
        Quad[] lines = [.. ReadingOrder.Sort(Boxes).Select(b => b.Box)];
        return (lines, [.. lines.Select(q => QuadCropper.Crop(Page, q))], ReadingOrder.GroupIntoRows(lines));
    }

    /// <summary>The worker's post-processor (PaddleOCR's defaults).</summary>
    public static DbPostProcessor PostProcessor(OcrEngineOptions options, bool loneMarks = false) =>
        new(options.DetectorThreshold, options.DetectorBoxThreshold, options.DetectorUnclipRatio, options.DetectorMaxCandidates, loneMarks);

    /// <summary>Runs the detector (worker defaults: 960 px limit) on the receipt scaled to <paramref name="longSide"/>.</summary>
    public static DetectedPage Create(int longSide)
    {
        var options = Assets.Options();
        var page = Assets.Receipt(longSide);
        var (width, height) = TextDetector.InputSize(page.Width, page.Height, options.DetectorLimitSide, options.DetectorMinAreaSide);
        var resized = width == page.Width && height == page.Height ? page : CvResize.Bilinear(page, width, height);
        var tensor = new float[3 * width * height];
        TensorWriter.Write(resized, tensor, width, height, ChannelNormalization.ImageNetBgr);

        var (session, _) = OrtSessionFactory.Create(options.Resolve(options.DetectorModel), options, NullLogger.Instance);
        using (session)
        {
            var map = OrtRun.Run(session, tensor, [1, 3, height, width], out _, CancellationToken.None);
            var boxes = PostProcessor(options).Process(map, width, height, page.Width, page.Height);
            var detected = new DetectedPage(page, map, width, height, boxes);
            Console.WriteLine($"// receipt at {longSide} px: page {page.Width}x{page.Height}, detector input {width}x{height}, " +
                $"{boxes.Count} boxes, crops {detected.Crops.Sum(c => c.Width * c.Height)} px in all");
            return detected;
        }
    }
}
