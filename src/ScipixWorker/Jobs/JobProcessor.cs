using System.Diagnostics;
using System.Text.Json;
using MassTransit;
using MassTransit.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ScipixWorker.Caching;
using ScipixWorker.Contracts;
using ScipixWorker.Observability;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Storage;

namespace ScipixWorker.Jobs;

/// <summary>
/// Runs one job of a batch to exactly one outcome: a published <see cref="DocumentRecognized"/> or
/// <see cref="DocumentRecognitionFailed"/>, a skipped duplicate, or (at shutdown) the job put back on the
/// queue. Never throws for a problem of the job itself; only a failure to publish escapes.
/// </summary>
internal sealed class JobProcessor(
    BlobImageSource images,
    ResultStore results,
    InferenceGate inference,
    ResultCache cache,
    IdempotencyGuard idempotency,
    TransientRetry retry,
    IOptions<WorkerOptions> options,
    IOptions<OcrEngineOptions> ocrOptions,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    JobProgress progress,
    ILogger<JobProcessor> logger)
{
    public async Task ProcessAsync(ConsumeContext<RecognizeDocument> context)
    {
        var job = context.Message;
        using var span = WorkerTracing.StartJob(context);
        span?.SetTag(WorkerTracing.JobId, job.JobId.ToString());
        if (context.ReceiveContext.Redelivered)
        {
            WorkerMetrics.JobsRedeliveredTotal.Inc();
            span?.SetTag(WorkerTracing.Redelivered, true);
        }

        await using var claim = await idempotency.BeginAsync(IdempotencyGuard.KeyOf(job), job.JobId, context.CancellationToken);
        if (claim.Outcome == ClaimOutcome.Duplicate)
        {
            Log.JobDuplicate(logger, job.JobId);
            WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Duplicate).Inc();
            span?.SetTag(WorkerTracing.Outcome, WorkerMetrics.Outcome.Duplicate);
            if (options.Value.SendReplies && JobReplies.IsRequest(context))
            {
                await AnswerRepeatAsync(context);
            }

            return;
        }

        if (claim.Outcome == ClaimOutcome.HeldElsewhere)
        {
            // Not acknowledged as a repeat: the other replica may still fail it retryably or die. It comes back
            // later and finds the result (a repeat) or a claim that ran out (it runs here).
            Log.JobHeldElsewhere(logger, job.JobId);
            span?.SetTag(WorkerTracing.Outcome, "held_elsewhere");
            await RequeueAsync(context);
            return;
        }

        var final = false;
        WorkerMetrics.JobsInFlight.Inc();
        progress.Started();
        try
        {
            object outcome;
            try
            {
                outcome = await RunAsync(context, claim.LostRuns, context.CancellationToken);
            }
            catch (JobDeferredException)
            {
                Log.JobRequeued(logger, job.JobId);
                span?.SetTag(WorkerTracing.Outcome, WorkerMetrics.Outcome.Requeued);
                await RequeueAsync(context);
                return;
            }

            // The work is done: publish even if the consume token is cancelled now, or the result is lost; but not for
            // ever once it is: a publish caught by a dropped connection (which cancels the deliveries in flight) can
            // wait for a confirmation that never comes. While the delivery stands, a publish waits as long as the
            // broker makes it (a memory alarm blocks publishers until it clears).
            using var publishTimeout = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
            using var deliveryCancelled = context.CancellationToken.Register(() => publishTimeout.CancelAfter(options.Value.PublishTimeout));
            if (outcome is DocumentRecognized recognized)
            {
                await context.Publish(recognized, (PublishContext<DocumentRecognized> c) => WorkerTracing.Propagate(c), publishTimeout.Token);
                await JobReplies.SendAsync(context, recognized, options.Value.SendReplies, logger, publishTimeout.Token);
                WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Recognized).Inc();
                span?.SetTag(WorkerTracing.Outcome, WorkerMetrics.Outcome.Recognized);
                final = true;
            }
            else
            {
                var failed = (DocumentRecognitionFailed)outcome;
                await context.Publish(failed, (PublishContext<DocumentRecognitionFailed> c) => WorkerTracing.Propagate(c), publishTimeout.Token);
                await JobReplies.SendAsync(context, failed, options.Value.SendReplies, logger, publishTimeout.Token);
                WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Failed).Inc();
                WorkerMetrics.JobFailuresTotal.WithLabels(failed.ErrorCode).Inc();
                span?.SetTag(WorkerTracing.Outcome, WorkerMetrics.Outcome.Failed).SetTag(WorkerTracing.ErrorCode, failed.ErrorCode)
                    .SetStatus(ActivityStatusCode.Error, failed.ErrorCode);
                final = !failed.Retryable;
            }
        }
        finally
        {
            if (final)
            {
                await claim.CompleteAsync();
            }
            else
            {
                await claim.AbandonAsync();
            }

            WorkerMetrics.JobsInFlight.Dec();
            progress.Finished();
        }
    }

    // A repeat that asks for a reply (a request client that timed out and asked again with the same jobId or key): read
    // again, most often straight from the result cache, and answered to its requester alone. Nothing is published: the
    // first run's event stays the only one. At shutdown it is not answered (the requester asks again).
    private async Task AnswerRepeatAsync(ConsumeContext<RecognizeDocument> context)
    {
        WorkerMetrics.JobsInFlight.Inc();
        progress.Started();
        try
        {
            object outcome;
            try
            {
                outcome = await RunAsync(context, lostRuns: 0, context.CancellationToken);
            }
            catch (JobDeferredException)
            {
                return;
            }

            using var replyTimeout = new CancellationTokenSource(options.Value.PublishTimeout, time);
            await (outcome is DocumentRecognized recognized
                ? JobReplies.SendAsync(context, recognized, enabled: true, logger, replyTimeout.Token)
                : JobReplies.SendAsync(context, (DocumentRecognitionFailed)outcome, enabled: true, logger, replyTimeout.Token));
            Log.RepeatAnswered(logger, context.Message.JobId, outcome is DocumentRecognized { FromCache: true });
        }
        finally
        {
            WorkerMetrics.JobsInFlight.Dec();
            progress.Finished();
        }
    }

    private async Task<object> RunAsync(ConsumeContext<RecognizeDocument> context, int lostRuns, CancellationToken cancellationToken)
    {
        var job = context.Message;
        var started = Stopwatch.GetTimestamp();

        // Worker:JobTimeout, from pickup: a job still running then is stopped (its model runs terminated, its crops not
        // yet in a batch dropped, its next pages not read) and answered processing-timeout, so that nothing holds a
        // slot and its delivery for ever.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (options.Value.JobTimeout > TimeSpan.Zero)
        {
            timeout.CancelAfter(options.Value.JobTimeout);
        }

        var token = timeout.Token;
        try
        {
            ThrowIfOverDeliveryLimit(context, lostRuns);
            var queueWait = QueueWait(context);
            WorkerMetrics.StageDuration.WithLabels(WorkerMetrics.Stage.QueueWait).Observe(queueWait.TotalSeconds);
            inference.ObserveUpstreamWait(queueWait);
            ThrowIfPastDeadline(job);
            ThrowIfStopping();

            // An image in the message needs no blob: it is checked against its limit and read as it came.
            BlobReference? blob = job.Image.Data is null ? images.Resolve(job.Image) : null;
            if (job.Image.Data is { } inline && inline.Length > options.Value.MaxInlineImageBytes)
            {
                throw JobFailedException.Permanent(
                    RecognitionErrorCodes.ImageTooLarge,
                    $"image.data is {inline.Length} bytes; Worker:MaxInlineImageBytes is {options.Value.MaxInlineImageBytes}: send a larger image as a blob.");
            }

            // Downloaded images wait for a stage-1 slot in memory: only Worker:ImagesAhead of them at a time, holding
            // Worker:ImageBytesAhead together (each waits for its bytes once its size is known, before its body is read).
            using var reservation = await inference.ReserveImageAsync(lifetime.ApplicationStopping, token);
            ThrowIfPastDeadline(job);
            byte[] image;
            var download = TimeSpan.Zero;
            if (blob is not { } location)
            {
                image = job.Image.Data!;
            }
            else
            {
                var downloadStarted = Stopwatch.GetTimestamp();
                using (var downloading = WorkerTracing.Source.StartActivity("scipix.download"))
                {
                    downloading?.SetTag(WorkerTracing.Blob, location.ToString());
                    image = await retry.ExecuteAsync($"Reading {location}", job.JobId, c => images.DownloadAsync(location, reservation.HoldBytesAsync, c), token);
                    downloading?.SetTag(WorkerTracing.Bytes, image.Length);
                }

                download = Stopwatch.GetElapsedTime(downloadStarted);
                WorkerMetrics.StageDuration.WithLabels(WorkerMetrics.Stage.Download).Observe(download.TotalSeconds);
                ThrowIfPastDeadline(job);
            }

            var mode = job.Options?.RecognitionOnly == true ? OcrMode.SingleLine : OcrMode.Full;
            var extras = job.Options?.Barcodes == true ? OcrExtras.Barcodes : OcrExtras.None;
            var selection = Selection(job.Options);
            var model = inference.Model;
            var cacheKey = cache.Enabled ? ResultCache.KeyOf(image, mode, model, selection, extras) : null;
            OcrDocument? document = null;
            var fromCache = cacheKey is not null && cache.TryGet(cacheKey, out document);
            if (Activity.Current is { } current && current.Source == WorkerTracing.Source)
            {
                current.SetTag(WorkerTracing.FromCache, fromCache);
            }

            if (fromCache)
            {
                WorkerMetrics.CacheHitsTotal.Inc();
            }
            else
            {
                using var reading = WorkerTracing.Source.StartActivity("scipix.ocr");
                reading?.SetTag(WorkerTracing.Mode, mode == OcrMode.SingleLine ? "line" : "page");
                document = await inference.RecognizeAsync(image, mode, selection, extras, reservation, lifetime.ApplicationStopping, token);
                reading?.SetTag(WorkerTracing.Pages, document.Pages.Count).SetTag(WorkerTracing.Lines, document.Pages.Sum(p => p.Lines.Count));
                WorkerMetrics.CountPages(document);
                if (cacheKey is not null)
                {
                    cache.Add(cacheKey, document);
                    WorkerMetrics.CacheMissesTotal.Inc();
                }
            }

            if (document!.Pages.Count == 0 && selection.First > 0)
            {
                throw JobFailedException.Permanent(
                    RecognitionErrorCodes.PageOutOfRange,
                    $"options.firstPage is {selection.First + 1}, but the file has {document.SourcePages} page(s).");
            }

            var (decode, inferenceTime) = fromCache ? (TimeSpan.Zero, TimeSpan.Zero) : ResultProjection.EngineTime(document!);
            var total = Stopwatch.GetElapsedTime(started);
            WorkerMetrics.StageDuration.WithLabels(WorkerMetrics.Stage.Decode).Observe(decode.TotalSeconds);
            WorkerMetrics.StageDuration.WithLabels(WorkerMetrics.Stage.Inference).Observe(inferenceTime.TotalSeconds);
            WorkerMetrics.StageDuration.WithLabels(WorkerMetrics.Stage.Total).Observe(total.TotalSeconds);

            var recognized = new DocumentRecognized(
                job.JobId,
                job.CorrelationId,
                ResultProjection.Pages(document!, job.Options?.DetailLevel ?? DetailLevel.Lines, extras.HasFlag(OcrExtras.Barcodes)),
                document!.Text,
                ResultProjection.Identity(model),
                new StageTimings(queueWait.TotalMilliseconds, download.TotalMilliseconds, decode.TotalMilliseconds, inferenceTime.TotalMilliseconds, total.TotalMilliseconds),
                fromCache,
                PageCount: document.SourcePages > 0 ? document.SourcePages : document.Pages.Count,
                Outputs: await WriteOutputsAsync(job, blob is { } read ? $"{read.Container}/{read.Name}" : $"inline/{job.JobId:D}", image, document, token));
            Log.JobRecognized(logger, job.JobId, document.Pages.Count, recognized.Text?.Length ?? 0, total.TotalMilliseconds, fromCache);
            return await ClaimCheckIfLargeAsync(recognized, token);
        }
        catch (JobFailedException exception)
        {
            return Failed(job, exception.Failure);
        }
        catch (JobDeferredException)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Failed(job, new JobFailure(
                RecognitionErrorCodes.ProcessingTimeout,
                $"The job was still running after Worker:JobTimeout ({options.Value.JobTimeout}) and was stopped; {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s since pickup.",
                false));
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new JobDeferredException();
        }
        catch (OcrException exception)
        {
            return Failed(job, FailureMapping.FromOcr(exception));
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.JobCrashed(logger, exception, job.JobId);
            return Failed(job, new JobFailure(RecognitionErrorCodes.Internal, "The worker failed to process the job; see its logs.", false));
        }
    }

    // The documents the job asked for beside its result (imageName: the blob's container/name, or inline/JOBID for an image
    // the message carried), written to the result container (retried as any storage write;
    // a write that keeps failing fails the job, retryable, as the result blob's does; one refused for good fails it, not
    // retryable). Null where it asked for none. A PDF is built in a temporary file, a page at a time, and sent from there.
    private async Task<IReadOnlyList<OutputDocument>?> WriteOutputsAsync(
        RecognizeDocument job, string imageName, byte[] source, OcrDocument document, CancellationToken cancellationToken)
    {
        if (job.Options?.Outputs is not { Count: > 0 } formats)
        {
            return null;
        }

        var written = new List<OutputDocument>();
        foreach (var format in formats.Distinct())
        {
            var label = format.ToString().ToLowerInvariant();
            var (name, contentType, made) = format switch
            {
                OutputFormat.Hocr => ($"{job.JobId:D}.hocr", "text/html; charset=utf-8", (Stream)new MemoryStream(HocrWriter.Write(document, imageName))),
                OutputFormat.Alto => ($"{job.JobId:D}.alto.xml", "application/xml; charset=utf-8", new MemoryStream(AltoWriter.Write(document, imageName))),
                OutputFormat.Pdf => ($"{job.JobId:D}.pdf", SearchablePdf.ContentType, SearchablePdfFile(source, document, cancellationToken)),
                OutputFormat.Markdown => ($"{job.JobId:D}.md", "text/markdown; charset=utf-8", new MemoryStream(MarkdownWriter.Write(document))),
                _ => throw new ArgumentOutOfRangeException(nameof(job), format, "Not an output format."),
            };
            await using var content = made;
            ImageLocation location;
            try
            {
                location = await retry.ExecuteAsync($"Writing {name}", job.JobId, c => results.SaveAsync(name, contentType, content, c), cancellationToken);
            }
            catch (Azure.RequestFailedException exception) when (!FailureMapping.IsTransient(exception, cancellationToken))
            {
                // Refused for good (the worker may not write there): say so, rather than as an unknown crash.
                throw JobFailedException.Permanent(
                    RecognitionErrorCodes.Internal, $"Storage refused writing the {label} output {name} ({exception.ErrorCode ?? exception.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}).", exception);
            }

            written.Add(new OutputDocument(format, location, content.Length));
            WorkerMetrics.OutputsTotal.WithLabels(label).Inc();
        }

        return written;
    }

    // The searchable PDF, made a page at a time into a temporary file (deleted when closed), which the upload reads.
    private Stream SearchablePdfFile(byte[] source, OcrDocument document, CancellationToken cancellationToken)
    {
        var file = new FileStream(
            Path.Combine(Path.GetTempPath(), $"scipix-{Guid.NewGuid():N}.tmp"), FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose);
        try
        {
            SearchablePdf.Write(source, document, ocrOptions.Value, file, cancellationToken);
            return file;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private async Task<DocumentRecognized> ClaimCheckIfLargeAsync(DocumentRecognized recognized, CancellationToken cancellationToken)
    {
        // Measured with the bus's own serializer options, so the limit is about the message that would be sent.
        var json = JsonSerializer.SerializeToUtf8Bytes(recognized, SystemTextJsonMessageSerializer.Options);
        if (json.Length <= options.Value.InlineResultMaxBytes)
        {
            return recognized;
        }

        var location = await retry.ExecuteAsync("Writing the result blob", recognized.JobId, c => results.SaveAsync(recognized.JobId, json, c), cancellationToken);
        Log.ResultClaimChecked(logger, recognized.JobId, json.Length, location.Container, location.BlobName);
        WorkerMetrics.ClaimChecksTotal.Inc();
        return recognized with { Pages = [], Text = null, ResultLocation = location };
    }

    private DocumentRecognitionFailed Failed(RecognizeDocument job, JobFailure failure)
    {
        Log.JobFailed(logger, job.JobId, failure.Code, failure.Retryable, failure.Message);
        return failure.ToEvent(job);
    }

    // Shutting down: a job that has not started recognizing goes back to the queue, so that its batch can
    // complete (and be acknowledged) while the jobs already recognizing finish.
    private void ThrowIfStopping()
    {
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw new JobDeferredException();
        }
    }

    private void ThrowIfPastDeadline(RecognizeDocument job)
    {
        if (job.Deadline is { } deadline && deadline <= time.GetUtcNow())
        {
            throw JobFailedException.Permanent(RecognitionErrorCodes.DeadlineExceeded, $"The job's deadline {deadline:O} passed before it was recognized.");
        }
    }

    /// <summary>The pages a job asks for (1-based, inclusive, in its options) as the engine's 0-based range.</summary>
    internal static PageRange Selection(RecognitionOptions? options)
    {
        var first = Math.Max(1, options?.FirstPage ?? 1) - 1;
        return options?.LastPage is { } last && last > first ? new PageRange(first, last - first) : new PageRange(first, int.MaxValue - first);
    }

    // A quorum queue counts the deliveries that ended without an acknowledgement in x-delivery-count (0 or absent on the
    // first delivery); with the shared idempotency store, the runs that replicas lost (they stopped before answering) are
    // counted on the job's key on any queue. A job whose earlier deliveries or runs all ended so may be what kills the
    // worker: answer it, retryable.
    private void ThrowIfOverDeliveryLimit(ConsumeContext context, int lostRuns)
    {
        var limit = options.Value.DeliveryLimit;
        if (limit <= 0)
        {
            return;
        }

        if (DeliveryCount(context) is { } unanswered && unanswered >= limit)
        {
            throw new JobFailedException(new JobFailure(
                RecognitionErrorCodes.DeliveryLimitExceeded,
                $"Delivered {unanswered + 1} times; the {unanswered} before ended without an answer (Worker:DeliveryLimit {limit}). The job, or a job in flight beside it, may stop the worker (a crash, an out-of-memory kill), or the broker connection kept dropping. Sent again, it runs.",
                Retryable: true));
        }

        if (lostRuns >= limit)
        {
            throw new JobFailedException(new JobFailure(
                RecognitionErrorCodes.DeliveryLimitExceeded,
                $"Run {lostRuns + 1} times; the {lostRuns} runs before were lost with the replicas running them, which stopped before answering (Worker:DeliveryLimit {limit}). The job, or a job in flight beside it, may stop the worker (a crash, an out-of-memory kill). Sent again, it runs.",
                Retryable: true));
        }
    }

    /// <summary>The x-delivery-count a quorum queue sets on a redelivery; null when absent or not a number.</summary>
    internal static long? DeliveryCount(ConsumeContext context) =>
        context.ReceiveContext.TransportHeaders.TryGetHeader("x-delivery-count", out var value)
            ? value switch
            {
                long count => count,
                int count => count,
                short count => count,
                byte count => count,
                sbyte count => count,
                uint count => count,
                _ => null,
            }
            : null;

    private TimeSpan QueueWait(ConsumeContext context)
    {
        var sent = context.SentTime ?? context.ReceiveContext.GetSentTime();
        if (sent is null)
        {
            return TimeSpan.Zero;
        }

        var wait = time.GetUtcNow().UtcDateTime - DateTime.SpecifyKind(sent.Value, DateTimeKind.Utc);
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    // Sent back as a new message before the batch is acknowledged (shutdown, or held by another replica): the job
    // runs once, later, on whichever worker takes it. (A job still recognizing when MassTransit cancels consumers
    // at ConsumerStopTimeout is not re-sent: its message is never acknowledged, so the broker redelivers it.)
    private async Task RequeueAsync(ConsumeContext<RecognizeDocument> context)
    {
        var endpoint = await context.GetSendEndpoint(context.ReceiveContext.InputAddress);
        await endpoint.Send(context.Message, CancellationToken.None);
        WorkerMetrics.JobsTotal.WithLabels(WorkerMetrics.Outcome.Requeued).Inc();
    }
}

/// <summary>The worker is stopping and this job has not started recognizing: put it back on the queue.</summary>
internal sealed class JobDeferredException : Exception;
