using Prometheus;

namespace ScipixWorker.Observability;

/// <summary>The worker's Prometheus metrics, all prefixed <c>scipix_</c>. Process-wide (prometheus-net's default registry).</summary>
internal static class WorkerMetrics
{
    public static class Outcome
    {
        public const string Recognized = "recognized";
        public const string Failed = "failed";
        public const string Duplicate = "duplicate";
        public const string Requeued = "requeued";
        public const string Rejected = "rejected";
    }

    public static class Stage
    {
        public const string QueueWait = "queue_wait";
        public const string Download = "download";
        public const string Decode = "decode";
        public const string Inference = "inference";
        public const string Total = "total";
    }

    public static readonly Counter JobsTotal = Metrics.CreateCounter(
        "scipix_jobs_total",
        "Jobs handled, by outcome: recognized, failed (an error event was published), duplicate (idempotency key seen), requeued (shutdown, or run by another replica at that moment), rejected (naming no job: sent to the error queue; an invalid job that names itself is answered invalid-job and counted failed).",
        "outcome");

    public static readonly Counter PagesRecognizedTotal = Metrics.CreateCounter(
        "scipix_pages_recognized_total",
        "Pages read (results served from the cache not counted), by the file's format (png, jpeg, jpeg2000, tiff, bmp, gif, webp, pdf) and by source: image (the models read its pixels) or text-layer (a born-digital PDF page's own text, no models run).",
        "format", "source");

    public static readonly Counter JobsRedeliveredTotal = Metrics.CreateCounter(
        "scipix_jobs_redelivered_total",
        "Jobs the broker delivered again (AMQP redelivered): an earlier delivery ended without an acknowledgement, on a dropped connection or with a worker that died. A steady rate says connections churn or replicas crash.");

    public static readonly Counter JobFailuresTotal = Metrics.CreateCounter(
        "scipix_job_failures_total", "Failure events published, by error code.", "code");

    public static readonly Histogram StageDuration = Metrics.CreateHistogram(
        "scipix_stage_duration_seconds",
        "Time per job stage: queue_wait, download, decode, inference, total.",
        new HistogramConfiguration
        {
            LabelNames = ["stage"],
            Buckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
        });

