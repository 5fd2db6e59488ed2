using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Batching;
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
/// <see cref="RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, CancellationToken, CancellationToken)"/> pipelines the work: detection runs on the caller's thread while the line
/// crops of all callers are recognized together in batches (see docs/batching.md).
/// </summary>
public sealed class OcrEngine : IDisposable
{
    private readonly OcrEngineOptions _options;
    private readonly ILogger _logger;
    private readonly ImageLoader _loader;
    private readonly TextDetector _detector;
    private readonly TextOrientationClassifier? _classifier;
    private readonly TextRecognizer _recognizer;
    private readonly BatchingOptions _batching;
    private readonly Lazy<RecognitionScheduler> _scheduler;
    private readonly PictureReadings _pictureReadings;
    private readonly PagePreparer _preparer;

    /// <summary>Loads the configured models. Call <see cref="WarmUp"/> before the first real image.</summary>
    /// <param name="options">Models and their settings.</param>
    /// <param name="logger">Where the engine logs.</param>
    /// <param name="batching">How <see cref="RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, CancellationToken, CancellationToken)"/> batches line crops; the defaults when null.</param>
    /// <param name="observer">Told of every recognition batch decision and run (metrics).</param>
    public OcrEngine(OcrEngineOptions options, ILogger<OcrEngine>? logger = null, BatchingOptions? batching = null, IRecognitionObserver? observer = null)
    {
        _options = options;
        _batching = batching ?? new BatchingOptions();
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _loader = new ImageLoader(options);
        _pictureReadings = new PictureReadings(options.PictureCacheBytes);
        var catalog = VariantCatalog.Load(options.Resolve(options.VariantsFile));
        var loaded = new List<LoadedModel>(3);
        try
        {
            // Explicit int8/fp16 settings are checked for every model before anything loads, so a bad one
            // fails at once and names its setting.
            CheckExplicitPrecisions(options, catalog);
            loaded.Add(ModelLoader.Load(ModelRole.Recognizer, options.RecognizerModel, options, catalog, () => TextRecognizer.TimingSample(options), _logger));
            MemoryBudget = new MemoryBudget(options.MemoryBudgetBytes(loaded[^1].Provider));
            _recognizer = new TextRecognizer(options, loaded[^1], MemoryBudget);
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

        _preparer = new PagePreparer(options, _detector, _classifier);
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

        // On CUDA a batch is padded to its bucket's fixed width, so every shape was warmed up at start; on
        // the CPU any shape costs the same to run, so a batch pads only to its widest crop (as Recognize does).
        var padToBucket = _detector.Provider == ExecutionProvider.Cuda;
        _scheduler = new Lazy<RecognitionScheduler>(
            () => new RecognitionScheduler(_recognizer, _batching, padToBucket, observer, _logger),
            LazyThreadSafetyMode.ExecutionAndPublication);

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

    /// <summary>The memory that concurrent model runs share (Ocr:MemoryBudgetMegabytes).</summary>
    public MemoryBudget MemoryBudget { get; }

    /// <summary>Line crops waiting for a recognition batch of <see cref="RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, CancellationToken, CancellationToken)"/>.</summary>
    public int RecognitionQueueDepth => _scheduler.IsValueCreated ? _scheduler.Value.QueueDepth : 0;

    /// <summary>
    /// Damaged JBIG2 images whose decoding ran away and was stopped, in this process: each still holds a thread and up to
    /// its page's decoding budget of memory until the process ends (<see cref="Imaging.Jbig2Codec"/>).
    /// </summary>
    public int StoppedDecodes => Imaging.Jbig2Codec.Stopped;

    /// <summary>
    /// Completes once fewer than <paramref name="limit"/> line crops wait for a recognition batch of the pipelined path
    /// (at once when <paramref name="limit"/> is 0 or less, or nothing has been queued yet): awaited before an image's
    /// first stage, it keeps decoding and detection from running ahead of recognition (Worker:MaxQueuedCrops).
    /// </summary>
    public Task WaitForRecognitionQueueBelowAsync(int limit, CancellationToken cancellationToken) =>
        limit > 0 && _scheduler.IsValueCreated ? _scheduler.Value.WaitForQueueBelowAsync(limit, cancellationToken) : Task.CompletedTask;

    /// <summary>
    /// Reports how long a job waited upstream (in the broker) before it was taken: the recognition scheduler batches for
    /// throughput while jobs wait that long (Batching:BehindWait, docs/batching.md).
    /// </summary>
    public void ObserveUpstreamWait(TimeSpan wait)
    {
        if (_scheduler.IsValueCreated)
        {
            _scheduler.Value.ObserveUpstreamWait(wait);
        }
    }

    /// <summary>
    /// The most crops one recognition batch of the pipelined path takes: Batching:MaxBatchSize (StaticBatchSize in static
    /// mode), or fewer where the memory budget's share of a call holds fewer crops of the narrowest tensor.
    /// </summary>
    public int LargestRecognitionBatch => _scheduler.Value.MaxBatchSize;

    /// <summary>True once <see cref="WarmUp"/> has run every model on representative shapes.</summary>
    public bool IsWarm { get; private set; }

    /// <summary>
    /// Runs every model on representative input shapes so the first real job pays no start-up cost
    /// (ONNX Runtime's first run of a shape allocates and, on CUDA, selects kernels).
    /// </summary>
    public TimeSpan WarmUp(CancellationToken cancellationToken = default)
    {
        ModelArena.JoinCurrentThread();
        var started = Stopwatch.GetTimestamp();
        var runs = 0;
        foreach (var (width, height) in new[] { (736, 960), (960, 736), (320, 320) })
        {
            var (tensorWidth, tensorHeight) = TextDetector.TensorSize(width, height, _options.DetectorMargin);
            using var lease = MemoryBudget.Acquire(ActivationMemory.Detection(0, 0, tensorWidth, tensorHeight), cancellationToken);
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

            // The CPU runs any shape without preparing for it, and a full batch of wide crops would only raise the
            // start-up peak (6 x 1280 px holds about 170 MiB: scipix bench memory), so wide crops warm at batch 1 there.
            int[] widths = batch == 1 || _detector.Provider == ExecutionProvider.Cuda ? [_recognizer.Buckets.MinWidth, 640, 1280] : [_recognizer.Buckets.MinWidth];
            foreach (var width in widths)
            {
                _recognizer.RecognizeBatch(Blank(batch, width), cancellationToken);
                runs++;
            }
        }

        // CUDA selects kernels per input shape: run every bucket width of the scheduler at every batch row count up to its
        // largest batch (1, 2, 4, ...: batches are padded to these), so no job pays for a new shape. (On the CPU that would
        // only cost start-up time.)
        if (_detector.Provider == ExecutionProvider.Cuda)
        {
            var largest = Math.Max(_options.RecognizerBatchSize, _batching.Mode == BatchingMode.Static ? _batching.StaticBatchSize : _batching.MaxBatchSize);
            foreach (var width in _recognizer.Buckets.Widths)
            {
                foreach (var batch in WidthBuckets.BatchRowSizes(largest))
                {
                    _recognizer.RecognizeBatch(Blank(batch, width), cancellationToken, width);
                    runs++;
                }
            }
        }

        // A born-digital PDF page runs no model, but PdfPig's parser and layout analysis cost ~0.8 s of JIT compilation on
        // their first page: read one here, so the first PDF job does not pay it.
        using (var pdf = _loader.Load(PdfTextLayer.WarmUpDocument()))
        {
            pdf.TextLayer(0);
            runs++;
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

    /// <summary>File name extensions of the formats <see cref="Recognize(ReadOnlyMemory{byte}, OcrMode, CancellationToken)"/> reads (lower case, with the dot), for tools that pick files by name.</summary>
    public static IReadOnlyList<string> FileExtensions { get; } = [".png", ".jpg", ".jpeg", ".jp2", ".j2k", ".tif", ".tiff", ".bmp", ".gif", ".webp", ".pdf"];

    /// <summary>
    /// Recognizes an encoded image (PNG, JPEG, JPEG 2000, TIFF, BMP, GIF, WebP) or a PDF; every frame, TIFF page or PDF page is a
    /// page, decoded one at a time for TIFF and PDF (a PDF page without a scan is read from its text layer).
    /// </summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public OcrDocument Recognize(ReadOnlyMemory<byte> encodedImage, OcrMode mode = OcrMode.Full, CancellationToken cancellationToken = default) =>
        Recognize(encodedImage, mode, OcrExtras.None, cancellationToken);

    /// <summary><see cref="Recognize(ReadOnlyMemory{byte}, OcrMode, CancellationToken)"/>, reading <paramref name="extras"/> too.</summary>
    public OcrDocument Recognize(ReadOnlyMemory<byte> encodedImage, OcrMode mode, OcrExtras extras, CancellationToken cancellationToken = default)
    {
        var source = new SourceFile();
        var started = Stopwatch.GetTimestamp();
        using var opened = _loader.Open(encodedImage);
        var pages = DecodePages(opened, Stopwatch.GetElapsedTime(started), PageRange.All, source, extras, cancellationToken)
            .Select(p => p.TextLayer is { } text
                ? PagePictures.Merge(
                    FromTextLayer(text, p.Number, p.Decode, p.Codes),
                    ReadPictures(text, p.Number, p.Pictures, extras, ReadPicture, Repeated),
                    recognizedTogether: false)
                : RecognizePage(p.Page!, p.Number, mode, p.Decode, cancellationToken, p.OverScan, extras))
            .ToList();
        return new OcrDocument(pages) { Format = source.Format, SourcePages = source.Pages };

        // A picture read here is kept for the next time it comes (later on this page, on later pages, in later files).
        OcrPage ReadPicture(RgbBuffer pixels, TimeSpan decode, PictureKey? key, int pageNumber)
        {
            var read = RecognizePage(pixels, pageNumber, OcrMode.Full, decode, cancellationToken, extras: extras);
            if (key is { } known)
            {
                _pictureReadings.Keep(known, read);
            }

            return read;
        }
    }

    /// <summary>
    /// Decodes the opened image (limits checked), tells <paramref name="source"/> its format and page count, and yields
    /// the pages of <paramref name="range"/> one at a time as RGB, or as its text layer for a PDF page without a scan,
    /// each with the time its decoding took (the first carries the file's, opening it included: <paramref name="opening"/>).
    /// </summary>
    /// With <see cref="OcrExtras.Barcodes"/> in <paramref name="extras"/>, a text-layer page comes with the codes drawn on it
    /// with vectors (<see cref="PdfDrawnCodes"/>) and the time reading them took.
    private IEnumerable<(RgbBuffer? Page, TextLayerPage? TextLayer, IReadOnlyList<TextLayerLine> OverScan, IReadOnlyList<PictureToRead> Pictures, DrawnCodes Codes, int Number, TimeSpan Decode)> DecodePages(
        ImageLoader.OpenedImage opened, TimeSpan opening, PageRange range, SourceFile source, OcrExtras extras, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        using var image = opened.Load();
        var decode = opening + Stopwatch.GetElapsedTime(started);
        (source.Format, source.Pages) = (image.FormatName.ToLowerInvariant(), image.PageCount);
        var end = range.First + Math.Min(range.Count, Math.Max(0, image.PageCount - range.First));
        for (var i = range.First; i < end; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var pageStarted = Stopwatch.GetTimestamp();
            var text = image.TextLayer(i);
            var page = text is null ? image.Page(i) : null;
            if (i == end - 1)
            {
                image.ReleasePixels(); // the last page wanted is RGB: not held while it is read
            }

            var overScan = text is null ? image.TextOverScan(i) : [];
            IReadOnlyList<PictureToRead> pictures = text is null ? [] : [.. image.Pictures(i).Select(p => new PictureToRead(p.Place, p.Encode, image.Picture))];
            var decoded = Stopwatch.GetElapsedTime(pageStarted) + (i == range.First ? decode : TimeSpan.Zero);
            var codes = new DrawnCodes([], TimeSpan.Zero);
            if (text is not null && extras.HasFlag(OcrExtras.Barcodes))
            {
                var scanning = Stopwatch.GetTimestamp();
                var found = image.DrawnCodes(i, cancellationToken);
                codes = new DrawnCodes(found, Stopwatch.GetElapsedTime(scanning));
            }

            yield return (page, text, overScan, pictures, codes, i + 1, decoded);
        }
    }

    /// <summary>
    /// A picture on a born-digital PDF page: where it lies on the page, its encoded image as stored and its decoding of that
    /// (both valid while its page is the one read).
    /// </summary>
    private sealed record PictureToRead(PictureFrame Place, Func<PageScan> Encode, Func<PageScan, RgbBuffer> Decode);

    // Each picture of a page read from its text layer in turn: its encoded image made, and when the same picture was read
    // before (PictureReadings) handed to readBefore with that reading, else decoded and handed to read (which releases its
    // pixels) with its key when readings are kept; both timed from the start. One that cannot be encoded or decoded is left
    // out (logged); on a page without text, where the pictures are all there is, the first such error is the page's when
    // none could be read.
    private List<(T Read, PictureFrame Place)> ReadPictures<T>(
        TextLayerPage text, int pageNumber, IReadOnlyList<PictureToRead> pictures, OcrExtras extras,
        Func<RgbBuffer, TimeSpan, PictureKey?, int, T> read, Func<PictureKey, TimeSpan, T?> readBefore)
        where T : class
    {
        var results = new List<(T, PictureFrame)>(pictures.Count);
        OcrException? failed = null;
        foreach (var picture in pictures)
        {
            var started = Stopwatch.GetTimestamp();
            RgbBuffer pixels;
            PictureKey? key = null;
            try
            {
                var encoded = picture.Encode();
                if (_pictureReadings.Enabled)
                {
                    key = PictureReadings.Key(encoded, extras);
                    if (readBefore(key.Value, Stopwatch.GetElapsedTime(started)) is { } known)
                    {
                        results.Add((known, picture.Place));
                        continue;
                    }
                }

                pixels = picture.Decode(encoded);
            }
            catch (OcrException ex)
            {
                failed ??= ex;
                Log.PictureLeftOut(_logger, pageNumber, ex.Message);
                continue;
            }

            results.Add((read(pixels, Stopwatch.GetElapsedTime(started), key, pageNumber), picture.Place));
        }

        return results.Count == 0 && failed is not null && text.Lines.Count == 0 ? throw failed : results;
    }

    // The reading kept for a picture read before, timed as this time's (its encoding and hashing), or null.
    private OcrPage? Repeated(PictureKey key, TimeSpan elapsed) =>
        _pictureReadings.Find(key) is { } reading ? AsRepeat(reading, elapsed) : null;

    private static OcrPage AsRepeat(OcrPage reading, TimeSpan elapsed) =>
        reading with { Timings = new OcrTimings(elapsed, TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero, elapsed), ReadBefore = true };

    // A PDF page read from its text layer: nothing for the models to do (its pictures, PagePictures, are read apart), and
    // the codes drawn on it with vectors, when asked for (their reading counts as detection, as a scan's does).
    private static OcrPage FromTextLayer(TextLayerPage text, int pageNumber, TimeSpan decode, DrawnCodes codes) =>
        new(pageNumber, text.Width, text.Height, text.Lines.Select(RecognizedLine.From).ToList(), text.Text,
            new OcrTimings(decode, codes.Took, TimeSpan.Zero, TimeSpan.Zero, decode + codes.Took))
        {
            Source = PageSource.TextLayer,
            Barcodes = codes.Codes,
        };

    /// <summary>The codes drawn with vectors on a born-digital page (<see cref="PdfDrawnCodes"/>), and the time finding and reading them took.</summary>
    private sealed record DrawnCodes(IReadOnlyList<RecognizedBarcode> Codes, TimeSpan Took);

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

        try
        {
            var recognized = _recognizer.Recognize(decoded.Select(d => d.Image).ToList(), cancellationToken);
            for (var k = 0; k < decoded.Count; k++)
            {
                var (index, image) = decoded[k];
                results[index] = new LineResult(RecognizedLine.From(recognized[k], Quad.FromRectangle(0, 0, image.Width, image.Height)), null);
            }
        }
        finally
        {
            decoded.ForEach(d => d.Image.Release());
        }

        return results;
    }

    /// <summary>
    /// Recognizes an encoded image like <see cref="Recognize(ReadOnlyMemory{byte}, OcrMode, CancellationToken)"/>, pipelined: decoding, detection, cropping and
    /// orientation run synchronously on the calling thread before this method returns (exceptions of that
    /// stage, such as <see cref="OcrException"/>, are thrown directly); the line crops then join the shared
    /// recognition queue, where crops of concurrent calls are recognized together in batches sized by
    /// <see cref="BatchingOptions"/>; the returned task completes when this image's lines are back.
    /// Cancelling drops this call's crops that are not in a batch yet and does not affect other calls.
    /// <paramref name="abandonUnstarted"/> cancels the call only while none of its crops is in a batch yet.
    /// </summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public Task<OcrDocument> RecognizeAsync(
        ReadOnlyMemory<byte> encodedImage, OcrMode mode = OcrMode.Full, CancellationToken cancellationToken = default, CancellationToken abandonUnstarted = default) =>
        RecognizeAsync(encodedImage, mode, PageRange.All, cancellationToken, abandonUnstarted);

    /// <summary>
    /// <see cref="RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, CancellationToken, CancellationToken)"/> for only the
    /// pages of <paramref name="pages"/>, so that a long document can go through a few pages at a time: the crops of
    /// every page in one call are held until they are recognized. <see cref="OcrDocument.SourcePages"/> tells how
    /// many pages the file has.
    /// </summary>
    /// <exception cref="OcrException">The input is empty, too large, corrupt or of an unsupported format.</exception>
    public Task<OcrDocument> RecognizeAsync(
        ReadOnlyMemory<byte> encodedImage, OcrMode mode, PageRange pages, CancellationToken cancellationToken = default, CancellationToken abandonUnstarted = default) =>
        RecognizeAsync(encodedImage, mode, pages, OcrExtras.None, cancellationToken, abandonUnstarted);

    /// <summary>
    /// <see cref="RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, PageRange, CancellationToken, CancellationToken)"/>, reading
    /// <paramref name="extras"/> from each page too.
    /// </summary>
    public Task<OcrDocument> RecognizeAsync(
        ReadOnlyMemory<byte> encodedImage, OcrMode mode, PageRange pages, OcrExtras extras, CancellationToken cancellationToken = default, CancellationToken abandonUnstarted = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var scheduler = _scheduler.Value;
        List<PreparedPage> prepared;
        var source = new SourceFile();

        // One lease covers decoding and detection, sized from the header before anything is decoded; it is
        // returned before the crops are queued, so a thread never holds two leases (see MemoryBudget). Waiting for
        // it is waiting to start: abandonUnstarted gives it up too.
        using var waiting = abandonUnstarted.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, abandonUnstarted) : null;
        var started = Stopwatch.GetTimestamp();
        using var opened = _loader.Open(encodedImage);
        var opening = Stopwatch.GetElapsedTime(started);
        using (MemoryBudget.Acquire(StageOneEstimate(opened, pages.First, mode, extras), waiting?.Token ?? cancellationToken))
        {
            var readHere = new HashSet<PictureKey>(); // pictures to be read in this call: the same one again waits for that reading
            prepared = DecodePages(opened, opening, pages, source, extras, cancellationToken)
                .SelectMany(p => p.TextLayer is { } text
                    ? [
                        new PreparedPage(p.Number, text.Width, text.Height, null, [], p.Decode, TimeSpan.Zero, TimeSpan.Zero) { Ready = FromTextLayer(text, p.Number, p.Decode, p.Codes) },
                        .. ReadPictures(text, p.Number, p.Pictures, extras, PreparePicture, ReadBefore).Select(r => r.Read with { Picture = r.Place }),
                    ]
                    : new[] { PreparePageTraced(p.Page!, p.Number, mode, p.Decode, p.OverScan, extras, cancellationToken) })
                .ToList();

            PreparedPage PreparePicture(RgbBuffer pixels, TimeSpan decode, PictureKey? key, int pageNumber)
            {
                if (key is { } known)
                {
                    readHere.Add(known);
                }

                return PreparePageTraced(pixels, pageNumber, OcrMode.Full, decode, [], extras, cancellationToken) with { PictureKey = key };
            }

            PreparedPage? ReadBefore(PictureKey key, TimeSpan elapsed) =>
                Repeated(key, elapsed) is { } reading
                    ? new PreparedPage(0, reading.Width, reading.Height, null, [], elapsed, TimeSpan.Zero, TimeSpan.Zero) { Ready = reading }
                    : readHere.Contains(key)
                        ? new PreparedPage(0, 0, 0, null, [], elapsed, TimeSpan.Zero, TimeSpan.Zero) { PictureKey = key, SameAs = true }
                        : null;
        }

        return RecognizePreparedAsync(scheduler, prepared, source, cancellationToken, abandonUnstarted);
    }

    // Decoded page plus detection (or its barcode scan, when asked for and larger) for the size of the range's first page
    // (a multi-page TIFF's first page; other multi-frame files are decoded whole and their further frames are not
    // counted), or for its largest picture when it is a born-digital PDF page with pictures. 0 when that page is bad:
    // decoding then fails with the error.
    private long StageOneEstimate(ImageLoader.OpenedImage opened, int firstPage, OcrMode mode, OcrExtras extras)
    {
        int width, height, pictureWidth, pictureHeight;
        try
        {
            (width, height) = opened.PageSize(firstPage);
            (pictureWidth, pictureHeight) = opened.LargestPicture(firstPage);
        }
        catch (OcrException)
        {
            return 0;
        }

        var estimate = Math.Max(
            mode == OcrMode.SingleLine ? ActivationMemory.DecodedBytesPerPixel * width * height : DetectionEstimate(width, height),
            ScanEstimate(width, height, extras));
        return pictureWidth > 0 // pictures are read one at a time
            ? Math.Max(estimate, Math.Max(DetectionEstimate(pictureWidth, pictureHeight), ScanEstimate(pictureWidth, pictureHeight, extras)))
            : estimate;
    }

    // A page of this size, decoded, and its barcode scan when asked for (which runs before detection, not beside it).
    private static long ScanEstimate(int width, int height, OcrExtras extras) =>
        extras.HasFlag(OcrExtras.Barcodes) ? (ActivationMemory.DecodedBytesPerPixel * width * height) + ActivationMemory.BarcodeScan(width, height) : 0;

    // A page of this size, decoded, and the detector's run on its resized input.
    private long DetectionEstimate(int width, int height)
    {
        var (inputWidth, inputHeight) = TextDetector.InputSize(width, height, _options.DetectorLimitSide, _options.DetectorMinAreaSide);
        (inputWidth, inputHeight) = TextDetector.TensorSize(inputWidth, inputHeight, _options.DetectorMargin);
        return ActivationMemory.Detection(width, height, inputWidth, inputHeight);
    }

    // All pages' crops go in one call, so the document is abandoned (or not) as a whole.
    private async Task<OcrDocument> RecognizePreparedAsync(
        RecognitionScheduler scheduler, List<PreparedPage> prepared, SourceFile source, CancellationToken cancellationToken, CancellationToken abandonUnstarted)
    {
        var queued = Stopwatch.GetTimestamp();
        // The lone marks in the first call with the lines: the scheduler batches crops of like widths across pages anyway.
        var recognized = await ReadCropsAsync(
            prepared, marksFirst: true,
            (crops, first) => new ValueTask<LineReading[]>(scheduler.RecognizeAsync(crops, cancellationToken, first ? abandonUnstarted : default)));

        var recognize = Stopwatch.GetElapsedTime(queued);
        var pages = new List<OcrPage>(prepared.Count);
        var pictures = new List<(OcrPage Read, PictureFrame Place)>();
        var picturesRead = new Dictionary<PictureKey, OcrPage>();
        var offset = 0;
        foreach (var page in prepared)
        {
            if (page.SameAs && page.PictureKey is { } same)
            {
                pictures.Add((AsRepeat(picturesRead[same], page.Decode), page.Picture!.Value)); // read earlier in this call
                continue;
            }

            var assembled = Assemble(page, recognized[offset..(offset + page.Crops.Count)], recognize);
            offset += page.Crops.Count;
            if (page.Picture is { } place)
            {
                if (page.Ready is null && page.PictureKey is { } key)
                {
                    _pictureReadings.Keep(key, assembled);
                    picturesRead[key] = assembled;
                }

                pictures.Add((assembled, place)); // a picture on the born-digital page before it
                continue;
            }

            AddPictures();
            pages.Add(assembled);
        }

        AddPictures();
        return new OcrDocument(pages) { Format = source.Format, SourcePages = source.Pages };

        void AddPictures()
        {
            if (pictures.Count > 0)
            {
                pages[^1] = PagePictures.Merge(pages[^1], pictures, recognizedTogether: true);
                pictures.Clear();
            }
        }
    }

    /// <summary>Recognizes one decoded page.</summary>
    internal OcrPage RecognizePage(
        RgbBuffer page, int pageNumber, OcrMode mode, TimeSpan decode, CancellationToken cancellationToken, IReadOnlyList<TextLayerLine>? overScan = null,
        OcrExtras extras = OcrExtras.None)
    {
        PreparedPage prepared;
        var estimate = Math.Max(mode == OcrMode.SingleLine ? 0 : DetectionEstimate(page.Width, page.Height), ScanEstimate(page.Width, page.Height, extras));
        using (MemoryBudget.Acquire(estimate, cancellationToken))
        {
            prepared = _preparer.Prepare(page, pageNumber, mode, decode, overScan ?? [], extras, cancellationToken);
        }

        // The recognizer leases per call, after this page's lease is back.
        var started = Stopwatch.GetTimestamp();
        // Colon candidates in a call of their own, after the lines: batched in, they would change the padding the page's
        // lines see. The recognizer's calls here are synchronous, so the task has completed when it returns.
        List<PreparedPage> pages = [prepared];
        var reading = ReadCropsAsync(pages, marksFirst: false, (crops, _) => ValueTask.FromResult(_recognizer.Recognize(crops, cancellationToken)));
        Debug.Assert(reading.IsCompleted, "the synchronous recognizer's reading completes synchronously");
        var recognized = reading.GetAwaiter().GetResult();
        return Assemble(pages[0], recognized, Stopwatch.GetElapsedTime(started));
    }

    // Readings for crops not read (yet): no text.
    private static LineReading[] Unread(int count) => Enumerable.Repeat(LineReading.None, count).ToArray();

    private static void Fill(LineReading[] recognized, List<int> indices, LineReading[] readings)
    {
        for (var k = 0; k < indices.Count; k++)
        {
            recognized[indices[k]] = readings[k];
        }
    }

    /// <summary>
    /// Reads the pages' crops (one after another) in up to three calls of <paramref name="recognize"/> (whose flag says
    /// whether it is the first): the lines, with the lone marks when <paramref name="marksFirst"/>; then, once the lines
    /// are read, the marks held back, the colons in gaps the lines missed (a gap's colon is read only where the lines read
    /// around it miss one) and the glyphs' fitted crops, together; last, the line images that read unsurely, turned half a
    /// turn. Refits replace boxes in <paramref name="pages"/>.
    /// </summary>
    private async ValueTask<LineReading[]> ReadCropsAsync(
        List<PreparedPage> pages, bool marksFirst, Func<List<RgbBuffer>, bool, ValueTask<LineReading[]>> recognize)
    {
        var crops = pages.SelectMany(p => p.Crops).ToList();
        var recognized = Unread(crops.Count);
        List<int> first = [], heldBack = [];
        var offset = 0;
        foreach (var page in pages)
        {
            var lines = page.Crops.Count - page.LoneMarks;
            var marks = page.LoneMarks - page.GapColons.Count; // the gap colons come last
            first.AddRange(Enumerable.Range(offset, marksFirst ? lines + marks : lines));
            heldBack.AddRange(Enumerable.Range(offset + lines, marksFirst ? 0 : marks));
            offset += page.Crops.Count;
        }

        Fill(recognized, first, await recognize([.. first.Select(i => crops[i])], true));
        List<int> again = [.. heldBack, .. GapColonsToRead(pages, recognized)];
        var refits = RefitsToRead(pages, recognized); // in the same call: narrow crops all, padded alike
        if (again.Count + refits.Count > 0)
        {
            var read = await recognize([.. again.Select(i => crops[i]), .. refits.Select(r => r.Refit.Crop)], false);
            Fill(recognized, again, read[..again.Count]);
            KeepRefits(pages, recognized, refits, read[again.Count..]);
        }

        if (UnsureLineImages(pages, recognized) is { Count: > 0 } unsure)
        {
            KeepSurerReadings(pages, recognized, unsure, await recognize([.. unsure.Select(u => u.Turned)], false));
        }

        return recognized;
    }

    // The colons found in gaps worth reading once the lines are read: where the line before kept no colon of its own at
    // its end, nor the next at its start (about one in five on sroie_pages).
    private List<int> GapColonsToRead(List<PreparedPage> pages, LineReading[] recognized)
    {
        var indices = new List<int>();
        var offset = 0;
        foreach (var page in pages)
        {
            var first = page.Crops.Count - page.GapColons.Count;
            for (var k = 0; k < page.GapColons.Count; k++)
            {
                if (IsMissing(page.GapColons[k], recognized.AsSpan(offset, page.Crops.Count), []))
                {
                    indices.Add(offset + first + k);
                }
            }

            offset += page.Crops.Count;
        }

        return indices;
    }

    // The glyphs' fitted crops worth reading once the lines are read: every glyph the detector missed (at most
    // LoneGlyphs.MaxPerPage), and the boxes' where their own crop read below the drop score, at most
    // LoneGlyphs.MaxRefitsPerPage of them (a photo's texture can give hundreds of small boxes that read as nothing).
    private List<(int Page, int Offset, GlyphRefit Refit)> RefitsToRead(List<PreparedPage> pages, LineReading[] recognized)
    {
        var toRead = new List<(int Page, int Offset, GlyphRefit Refit)>();
        var offset = 0;
        for (var i = 0; i < pages.Count; i++)
        {
            var start = offset;
            toRead.AddRange(pages[i].Refits.Where(r => r.Line < 0).Select(r => (i, start, r)));
            toRead.AddRange(pages[i].Refits.Where(r => r.Line >= 0 && !Kept(recognized[start + r.Line])).Take(LoneGlyphs.MaxRefitsPerPage).Select(r => (i, start, r)));
            offset += pages[i].Crops.Count;
        }

        return toRead;
    }

    // A glyph read from its fitted crop at or above the drop score replaces the box's reading, and its box the detector's; a
    // glyph the detector missed joins the page where it reads as one (LoneGlyphs.IsMissedGlyph). Never as a Han, kana or
    // hangul character: the recognizer takes a lone * for 米 and a % for 强, and the crop fitted to a glyph's ink is cut for
    // a digit's or a letter's few strokes (LoneGlyphs).
    private void KeepRefits(List<PreparedPage> pages, LineReading[] recognized, List<(int Page, int Offset, GlyphRefit Refit)> refits, LineReading[] readings)
    {
        var boxes = new Dictionary<int, Quad[]>(); // each page's boxes copied once, on its first kept refit
        for (var k = 0; k < refits.Count; k++)
        {
            var (page, offset, refit) = refits[k];
            if (HasCjk(readings[k].Text))
            {
                continue;
            }

            if (refit.Line < 0)
            {
                if (LoneGlyphs.IsMissedGlyph(readings[k]))
                {
                    pages[page] = pages[page] with { Found = [.. pages[page].Found, RecognizedLine.From(readings[k], refit.Box)] };
                }

                continue;
            }

            if (!Kept(readings[k]))
            {
                continue;
            }

            recognized[offset + refit.Line] = readings[k];
            if (!boxes.TryGetValue(page, out var pageBoxes))
            {
                boxes[page] = pageBoxes = [.. pages[page].Boxes!];
            }

            pageBoxes[refit.Line] = refit.Box;
        }

        foreach (var (page, pageBoxes) in boxes)
        {
            pages[page] = pages[page] with { Boxes = pageBoxes };
        }
    }

    private static bool HasCjk(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (WordSpans.IsCjk(text.AsSpan(i)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A line image read as it lies with less than this confidence is read again turned half a turn. Upright lines read
    /// at 0.93-1.0 on uw3_lines and at 0.9 or more for nine in ten sroie_lines crops; upside down at most 0.69 and 0.78.
    /// </summary>
    internal const float LineImageSureConfidence = 0.9f;

    // Line images (PagePreparer.PrepareLineImage) whose reading as they lie is unsure, each with its crop turned half a turn.
    private static List<(int Page, int Offset, RgbBuffer Turned)> UnsureLineImages(
        List<PreparedPage> pages, LineReading[] recognized)
    {
        var unsure = new List<(int Page, int Offset, RgbBuffer Turned)>();
        var offset = 0;
        for (var i = 0; i < pages.Count; i++)
        {
            if (pages[i].LineImage && recognized[offset].Confidence < LineImageSureConfidence)
            {
                unsure.Add((i, offset, TextOrientationClassifier.Rotate180(pages[i].Crops[0])));
            }

            offset += pages[i].Crops.Count;
        }

        return unsure;
    }

    // The more confident reading of each unsure line image wins, and with it the way up: text read upside down comes out
    // as low-confidence garbage.
    private static void KeepSurerReadings(
        List<PreparedPage> pages, LineReading[] recognized,
        List<(int Page, int Offset, RgbBuffer Turned)> unsure, LineReading[] turned)
    {
        for (var k = 0; k < unsure.Count; k++)
        {
            var (page, offset, _) = unsure[k];
            if (turned[k].Confidence > recognized[offset].Confidence)
            {
                recognized[offset] = turned[k];
                pages[page] = pages[page] with { Boxes = [pages[page].Boxes![0].UpsideDown()], QuarterTurns = (pages[page].QuarterTurns + 2) % 4 };
            }
        }
    }

    // PagePreparer.Prepare in a span of its own (OcrTracing), under the caller's (Activity.Current), that starts where the page's
    // decoding started.
    private PreparedPage PreparePageTraced(
        RgbBuffer page, int pageNumber, OcrMode mode, TimeSpan decode, IReadOnlyList<TextLayerLine> overScan, OcrExtras extras, CancellationToken cancellationToken)
    {
        using var span = OcrTracing.Source.HasListeners()
            ? OcrTracing.Source.StartActivity("scipix.page", ActivityKind.Internal, parentContext: default, startTime: DateTimeOffset.UtcNow - decode)
            : null;
        span?.SetTag("scipix.page", pageNumber).SetTag("scipix.width", page.Width).SetTag("scipix.height", page.Height);
        var prepared = _preparer.Prepare(page, pageNumber, mode, decode, overScan, extras, cancellationToken);
        span?.SetTag("scipix.lines", prepared.Crops.Count - prepared.LoneMarks).SetTag("scipix.rotation", prepared.QuarterTurns * 90);
        return prepared;
    }

    /// <summary>Stage 3: lines above the drop score, joined in reading order.</summary>
    private OcrPage Assemble(PreparedPage prepared, LineReading[] recognized, TimeSpan recognize)
    {
        if (prepared.Ready is not null)
        {
            return prepared.Ready;
        }

        var total = prepared.Decode + prepared.Detect + prepared.Classify + recognize;
        if (prepared.Boxes is null)
        {
            var line = RecognizedLine.From(recognized[0], Quad.FromRectangle(0, 0, prepared.Width, prepared.Height));
            return new OcrPage(prepared.PageNumber, prepared.Width, prepared.Height, [line], line.Text,
                new OcrTimings(prepared.Decode, prepared.Detect, TimeSpan.Zero, recognize, total))
            {
                Barcodes = prepared.Barcodes,
            };
        }

        var lines = new List<RecognizedLine>(prepared.Boxes.Count);
        var firstMark = prepared.Boxes.Count - prepared.LoneMarks;
        var firstGapColon = prepared.Boxes.Count - prepared.GapColons.Count;
        for (var i = 0; i < prepared.Boxes.Count; i++)
        {
            if (i >= firstMark && !PunctuationSpacing.IsColon(recognized[i].Text))
            {
                continue;
            }

            if (i >= firstGapColon)
            {
                if (recognized[i].Confidence >= GapColons.MinConfidence && IsMissing(prepared.GapColons[i - firstGapColon], recognized, lines))
                {
                    lines.Add(RecognizedLine.From(recognized[i], prepared.Boxes[i]));
                }

                continue;
            }

            if (Kept(recognized[i]))
            {
                lines.Add(RecognizedLine.From(recognized[i], prepared.Boxes[i]));
            }
        }

        lines.AddRange(prepared.Found);
        var timings = new OcrTimings(prepared.Decode, prepared.Detect, prepared.Classify, recognize, total);
        if (prepared.OverScan.Count > 0)
        {
            lines = WithTextOverScan(lines, prepared.OverScan, prepared.QuarterTurns != 0);
        }

        (lines, var pageText) = Arrange(lines, prepared.QuarterTurns, prepared.Width, prepared.Height);
        return new OcrPage(prepared.PageNumber, prepared.Width, prepared.Height, lines, pageText, timings)
        {
            Rotation = prepared.QuarterTurns * 90,
            Barcodes = prepared.Barcodes,
        };
    }

    // A line the page keeps: read, and confidently enough.
    private bool Kept(LineReading line) => line.Confidence >= _options.DropScore && line.Text.Length > 0;

    // A colon found in a gap is the page's only where the line before it was kept and the recognizer did not read it
    // already: at the end of that line, at the start of the next, or in a box of its own (a lone mark's, or the
    // detector's) among the lines kept so far.
    private bool IsMissing(GapColon colon, ReadOnlySpan<LineReading> recognized, List<RecognizedLine> kept)
    {
        var before = recognized[colon.After].Text.TrimEnd();
        var after = colon.Before >= 0 && Kept(recognized[colon.Before]) ? recognized[colon.Before].Text.TrimStart() : string.Empty;
        return Kept(recognized[colon.After])
            && !(before.Length > 0 && (PunctuationSpacing.IsColon(before[^1..]) || before[^1] == ';'))
            && !(after.Length > 0 && PunctuationSpacing.IsColon(after[..1]))
            && !kept.Any(l => colon.IsNear(l.Box) && l.Text.Any(c => PunctuationSpacing.IsColon(c.ToString())));
    }

    /// <summary>
    /// A page's lines in reading order and its text, as the page lies turned upright by <paramref name="quarterTurns"/>
    /// and, when its lines slope (<see cref="ReadingOrder.Skew"/>), turned straight: rows joined, columns read one after
    /// the other (<see cref="ColumnLayout"/>).
    /// </summary>
    private (List<RecognizedLine> Lines, string Text) Arrange(List<RecognizedLine> lines, int quarterTurns, int width, int height)
    {
        var (upright, order) = _preparer.AsRead(lines.Select(l => l.Box).ToList(), quarterTurns, width, height);
        if (order is not null)
        {
            lines = [.. order.Select(i => lines[i])];
            upright = [.. order.Select(i => upright[i])];
        }

        var blocks = _options.ColumnLayout ? ColumnLayout.Blocks(upright, lines.Select(l => l.Text.Length).ToList()) : null;
        if (blocks is null)
        {
            return (lines, JoinRows(lines, upright));
        }

        // Set in columns: each block read to its end, in the blocks' order; the lines follow the text.
        var ordered = blocks.Select(block => ReadingOrder.Order(block.Select(i => upright[i]).ToList()).Select(k => block[k]).ToList()).ToList();
        var text = string.Join('\n', ordered.Select(block => JoinRows(block.Select(i => lines[i]).ToList(), block.Select(i => upright[i]).ToList())));
        return ([.. ordered.SelectMany(block => block.Select(i => lines[i]))], text);
    }

    // A PDF's visible text over its scan is exact: it replaces the lines recognized under it (half of a recognized line's
    // box covered) and joins the others in reading order (after them on a page scanned upside down).
    internal static List<RecognizedLine> WithTextOverScan(List<RecognizedLine> recognized, IReadOnlyList<TextLayerLine> overScan, bool turned)
    {
        var lines = recognized.Where(l => !overScan.Any(t => l.Box.IsHalfUnder(t.Box))).ToList();
        lines.AddRange(overScan.Select(RecognizedLine.From));
        return turned ? lines : [.. ReadingOrder.Order(lines.Select(l => l.Box).ToList()).Select(i => lines[i])];
    }

    /// <summary>What decoding learnt of the file: its format (lower case) and its page count.</summary>
    private sealed class SourceFile
    {
        public string Format { get; set; } = string.Empty;

        public int Pages { get; set; }
    }

    /// <summary>
    /// Lines on one visual row (an item and its price) joined by a space; rows by newlines. Rows are found on
    /// <paramref name="rowBoxes"/>: the lines' boxes as they lie on the page turned upright and straight.
    /// </summary>
    internal static string JoinRows(IReadOnlyList<RecognizedLine> lines, IReadOnlyList<Quad> rowBoxes)
    {
        var rows = ReadingOrder.GroupIntoRows(rowBoxes);
        return string.Join('\n', rows.Select(row => string.Join(' ', row.Select(i => lines[i].Text))));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_scheduler.IsValueCreated)
        {
            _scheduler.Value.Dispose();
        }

        _detector.Dispose();
        _classifier?.Dispose();
        _recognizer.Dispose();
    }
}

/// <summary>Pages <see cref="First"/> (0-based) onwards, at most <see cref="Count"/> of them.</summary>
public readonly record struct PageRange
{
    /// <summary>Creates the range.</summary>
    public PageRange(int first, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(first);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        (First, Count) = (first, count);
    }

    /// <summary>Every page.</summary>
    public static PageRange All { get; } = new(0, int.MaxValue);

    /// <summary>The first page, 0-based.</summary>
    public int First { get; }

    /// <summary>The most pages.</summary>
    public int Count { get; }
}
