using System.Numerics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// PP-OCR DB text detector: resizes the page so its longest side is at most the limit, or an elongated page to a
/// minimum area (<see cref="InputSize"/>; sides a multiple of 32), surrounds it with a margin of its border's colour
/// (<see cref="TensorSize"/>), normalizes with ImageNet statistics in BGR order, runs the model and extracts
/// quadrilateral boxes.
/// </summary>
internal sealed class TextDetector : IDisposable
{
    private readonly InferenceSession _session;
    private readonly DbPostProcessor _postProcessor;
    private readonly int _limitSide;
    private readonly int _minAreaSide;
    private readonly int _margin;

    /// <summary>Loads the configured model at the configured precision on its own (benchmarks, tools).</summary>
    public TextDetector(OcrEngineOptions options, ILogger logger)
        : this(options, ModelLoader.LoadAlone(ModelRole.Detector, options.DetectorModel, options, () => TimingSample(options), logger))
    {
    }

    public TextDetector(OcrEngineOptions options, LoadedModel model)
    {
        _session = model.Session;
        Model = model;
        _limitSide = options.DetectorLimitSide;
        _minAreaSide = options.DetectorMinAreaSide;
        _margin = options.DetectorMargin;
        _postProcessor = new DbPostProcessor(options.DetectorThreshold, options.DetectorBoxThreshold,
            options.DetectorUnclipRatio, options.DetectorMaxCandidates, options.LoneColons);
    }

    public ExecutionProvider Provider => Model.Provider;

    public LoadedModel Model { get; }

    /// <summary>A typical call for start-up timing: a page at the size limit (a 3:4 portrait scan).</summary>
    public static TimingInput TimingSample(OcrEngineOptions options)
    {
        var (width, height) = InputSize(options.DetectorLimitSide * 3 / 4, options.DetectorLimitSide, options.DetectorLimitSide, options.DetectorMinAreaSide);
        (width, height) = TensorSize(width, height, options.DetectorMargin);
        return TimingInput.Pattern(1, 3, height, width);
    }

    /// <summary>
    /// The model's input for a resized page of <paramref name="width"/> x <paramref name="height"/>: the page with at least
    /// <paramref name="margin"/> pixels on every side, each side rounded up to a multiple of 32. No margin leaves the
    /// size as it is (PaddleOCR's input).
    /// </summary>
    public static (int Width, int Height) TensorSize(int width, int height, int margin) =>
        margin == 0 ? (width, height) : (RoundUp32(width + (2 * margin)), RoundUp32(height + (2 * margin)));

    private static int RoundUp32(int value) => (value + 31) / 32 * 32;

    /// <summary>
    /// The model input size for a page, following PaddleOCR's DetResizeForTest (limit_type max): scaled down so that
    /// its longest side is at most <paramref name="limitSide"/>, each side then rounded to a multiple of 32. With
    /// <paramref name="minAreaSide"/> above 0, a page that this leaves with fewer than <paramref name="minAreaSide"/>
    /// squared pixels (a tall receipt, a wide strip: the longest-side rule shrinks them most) is scaled to that area
    /// instead. Never enlarged.
    /// </summary>
    public static (int Width, int Height) InputSize(int width, int height, int limitSide, int minAreaSide = 0)
    {
        var ratio = Math.Max(width, height) > limitSide ? (double)limitSide / Math.Max(width, height) : 1.0;
        if (minAreaSide > 0)
        {
            ratio = Math.Max(ratio, Math.Min(1.0, minAreaSide / Math.Sqrt((double)width * height)));
        }

        var resizedHeight = (int)(height * ratio);
        var resizedWidth = (int)(width * ratio);
        // Python's round() rounds half to even.
        resizedHeight = Math.Max((int)Math.Round(resizedHeight / 32.0, MidpointRounding.ToEven) * 32, 32);
        resizedWidth = Math.Max((int)Math.Round(resizedWidth / 32.0, MidpointRounding.ToEven) * 32, 32);
        return (resizedWidth, resizedHeight);
    }

    public IReadOnlyList<DetectedBox> Detect(RgbBuffer page, CancellationToken cancellationToken)
    {
        var input = InputOf(page);
        try
        {
            return RunModel(input, page.Width, page.Height, cancellationToken);
        }
        finally
        {
            ReleaseInput(input, page);
        }
    }

