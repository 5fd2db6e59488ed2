using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Detection;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Orientation;
using ScipixWorker.Ocr.Precision;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Ocr.Engine;

/// <summary>
/// Images in, text out: decodes an image, detects text lines, fixes their orientation and recognizes
/// them, following PaddleOCR's pipeline. Thread-safe: concurrent calls share the loaded models.
/// </summary>
public sealed class OcrEngine : IDisposable
{
    private readonly OcrEngineOptions _options;
    private readonly ILogger _logger;
    private readonly ImageLoader _loader;
    private readonly TextDetector _detector;
    private readonly TextOrientationClassifier? _classifier;
    private readonly TextRecognizer _recognizer;

    /// <summary>Loads the configured models. Call <see cref="WarmUp"/> before the first real image.</summary>
    public OcrEngine(OcrEngineOptions options, ILogger<OcrEngine>? logger = null)
    {
        _options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loader = new ImageLoader(options);
        var catalog = VariantCatalog.Load(options.Resolve(options.VariantsFile));
        var loaded = new List<LoadedModel>(3);
        try
        {
            // Explicit int8/fp16 settings are checked for every model before anything loads, so a bad one
            // fails at once and names its setting.
            CheckExplicitPrecisions(options, catalog);
            loaded.Add(ModelLoader.Load(ModelRole.Recognizer, options.RecognizerModel, options, catalog, () => TextRecognizer.TimingSample(options), _logger));
            _recognizer = new TextRecognizer(options, loaded[^1]);
            loaded.Add(ModelLoader.Load(ModelRole.Detector, options.DetectorModel, options, catalog, () => TextDetector.TimingSample(options), _logger));
            _detector = new TextDetector(options, loaded[^1]);
            if (string.IsNullOrWhiteSpace(options.ClassifierModel))
            {
                Log.ClassifierDisabled(_logger);
            }
            else
            {
                loaded.Add(ModelLoader.Load(ModelRole.Classifier, options.ClassifierModel, options, catalog, () => TextOrientationClassifier.TimingSample(options), _logger));
                _classifier = new TextOrientationClassifier(options, loaded[^1]);
            }
        }
        catch
        {
            foreach (var model in loaded)
            {
                model.Session.Dispose();
            }

            throw;
        }

        LoadTime = TimeSpan.FromTicks(loaded.Sum(m => m.LoadTime.Ticks));
        Model = new OcrModelInfo(
            _detector.Model.File,
            _recognizer.Model.File,
            _classifier?.Model.File ?? string.Empty,
            _recognizer.Model.Precision.Label(),
            _detector.Provider == ExecutionProvider.Cuda ? "cuda" : "cpu")
        {
            DetectorPrecision = _detector.Model.Precision.Label(),
            ClassifierPrecision = _classifier?.Model.Precision.Label() ?? string.Empty,
            Choices = loaded.Select(m => new ModelChoice(RoleOf(m), m.File, m.Precision.Label(), m.Reason)).ToArray(),
        };

        ModelRole RoleOf(LoadedModel model) =>
            ReferenceEquals(model, _recognizer?.Model) ? ModelRole.Recognizer
            : ReferenceEquals(model, _detector?.Model) ? ModelRole.Detector
            : ModelRole.Classifier;
    }

    /// <summary>
    /// Throws <see cref="PrecisionConfigurationException"/> (naming the setting) for the first explicit int8/fp16
    /// setting whose variant is missing or has not passed the accuracy gate.
    /// </summary>
    public static void CheckExplicitPrecisions(OcrEngineOptions options, VariantCatalog catalog)
    {
        foreach (var (role, model) in new[]
        {
            (ModelRole.Recognizer, options.RecognizerModel),
            (ModelRole.Detector, options.DetectorModel),
            (ModelRole.Classifier, options.ClassifierModel ?? string.Empty),
        })
        {
            var (requested, setting) = options.PrecisionFor(role);
            if (string.IsNullOrWhiteSpace(model) || requested is ModelPrecision.Auto or ModelPrecision.Fp32)
            {
                continue;
            }

            var status = catalog.Status(options.Resolve(model), requested);
            var error = PrecisionSelector.ExplicitRequestError(role, requested, setting, status, options.AllowUngatedVariants);
            if (error is not null)
            {
                throw new PrecisionConfigurationException(setting, error);
            }
        }
    }

    /// <summary>The models in use.</summary>
    public OcrModelInfo Model { get; }

    /// <summary>Time spent loading the models.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>True once <see cref="WarmUp"/> has run every model on representative shapes.</summary>
    public bool IsWarm { get; private set; }

    /// <summary>
    /// Runs every model on representative input shapes so the first real job pays no start-up cost
    /// (ONNX Runtime's first run of a shape allocates and, on CUDA, selects kernels).
    /// </summary>
    public TimeSpan WarmUp(CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var runs = 0;
        foreach (var (width, height) in new[] { (736, 960), (960, 736), (320, 320) })
        {
            _detector.Run(width, height, cancellationToken);
            runs++;
        }

        foreach (var batch in new[] { 1, _options.RecognizerBatchSize })
        {
            if (_classifier is not null)
            {
                _classifier.Run(Blank(batch, TextOrientationClassifier.InputWidth), cancellationToken);
                runs++;
            }

            foreach (var width in new[] { TextRecognizer.MinInputWidth, 640, 1280 })
            {
                _recognizer.RecognizeBatch(Blank(batch, width), cancellationToken);
                runs++;
            }
        }

        IsWarm = true;
        var elapsed = Stopwatch.GetElapsedTime(started);
        WarmUpTime = elapsed;
        Log.WarmedUp(_logger, elapsed.TotalMilliseconds, runs);
        return elapsed;

        static RgbBuffer[] Blank(int count, int width) =>
            Enumerable.Range(0, count).Select(_ => new RgbBuffer(width, TextRecognizer.InputHeight)).ToArray();
    }

