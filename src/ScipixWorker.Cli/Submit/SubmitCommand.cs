using System.Collections.Concurrent;
using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Azure.Storage.Blobs;
using MassTransit;
using ScipixWorker.Cli.Common;
using ScipixWorker.Contracts;

namespace ScipixWorker.Cli.Submit;

/// <summary>
/// <c>scipix submit &lt;files...&gt; [--wait] [--json] [--recognition-only] [--inline]</c>: uploads images to the worker's
/// storage account (or, with --inline, puts each in its job message), sends one RecognizeDocument per file to the worker's queue and, with --wait, prints
/// each job's DocumentRecognized or DocumentRecognitionFailed.
/// </summary>
public static class SubmitCommand
{
    private static readonly JsonSerializerOptions ResultJson = new(Json.Options) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };

    public static Command Create()
    {
        var files = new Argument<FileInfo[]>("files") { Arity = ArgumentArity.OneOrMore, Description = "Image files to recognize" };
        var wait = new Option<bool>("--wait") { Description = "Wait for every job's result and print it" };
        var json = new Option<bool>("--json") { Description = "Print the result events (or, without --wait, the submitted jobs) as JSON" };
        var recognitionOnly = new Option<bool>("--recognition-only") { Description = "Each image is a single text line: skip detection" };
        var detail = new Option<DetailLevel>("--detail") { Description = "What results carry: text, lines, full (with boxes) or words (with each word's box too)", DefaultValueFactory = _ => DetailLevel.Lines };
        var container = new Option<string?>("--container") { Description = "Container to upload to (default: the first of BlobStorage:AllowedContainers, else 'images')" };
        var timeout = new Option<int>("--timeout") { Description = "Seconds to wait for results with --wait", DefaultValueFactory = _ => 120 };
        var firstPage = new Option<int?>("--first-page") { Description = "The first page to read, 1-based (a multi-page file: PDF, TIFF, GIF, WebP)" };
        var lastPage = new Option<int?>("--last-page") { Description = "The last page to read, 1-based and inclusive" };
        var hocr = new Option<bool>("--hocr") { Description = "Ask the worker for each result as hOCR too (written to its result container; the blob is named in the result)" };
        var pdf = new Option<bool>("--pdf") { Description = "Ask the worker for each result as a searchable PDF too (written to its result container; the blob is named in the result)" };
        var barcodes = new Option<bool>("--barcodes") { Description = "Ask the worker for the barcodes and QR codes on each page too (printed after the text, and in the events)" };
        var alto = new Option<bool>("--alto") { Description = "Ask the worker for each result as ALTO XML too (written to its result container; the blob is named in the result)" };
        var markdown = new Option<bool>("--markdown") { Description = "Ask the worker for each result as Markdown too (written to its result container; the blob is named in the result)" };
        var inline = new Option<bool>("--inline") { Description = "Send each image in its job message (base64) instead of uploading it: no storage round trip, up to the worker's Worker:MaxInlineImageBytes (256 KiB by default)" };
        var pagesPerJob = new Option<int?>("--pages-per-job") { Description = "Send a multi-page file as several jobs of this many pages each (counted here), which several replicas read at once" };
        var command = new Command("submit", "Queue images for the ScipixWorker (upload, send RecognizeDocument) and optionally wait for the results")
        {
            files, wait, json, recognitionOnly, detail, container, inline, timeout, firstPage, lastPage, pagesPerJob, hocr, pdf, alto, markdown, barcodes,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            new Request(
                parse.GetRequiredValue(files),
                parse.GetValue(wait),
                parse.GetValue(json),
                new RecognitionOptions(parse.GetValue(recognitionOnly), parse.GetValue(detail), parse.GetValue(firstPage), parse.GetValue(lastPage),
                    Outputs(parse.GetValue(hocr), parse.GetValue(pdf), parse.GetValue(alto), parse.GetValue(markdown)), parse.GetValue(barcodes)),
                parse.GetValue(container),
                TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(timeout))),
                parse.GetValue(pagesPerJob),
                parse.GetValue(inline)),
            cancellationToken));
        return command;
    }

    private sealed record Request(FileInfo[] Files, bool Wait, bool Json, RecognitionOptions Options, string? Container, TimeSpan Timeout, int? PagesPerJob, bool Inline);

    // Container and BlobName are null for an image sent in its job message (--inline).
    private sealed record Job(string File, Guid JobId, string? Container, string? BlobName);

    private static async Task<int> RunAsync(Request request, CancellationToken cancellationToken)
    {
        var missing = request.Files.Where(f => !f.Exists).ToList();
        if (missing.Count > 0)
        {
            await Console.Error.WriteLineAsync($"scipix submit: no such file: {string.Join(", ", missing.Select(f => f.FullName))}");
            return 2;
        }

        if (request.PagesPerJob is < 1 || request.Options.FirstPage is < 1 || request.Options.LastPage < request.Options.FirstPage)
        {
            await Console.Error.WriteLineAsync("scipix submit: --pages-per-job and --first-page are 1 or more, and --last-page is not before --first-page.");
            return 2;
        }

        // Every job to send, each file's before the next: one a file, or one a range of pages with --pages-per-job.
        var plans = new List<(FileInfo File, RecognitionOptions Options)>();
        foreach (var file in request.Files)
        {
            plans.AddRange(PageRanges(file, request.Options, request.PagesPerJob).Select(options => (file, options)));
        }

        var settings = SubmitSettings.Load();
        var storage = settings.CreateBlobServiceClient();
        var containerName = request.Container ?? settings.DefaultContainer;
        var container = storage.GetBlobContainerClient(containerName);
        if (!request.Inline)
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }

        var results = new ConcurrentDictionary<Guid, object>();
        var expected = new ConcurrentDictionary<Guid, bool>();
        var allArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Arrived(Guid jobId, object result)
        {
            if (expected.ContainsKey(jobId) && results.TryAdd(jobId, result) && results.Count == plans.Count)
            {
                allArrived.TrySetResult();
            }
        }

        // Waiting, the jobs ask for their outcomes as replies to this bus: only ours come, however busy the worker is.
        var bus = request.Wait
            ? ResultBus.CreateForReplies(settings, recognized => Arrived(recognized.JobId, recognized), failed => Arrived(failed.JobId, failed))
            : ResultBus.Create(settings, resultQueue: null, _ => { }, _ => { });

        var handle = await bus.StartAsync(cancellationToken);
        try
        {
            await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            var queue = await JobQueue.GetSendEndpointAsync(bus, settings, settings.QueueName, settings.QuorumQueue, cancellationToken);
            var jobs = new List<Job>();
            foreach (var group in plans.GroupBy(plan => plan.File))
            {
                var file = group.Key;
                ImageLocation image;
                if (request.Inline)
                {
                    image = new ImageLocation(Data: await File.ReadAllBytesAsync(file.FullName, cancellationToken));
                }
                else
                {
                    image = new ImageLocation(containerName, $"{Guid.NewGuid():N}/{file.Name}");
                    await container.GetBlobClient(image.BlobName).UploadAsync(file.FullName, overwrite: true, cancellationToken);
                }

                foreach (var (_, options) in group)
                {
                    var jobId = Guid.NewGuid();
                    expected[jobId] = true;
                    await queue.Send(
                        new RecognizeDocument(jobId, image, options, CorrelationId: file.Name),
                        send =>
                        {
                            if (request.Wait)
                            {
                                send.ResponseAddress = bus.Address;
                            }
                        },
                        cancellationToken);
                    jobs.Add(new Job(file.Name, jobId, image.Container, image.BlobName));
                    if (!request.Json)
                    {
                        var pages = options.FirstPage is { } first ? $" pages {first}-{options.LastPage}" : string.Empty;
                        var where = image.Data is { } data ? $"{data.Length} bytes in the message" : $"{image.Container}/{image.BlobName}";
                        Console.Error.WriteLine($"queued {file.Name}{pages} as job {jobId} ({where})");
                    }
                }
            }

            if (!request.Wait)
            {
                if (request.Json)
                {
                    Console.WriteLine(JsonSerializer.Serialize(jobs, ResultJson));
                }

                return 0;
            }

            var finished = await Task.WhenAny(allArrived.Task, Task.Delay(request.Timeout, cancellationToken)) == allArrived.Task;
            return await PrintAsync(jobs, results, storage, request.Json, cancellationToken) switch
            {
                _ when !finished => Timeout(request.Timeout, jobs.Count - results.Count),
                var failures => failures == 0 ? 0 : 1,
            };
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The options of each job for <paramref name="file"/>: the request's own, or with <paramref name="pagesPerJob"/> one
    /// a range of that many pages, from --first-page (or 1) to --last-page (or the file's last page, counted here).
    /// </summary>
    internal static IEnumerable<RecognitionOptions> PageRanges(FileInfo file, RecognitionOptions options, int? pagesPerJob)
    {
        if (pagesPerJob is not { } size)
        {
            return [options];
        }

        var last = Math.Min(options.LastPage ?? int.MaxValue, CountPages(file));
        var first = options.FirstPage ?? 1;
        var ranges = new List<RecognitionOptions>();
        for (var start = first; start <= last; start += size)
        {
            ranges.Add(options with { FirstPage = start, LastPage = Math.Min(last, start + size - 1) });
        }

        return ranges.Count > 0 ? ranges : [options with { FirstPage = first, LastPage = null }]; // past the end: the worker says so
    }

    // The file's pages as the worker counts them (PDF page tree, TIFF directories, GIF/WebP frames); no page is decoded
    // for a PDF or TIFF.
    private static int CountPages(FileInfo file)
    {
        var loader = new ScipixWorker.Ocr.Imaging.ImageLoader(new ScipixWorker.Ocr.Engine.OcrEngineOptions { MaxPages = int.MaxValue });
        using var opened = loader.Open(File.ReadAllBytes(file.FullName));
        using var decoded = opened.Load();
        return decoded.PageCount;
    }

    private static int Timeout(TimeSpan timeout, int missing)
    {
        Console.Error.WriteLine($"scipix submit: {missing} job(s) had no result after {timeout.TotalSeconds:F0} s (is the worker running?).");
        return 3;
    }

    // ", pages 3-4 of 9" when the job read some of the file's pages.
    private static string SomePages(DocumentRecognized result) =>
        result is { PageCount: { } count, Pages: [var first, .., var last] } && count > result.Pages.Count
            ? $", pages {first.PageNumber}-{last.PageNumber} of {count}"
            : result is { PageCount: { } only, Pages: [var one] } && only > 1 ? $", page {one.PageNumber} of {only}" : string.Empty;

    // The documents to ask for: null for none.
    private static OutputFormat[]? Outputs(bool hocr, bool pdf, bool alto, bool markdown) =>
        hocr || pdf || alto || markdown
            ? [.. new[] { (hocr, OutputFormat.Hocr), (pdf, OutputFormat.Pdf), (alto, OutputFormat.Alto), (markdown, OutputFormat.Markdown) }.Where(o => o.Item1).Select(o => o.Item2)]
            : null;

    // The documents written beside a result, one line each.
    private static string Outputs(DocumentRecognized result) =>
        string.Concat(result.Pages.SelectMany(p => (p.Barcodes ?? []).Select(c => $"[{c.Format}] {c.Text}{(result.Pages.Count > 1 ? $" (page {p.PageNumber})" : string.Empty)}\n")))
        + string.Concat((result.Outputs ?? []).Select(o => $"{o.Format.ToString().ToLowerInvariant()}: {o.Location.Uri} ({o.Bytes} bytes)\n"));

    /// <summary>Prints the results in submission order; returns how many failed.</summary>
    private static async Task<int> PrintAsync(List<Job> jobs, ConcurrentDictionary<Guid, object> results, BlobServiceClient storage, bool json, CancellationToken cancellationToken)
    {
        var failures = 0;
        var output = new List<object?>();
        foreach (var job in jobs)
        {
            results.TryGetValue(job.JobId, out var result);
            if (result is DocumentRecognized { ResultLocation: { } location })
            {
                // Claim check: the full result is in a blob.
                var content = await storage.GetBlobContainerClient(location.Container).GetBlobClient(location.BlobName).DownloadContentAsync(cancellationToken);
                result = content.Value.Content.ToObjectFromJson<DocumentRecognized>(ResultJson);
            }

            failures += result is DocumentRecognized ? 0 : 1;
            if (json)
            {
                output.Add(new { file = job.File, jobId = job.JobId, result });
                continue;
            }

            Console.WriteLine(result switch
            {
                DocumentRecognized r => $"== {job.File} (job {job.JobId}, {r.Timings.TotalMs:F0} ms{(r.FromCache ? ", from cache" : string.Empty)}{SomePages(r)})\n{r.Text}\n{Outputs(r)}",
                DocumentRecognitionFailed f => $"== {job.File} (job {job.JobId}) FAILED {f.ErrorCode}{(f.Retryable ? " (retryable)" : string.Empty)}: {f.Message}\n",
                _ => $"== {job.File} (job {job.JobId}) no result yet\n",
            });
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(output, ResultJson));
        }

        return failures;
    }
}