    /// <summary>
    /// Detects the text of a page that lies turned: the model runs on the page turned <paramref name="quarterTurns"/>
    /// quarter turns anticlockwise (the resized input is turned, not the page), where the text runs across and upright
    /// as the detector was trained to find it, and the boxes come back in the page's pixels, corners named as the text
    /// reads (<see cref="Quad.Along"/>): 1 for a page whose lines run down the image (scanned turned clockwise), 2 for
    /// one upside down, 3 for one whose lines run up the image. Text that was not turned that way comes out upside down
    /// in the crops, for the angle classifier to turn.
    /// </summary>
    public IReadOnlyList<DetectedBox> DetectTurned(RgbBuffer page, int quarterTurns, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(quarterTurns, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(quarterTurns, 3);
        var turned = InputOf(page);
        try
        {
            for (var k = 0; k < quarterTurns; k++)
            {
                var next = RgbBuffer.Rent(turned.Height, turned.Width);
                QuadCropper.RotateCounterClockwise(turned, next);
                ReleaseInput(turned, page);
                turned = next;
            }

            var odd = quarterTurns % 2 == 1;
            var boxes = RunModel(turned, odd ? page.Height : page.Width, odd ? page.Width : page.Height, cancellationToken);

            // Box coordinates count pixels from the centre of the first (as the crop's warp reads them). A quarter turn
            // anticlockwise takes pixel (x, y) of a w-wide image to (y, w - 1 - x); back, (u, v) is (w - 1 - v, u).
            Vector2 Back(Vector2 p)
            {
                for (var k = quarterTurns; k >= 1; k--)
                {
                    p = new Vector2((k % 2 == 1 ? page.Width : page.Height) - 1 - p.Y, p.X);
                }

                return p;
            }

            // The direction text upright on the turned page runs in on the page itself.
            var reading = quarterTurns switch { 1 => Vector2.UnitY, 2 => -Vector2.UnitX, _ => -Vector2.UnitY };
            return boxes
                .Select(b => b with { Box = new Quad(Back(b.Box.TopLeft), Back(b.Box.TopRight), Back(b.Box.BottomRight), Back(b.Box.BottomLeft)).Along(reading) })
                .ToArray();
        }
        finally
        {
            ReleaseInput(turned, page);
        }
    }

    // The page at the detector's input size: the page itself when it already is, else a resized copy from the buffer
    // rented buffers (1-3 MB, read once, into the tensor: not large-object garbage per page).
    private RgbBuffer InputOf(RgbBuffer page)
    {
        var (width, height) = InputSize(page.Width, page.Height, _limitSide, _minAreaSide);
        if (width == page.Width && height == page.Height)
        {
            return page;
        }

        var resized = RgbBuffer.Rent(width, height);
        CvResize.Bilinear(page, resized);
        return resized;
    }

    // Releases a buffer of InputOf (or one turned from it); never the caller's page.
    private static void ReleaseInput(RgbBuffer input, RgbBuffer page)
    {
        if (!ReferenceEquals(input, page))
        {
            input.Release();
        }
    }

    /// <summary>Runs the model on a resized page of the given size, margin included (warm-up).</summary>
    public void Run(int width, int height, CancellationToken cancellationToken) =>
        RunModel(new RgbBuffer(width, height), static (_, _) => 0, cancellationToken);

    // The boxes of a resized page, in the pixels of the page it was resized from (sourceWidth x sourceHeight). The
    // probability map is as large as the tensor (N x 1 x height x width), margin included.
    private IReadOnlyList<DetectedBox> RunModel(RgbBuffer input, int sourceWidth, int sourceHeight, CancellationToken cancellationToken)
    {
        var content = new MapContent(_margin, _margin, input.Width, input.Height);
        return RunModel(input, (probabilities, shape) => _postProcessor.Process(probabilities, (int)shape[^1], (int)shape[^2], content, sourceWidth, sourceHeight), cancellationToken);
    }

    // The detector was trained on scenes and pages with room around their text: a line cut tight to its ink, its
    // strokes touching the edge, goes largely unseen (uw3_lines read whole: 50 % CER without a margin, 1 % with one).
    // The margin has the colour of the page's edge, so it extends the paper; the boxes are mapped back out of it.
    private TResult RunModel<TResult>(RgbBuffer input, OutputReader<TResult> read, CancellationToken cancellationToken)
    {
        var (width, height) = TensorSize(input.Width, input.Height, _margin);
        using var tensor = new NativeTensor(3 * width * height);
        if (_margin > 0)
        {
            TensorWriter.Fill(tensor.Span, width, height, BorderColour.Median(input), ChannelNormalization.ImageNetBgr);
        }

        TensorWriter.Write(input, tensor.Span, width, height, ChannelNormalization.ImageNetBgr, _margin, _margin);
        return OrtRun.Run(_session, tensor, [1, 3, height, width], read, cancellationToken);
    }

    public void Dispose() => Model.Close();
}