    public static readonly Histogram BatchSize = Metrics.CreateHistogram(
        "scipix_batch_size", "Jobs per batch delivered to the consumer.",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64, 128] });

    public static readonly Gauge JobsInFlight = Metrics.CreateGauge(
        "scipix_jobs_in_flight", "Jobs being processed now.");

    public static readonly Gauge InferencesWaiting = Metrics.CreateGauge(
        "scipix_inferences_waiting", "Jobs waiting to start their first stage: to download their image (Worker:ImagesAhead, Worker:ImageBytesAhead), for a slot (Worker:MaxConcurrentInferences), or for recognition to catch up (Worker:MaxQueuedCrops).");

    public static readonly Gauge ImageBytesAhead = Metrics.CreateGauge(
        "scipix_image_bytes_ahead", "Bytes of downloaded images waiting for their first stage, out of Worker:ImageBytesAhead.");

    public static readonly Gauge ModelLoadSeconds = Metrics.CreateGauge(
        "scipix_model_load_seconds", "Time the OCR models took to load.");

    public static readonly Gauge ModelWarmupSeconds = Metrics.CreateGauge(
        "scipix_model_warmup_seconds", "Time the OCR engine's warm-up took.");

    public static readonly Gauge ModelInfo = Metrics.CreateGauge(
        "scipix_model_info", "1 for the models in use: file names, the recognizer's precision (fp32, fp16, int8) and the execution provider (cpu, cuda).",
        "detector", "recognizer", "classifier", "precision", "provider");

    public static readonly Gauge NativeAllocatorInfo = Metrics.CreateGauge(
        "scipix_native_allocator_info", "1 for the malloc serving native memory (ONNX Runtime, image buffers): jemalloc where preloaded, else glibc.",
        "allocator");

    public static readonly Counter CacheHitsTotal = Metrics.CreateCounter(
        "scipix_cache_hits_total", "Jobs served from the result cache.");

    public static readonly Counter CacheMissesTotal = Metrics.CreateCounter(
        "scipix_cache_misses_total", "Jobs not in the result cache (recognized by the engine).");

    public static readonly Gauge RecognitionBatchSize = Metrics.CreateGauge(
        "scipix_recognition_batch_size", "Line crops the recognition scheduler decided to put in its latest batch (the controller's or Batching:StaticBatchSize).");

    public static readonly Gauge RecognitionBatchSizeLimit = Metrics.CreateGauge(
        "scipix_recognition_batch_size_limit",
        "Most line crops one recognizer call takes: Batching:MaxBatchSize (Batching:StaticBatchSize in static mode), or fewer where the memory budget's share of a call holds fewer crops of the narrowest tensor.");

    public static readonly Gauge RecognitionBatchWaitSeconds = Metrics.CreateGauge(
        "scipix_recognition_batch_wait_seconds", "How long the latest recognition batch was allowed to wait to fill.");

    public static readonly Counter RecognitionBatchDecisionsTotal = Metrics.CreateCounter(
        "scipix_recognition_batch_decisions_total",
        "Recognition batches taken, by the reason for their size: idle, keep_up, saturated, explore, back_off, static.",
        "reason");

    public static readonly Histogram RecognitionBatchCrops = Metrics.CreateHistogram(
        "scipix_recognition_batch_crops", "Line crops per recognizer call (from all jobs).",
        new HistogramConfiguration { Buckets = [1, 2, 4, 8, 16, 32, 64] });

    public static readonly Counter RecognitionLinesReadAgainTotal = Metrics.CreateCounter(
        "scipix_recognition_lines_read_again_total",
        "Lines read a second time, stretched, because the first reading packed their characters too tightly (Ocr:CondensedLines): each costs one more recognizer run of a line 1.5 times as wide. Against scipix_recognition_batch_crops_sum, the share of condensed print in the traffic.");

    public static readonly Gauge RecognitionQueueDepth = Metrics.CreateGauge(
        "scipix_recognition_queue_depth", "Line crops waiting for a recognition batch.");

    public static readonly Gauge MemoryBudgetBytes = Metrics.CreateGauge(
        "scipix_memory_budget_bytes", "The memory budget that concurrent model runs share (Ocr:MemoryBudgetMegabytes); 0 = no limit.");

    public static readonly Gauge MemoryBudgetInUseBytes = Metrics.CreateGauge(
        "scipix_memory_budget_in_use_bytes", "Estimated memory of the model runs under way (leased from the budget).");

    public static readonly Counter MemoryBudgetWaitsTotal = Metrics.CreateCounter(
        "scipix_memory_budget_waits_total", "Model runs that waited for the memory budget.");

    public static readonly Counter MemoryBudgetWaitSecondsTotal = Metrics.CreateCounter(
        "scipix_memory_budget_wait_seconds_total", "Time model runs spent waiting for the memory budget.");

    public static readonly Gauge DecodesStopped = Metrics.CreateGauge(
        "scipix_decodes_stopped",
        "Damaged JBIG2 images whose decoding ran away (a symbol dictionary of garbage) and was stopped, their jobs answered corrupt-image: each holds a thread and up to its page's decoding budget of memory until the worker restarts.");

    public static readonly Counter BarcodesTotal = Metrics.CreateCounter(
        "scipix_barcodes_total",
        "Barcodes and QR codes read from pages of jobs that asked for them (options.barcodes), by ZXing's format name (QR_CODE, CODE_128, ...); results served from the cache not counted.",
        "format");

    public static readonly Counter PdfPicturesTotal = Metrics.CreateCounter(
        "scipix_pdf_pictures_total",
        "Pictures on born-digital PDF pages read by the models (Ocr:PdfPictures), and blocks of text drawn there as shapes (Ocr:PdfDrawnText): each costs about what an image of its size does; results served from the cache not counted.");

    public static readonly Counter PdfPicturesReadBeforeTotal = Metrics.CreateCounter(
        "scipix_pdf_pictures_read_before_total",
        "Of scipix_pdf_pictures_total, the pictures the models did not read again: the same picture (a letterhead logo, a stamp) was read before and its reading kept (Ocr:PictureCacheBytes).");

    public static readonly Counter RepliesTotal = Metrics.CreateCounter(
        "scipix_replies_total",
        "Outcomes sent back to the job's requester besides the event: to a MassTransit request client's response address (to=response-address) or a plain-AMQP reply_to queue (to=reply-to); outcome sent (to the broker: a reply to a queue that is gone is dropped there) or failed (the broker did not take it; the event still stands).",
        "to", "outcome");

    public static readonly Counter ClaimChecksTotal = Metrics.CreateCounter(
        "scipix_claim_checks_total", "Results written to a result blob because they were too large for a message.");

    public static readonly Counter OutputsTotal = Metrics.CreateCounter(
        "scipix_outputs_total", "Documents written beside results because jobs asked for them (options.outputs), by format.", "format");

    public static readonly Counter IdempotencyStoreErrorsTotal = Metrics.CreateCounter(
        "scipix_idempotency_store_errors_total",
        "Calls to the shared idempotency store (Worker:IdempotencyStore=Blob) that failed, by operation (claim, renew, complete, release); a failed claim lets the job run.",
        "operation");

    public static readonly Counter PagesTurnedTotal = Metrics.CreateCounter(
        "scipix_pages_turned_total",
        "Pages read turned, by the degrees clockwise their image was turned (90, 270: scanned or photographed sideways; 180: upside down). A rise says a scanner or a capture app upstream feeds pages the wrong way.",
        "rotation");

    /// <summary>Counts a freshly read document's pages by format and source, and those read turned by their rotation.</summary>
    public static void CountPages(Ocr.Engine.OcrDocument document)
    {
        foreach (var group in document.Pages.GroupBy(p => p.Source))
        {
            PagesRecognizedTotal.WithLabels(document.Format, group.Key == Ocr.Engine.PageSource.TextLayer ? "text-layer" : "image").Inc(group.Count());
        }

        foreach (var group in document.Pages.Where(p => p.Rotation != 0).GroupBy(p => p.Rotation))
        {
            PagesTurnedTotal.WithLabels(group.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)).Inc(group.Count());
        }

        if (document.Pages.Sum(p => p.Pictures) is > 0 and var pictures)
        {
            PdfPicturesTotal.Inc(pictures);
        }

        if (document.Pages.Sum(p => p.PicturesReadBefore) is > 0 and var readBefore)
        {
            PdfPicturesReadBeforeTotal.Inc(readBefore);
        }

        foreach (var group in document.Pages.SelectMany(p => p.Barcodes).GroupBy(c => c.Format))
        {
            BarcodesTotal.WithLabels(group.Key).Inc(group.Count());
        }
    }
}