    /// <summary>How long <see cref="WarmUp"/> took, once it has run.</summary>
    public TimeSpan WarmUpTime { get; private set; }

    /// <summary>Recognizes an encoded image (PNG, JPEG, TIFF, BMP, GIF, WebP); every frame is a page.</summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public OcrDocument Recognize(ReadOnlyMemory<byte> encodedImage, OcrMode mode = OcrMode.Full, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        using var image = _loader.Load(encodedImage);
        var pages = new List<OcrPage>(image.PageCount);
        var decode = Stopwatch.GetElapsedTime(started);
        for (var i = 0; i < image.PageCount; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageStarted = Stopwatch.GetTimestamp();
            var page = image.Page(i);
            var pageDecode = Stopwatch.GetElapsedTime(pageStarted) + (i == 0 ? decode : TimeSpan.Zero);
            pages.Add(RecognizePage(page, i + 1, mode, pageDecode, cancellationToken));
        }

        return new OcrDocument(pages);
    }

    /// <summary>
    /// Recognizes several single-line images together: they are decoded, sorted by width and recognized in
    /// batches of <see cref="OcrEngineOptions.RecognizerBatchSize"/>, one result per image (multi-frame
    /// images contribute their first frame). An image that cannot be decoded yields its error, not an
    /// exception, so one bad image does not fail the others.
    /// </summary>
    public IReadOnlyList<LineResult> RecognizeLines(IReadOnlyList<ReadOnlyMemory<byte>> encodedImages, CancellationToken cancellationToken = default)
    {
        var results = new LineResult[encodedImages.Count];
        var decoded = new List<(int Index, RgbBuffer Image)>(encodedImages.Count);
        for (var i = 0; i < encodedImages.Count; i++)
        {
            try
            {
                using var image = _loader.Load(encodedImages[i]);
                decoded.Add((i, image.Page(0)));
            }
            catch (OcrException ex)
            {
                results[i] = new LineResult(null, ex);
            }
        }

        var recognized = _recognizer.Recognize(decoded.Select(d => d.Image).ToList(), cancellationToken);
        for (var k = 0; k < decoded.Count; k++)
        {
            var (index, image) = decoded[k];
            results[index] = new LineResult(
                new RecognizedLine(recognized[k].Text, recognized[k].Confidence, Quad.FromRectangle(0, 0, image.Width, image.Height)), null);
        }

        return results;
    }

    /// <summary>Recognizes one decoded page.</summary>
    internal OcrPage RecognizePage(RgbBuffer page, int pageNumber, OcrMode mode, TimeSpan decode, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (mode == OcrMode.SingleLine)
        {
            var (text, confidence) = _recognizer.Recognize([page], cancellationToken)[0];
            var recognize = Stopwatch.GetElapsedTime(started);
            var line = new RecognizedLine(text, confidence, Quad.FromRectangle(0, 0, page.Width, page.Height));
            return new OcrPage(pageNumber, page.Width, page.Height, [line], text,
                new OcrTimings(decode, TimeSpan.Zero, TimeSpan.Zero, recognize, decode + recognize));
        }

        var boxes = ReadingOrder.Sort(_detector.Detect(page, cancellationToken));
        var detected = Stopwatch.GetTimestamp();
        var crops = boxes.Select(b => QuadCropper.Crop(page, b.Box)).ToList();
        _classifier?.Correct(crops, cancellationToken);
        var classified = Stopwatch.GetTimestamp();
        var recognized = _recognizer.Recognize(crops, cancellationToken);
        var lines = new List<RecognizedLine>(boxes.Count);
        for (var i = 0; i < boxes.Count; i++)
        {
            if (recognized[i].Confidence >= _options.DropScore && recognized[i].Text.Length > 0)
            {
                lines.Add(new RecognizedLine(recognized[i].Text, recognized[i].Confidence, boxes[i].Box));
            }
        }

        var finished = Stopwatch.GetTimestamp();
        var timings = new OcrTimings(
            decode,
            Stopwatch.GetElapsedTime(started, detected),
            Stopwatch.GetElapsedTime(detected, classified),
            Stopwatch.GetElapsedTime(classified, finished),
            decode + Stopwatch.GetElapsedTime(started, finished));
        return new OcrPage(pageNumber, page.Width, page.Height, lines, JoinRows(lines), timings);
    }

    /// <summary>Lines on one visual row (an item and its price) joined by a space; rows by newlines.</summary>
    internal static string JoinRows(IReadOnlyList<RecognizedLine> lines)
    {
        var rows = ReadingOrder.GroupIntoRows(lines.Select(l => l.Box).ToList());
        return string.Join('\n', rows.Select(row => string.Join(' ', row.Select(i => lines[i].Text))));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _detector.Dispose();
        _classifier?.Dispose();
        _recognizer.Dispose();
    }
}
