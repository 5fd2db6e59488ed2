using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Azure.Storage.Blobs;
using MassTransit;
using Microsoft.Extensions.Configuration;
using ScipixWorker.Cli.Common;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Cli.Submit;
using ScipixWorker.Contracts;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// One end-to-end run through the real broker and blob store: start the worker, upload the set once, publish
/// jobs on a schedule, time each job from publish to its result event, then stop the worker and clean up.
/// </summary>
internal static class E2eRunner
{
    public static async Task<E2eResult> RunAsync(E2eRequest request, Action<string> log, CancellationToken cancellationToken)
    {
        var items = Manifest.Read(request.SetDirectory, limit: null);
        if (items.Count == 0)
        {
            throw new InvalidOperationException($"{request.SetDirectory}: the manifest lists no images.");
        }

        var settings = SubmitSettings.Load();
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var runId = Guid.NewGuid().ToString("N")[..12];
        var queueName = $"scipix-bench-{runId}";
        var containerName = $"scipix-bench-{runId}";
        var storage = settings.CreateBlobServiceClient();
        var container = storage.GetBlobContainerClient(containerName);

        // Worker settings: the result cache off (jobs reuse the set's images), then the caller's, then what
        // this run needs to be isolated from everyone else on the broker and the storage account.
        var workerSettings = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase) { ["Worker:ResultCacheEntries"] = "0" };
        if (configuration["Ocr:ModelDirectory"] is null && EngineSettings.FindModelDirectory() is { } models)
        {
            workerSettings["Ocr:ModelDirectory"] = models;
        }

        foreach (var (key, value) in request.WorkerConfig)
        {
            workerSettings[key] = value;
        }

        workerSettings["Worker:QueueName"] = queueName;
        workerSettings["BlobStorage:AllowedContainers"] = containerName;

        // Keys shared by replicas (Worker:IdempotencyStore=Blob) go to the run's own container, deleted with it:
        // Azurite keeps every blob's metadata in one JSON file that it rewrites, so blobs left behind by earlier
        // runs make every later storage call dearer (docs/benchmarks.md, "Shared idempotency keys").
        var keysContainer = storage.GetBlobContainerClient($"{containerName}-keys");
        workerSettings["BlobStorage:IdempotencyContainer"] = keysContainer.Name;

        var tally = new ResultTally();

        log($"worker: {request.WorkerDll} (queue {queueName})");
        await using var worker = WorkerProcess.Start(request.WorkerDll, workerSettings);
        var bus = ResultBus.Create(settings, $"{queueName}-results",
            recognized => tally.Arrived(recognized.JobId, true), failed => tally.Arrived(failed.JobId, false), prefetch: 256,
            durableFor: request.DurableResults ? TimeSpan.FromMinutes(10) : null);
        var handle = await bus.StartAsync(cancellationToken);
        try
        {
            // Each image once: as a blob, or (--inline) as the bytes every job for it carries.
            var images = new List<ImageLocation>(items.Count);
            if (!request.Inline)
            {
                await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            }

            for (var i = 0; i < items.Count; i++)
            {
                if (request.Inline)
                {
                    images.Add(new ImageLocation(Data: await File.ReadAllBytesAsync(items[i].ImagePath, cancellationToken)));
                    continue;
                }

                var blobName = $"{i:D5}-{Path.GetFileName(items[i].ImagePath)}";
                await container.GetBlobClient(blobName).UploadAsync(items[i].ImagePath, overwrite: true, cancellationToken);
                images.Add(new ImageLocation(containerName, blobName));
            }

            log(request.Inline
                ? $"read {images.Count} images to send in the jobs; waiting for the worker to be ready"
                : $"uploaded {images.Count} images to {containerName}; waiting for the worker to be ready");
            await handle.Ready.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
            await worker.WaitUntilReadyAsync(TimeSpan.FromMinutes(3), cancellationToken);

            // Scraped once before any job, as Prometheus does from the start: the first collection starts prometheus-net's
            // meter adapter, and the code it and the instruments' first measurements compile (about a thousand methods)
            // then falls in the warm-up instead of the measured window. Its JIT time is the mark the first warm-up burst's
            // share is counted from.
            var jitMark = JitSeconds(await worker.ScrapeAsync(cancellationToken));
            var quorum = SubmitSettings.IsQuorum(workerSettings.GetValueOrDefault("Worker:QueueType") ?? configuration["Worker:QueueType"]);
            var queue = await JobQueue.GetSendEndpointAsync(bus, settings, queueName, quorum, cancellationToken);
            var options = new RecognitionOptions(request.Lines, request.Detail);
            var jobNumber = 0;
            RecognizeDocument NextJob()
            {
                return new RecognizeDocument(Guid.NewGuid(), images[jobNumber++ % images.Count], options, CorrelationId: $"bench-{runId}");
            }

            // Unmeasured jobs first: a fresh process pays for the JIT, connections and first allocations (E2eRequest.Warmup).
            // A burst, then for a rate run a few seconds at the measured rate: the code a steady arrival rate reaches
            // (the scheduler's keep-up path, the consumer's small deliveries, timers) is not all hot after a burst
            // (E2eRequest.PacedWarmup).
            var warmupJobCount = 0;
            async Task<TimeSpan> Unmeasured(IReadOnlyList<TimeSpan> offsets, string what)
            {
                var warmupJobs = offsets.Select(_ => NextJob()).ToList();
                warmupJobCount += warmupJobs.Count;
                var roundStart = Stopwatch.GetTimestamp();
                tally.Begin(warmupJobs.Select(job => job.JobId));
                var arrived = tally.AllArrived;
                await PublishOnScheduleAsync(queue, warmupJobs, offsets, published: null, cancellationToken);
                var warmupTimeout = TimeSpan.FromSeconds(60 + warmupJobs.Count * (request.Lines ? 0.5 : 5));
                if (await Task.WhenAny(arrived, Task.Delay(warmupTimeout, cancellationToken)) != arrived)
                {
                    throw new TimeoutException($"The worker returned no result for its {warmupJobs.Count} {what} within {warmupTimeout.TotalSeconds:F0} s:\n{worker.Tail()}");
                }

                return Stopwatch.GetElapsedTime(roundStart);
            }

            // A burst of unmeasured jobs and the JIT's share of its time (kept in jitShares), counted from the last scrape's
            // mark: one scrape after each burst serves as the next one's start.
            var jitShares = new List<double>();
            async Task<double?> WarmupBurst(int count, string what)
            {
                var elapsed = await Unmeasured(RateSchedule.Create(Arrival.Burst, 0, count, TimeSpan.Zero), what);
                var jit = JitSeconds(await worker.ScrapeAsync(cancellationToken));
                var spent = jit - jitMark;
                jitMark = jit;
                if (spent is not { } seconds)
                {
                    return null;
                }

                var share = JitSettling.Share(seconds, elapsed.TotalSeconds);
                jitShares.Add(share);
                return share;
            }

            if (request.WarmupJobs > 0)
            {
                // The warm-up burst, then more while the JIT still recompiles hot paths (JitSettling).
                var share = await WarmupBurst(request.WarmupJobs, "warm-up jobs");
                var roundJobs = JitSettling.RoundJobs(request.WarmupJobs);
                for (var added = 0; JitSettling.Again(share, request.JitSettleShare, added); added++)
                {
                    log(string.Create(CultureInfo.InvariantCulture, $"warm-up: the JIT took {share:P0} of the last burst; {roundJobs} jobs more"));
                    share = await WarmupBurst(roundJobs, "warm-up jobs");
                }

                if (request.Arrival != Arrival.Burst && request.Rate > 0)
                {
                    var seconds = E2eRequest.PacedWarmup.TotalSeconds;
                    log($"warm-up: {seconds:F0} s at the measured rate");
                    await Unmeasured(RateSchedule.Create(request.Arrival, request.Rate, (int)Math.Ceiling(request.Rate * seconds), E2eRequest.PacedWarmup, seed: 2), "paced warm-up jobs");
                }

                // The runtime recompiles hot methods (tier 1) in the background shortly after they get hot: let it finish.
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }

            var schedule = RateSchedule.Create(request.Arrival, request.Rate, request.Jobs, request.Duration);
            var jobs = schedule.Select(_ => NextJob()).ToList();
            tally.Begin(jobs.Select(job => job.JobId));

            var metricsBefore = await worker.ScrapeAsync(cancellationToken);
            var allocator = metricsBefore is null ? null : Allocator(metricsBefore);
            if (allocator == "glibc")
            {
                log("the worker runs on glibc's malloc, not on jemalloc as the container image does: scripts/local-stack.sh jemalloc installs it (docs/operations.md)");
            }

            var cpuBefore = ProcStats.CpuTime(worker.Pid);
            var loadBefore = LoadAverage();
            log($"publishing {jobs.Count} jobs ({Describe(request.Arrival, request.Rate)})");
            var published = new long[jobs.Count];
            var start = Stopwatch.GetTimestamp();
            await PublishOnScheduleAsync(queue, jobs, schedule, published, cancellationToken);
            var publishSeconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
            log($"published in {publishSeconds:F1} s; waiting up to {request.DrainTimeout.TotalSeconds:F0} s for the results");
            await Task.WhenAny(tally.AllArrived, Task.Delay(request.DrainTimeout, cancellationToken));
            var end = tally.LastArrival ?? Stopwatch.GetTimestamp();
            var cpuAfter = ProcStats.CpuTime(worker.Pid);
            var peakRss = ProcStats.PeakRss(worker.Pid);
            var metricsAfter = await worker.ScrapeAsync(cancellationToken);
            var loadAfter = LoadAverage();

            var latencies = new List<double>();
            int recognized = 0, failed = 0;
            for (var i = 0; i < jobs.Count; i++)
            {
                if (tally.TryGet(jobs[i].JobId, out var result))
                {
                    latencies.Add(Stopwatch.GetElapsedTime(published[i], result.Timestamp).TotalMilliseconds);
                    _ = result.Recognized ? recognized++ : failed++;
                }
            }

            var window = jobs.Count == 0 ? 0 : Stopwatch.GetElapsedTime(published[0], end).TotalSeconds;
            var (p50, p95, p99) = LatencyStats.Summarize(latencies);
            HistogramTotals? Window(string name) =>
                metricsAfter is null ? null : PrometheusText.Histogram(metricsAfter, name)?.Minus(metricsBefore is null ? null : PrometheusText.Histogram(metricsBefore, name));
            var batches = Window("scipix_batch_size");
            var crops = Window("scipix_recognition_batch_crops");
            var decisions = metricsAfter is null ? null : Decisions(metricsBefore, metricsAfter);
            var jitSeconds = JitSeconds(metricsAfter) - JitSeconds(metricsBefore);
            var exitCode = await worker.StopAsync(TimeSpan.FromSeconds(30));
            return new E2eResult
            {
                Label = request.Label,
                Set = Path.GetFileName(Path.GetFullPath(request.SetDirectory).TrimEnd('/')),
                Mode = request.Lines ? "lines" : "pages",
                Arrival = request.Arrival.ToString().ToLowerInvariant(),
                Inline = request.Inline,
                OfferedRate = request.Arrival == Arrival.Burst ? 0 : request.Rate,
                WorkerConfig = request.WorkerConfig,
                Published = jobs.Count,
                Recognized = recognized,
                Failed = failed,
                Missing = jobs.Count - latencies.Count,
                Duplicates = tally.Duplicates,
                WindowSeconds = window,
                Throughput = window > 0 ? latencies.Count / window : 0,
                P50Ms = p50,
                P95Ms = p95,
                P99Ms = p99,
                MaxMs = latencies.Count == 0 ? 0 : latencies.Max(),
                WorkerCpuCores = cpuBefore is { } before && cpuAfter is { } after && window > 0 ? (after - before).TotalSeconds / window : null,
                WorkerPeakRssBytes = peakRss,
                MeanBatchSize = batches is { Count: > 0 } ? batches.Mean : null,
                Batches = batches?.Count,
                MeanCropsPerCall = crops is { Count: > 0 } ? crops.Mean : null,
                Decisions = decisions,
                WorkerJitSeconds = jitSeconds,
                WarmupJobs = warmupJobCount,
                WarmupJitShares = request.WarmupJobs > 0 ? jitShares : null,
                Allocator = allocator,
                LoadAverage = $"{loadBefore} -> {loadAfter}",
                WorkerExitCode = exitCode,
            };
        }
        finally
        {
            await handle.StopAsync(CancellationToken.None);
            await worker.StopAsync(TimeSpan.FromSeconds(30));
            await CleanUpAsync(settings, configuration, queueName, [container, keysContainer], log);
        }
    }

    // Sends each job at its offset from now; `published` (when given) gets each send's timestamp.
    private static async Task PublishOnScheduleAsync(ISendEndpoint queue, IReadOnlyList<RecognizeDocument> jobs, IReadOnlyList<TimeSpan> offsets, long[]? published, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < jobs.Count; i++)
        {
            var due = start + (long)(offsets[i].TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (published is not null)
            {
                published[i] = Stopwatch.GetTimestamp();
            }

            await queue.Send(jobs[i], cancellationToken);
        }
    }

    // Seconds the worker's JIT has spent compiling since it started; null without a scrape or the metric.
    private static double? JitSeconds(string? exposition) =>
        exposition is null ? null : PrometheusText.Value(exposition, "system_runtime_dotnet_jit_compilation_time");

    // The recognizer's batch decisions by reason between two scrapes.
    private static Dictionary<string, double> Decisions(string? before, string after)
    {
        const string Name = "scipix_recognition_batch_decisions_total";
        var earlier = before is null ? new Dictionary<string, double>() : PrometheusText.ByLabel(before, Name, "reason");
        return PrometheusText.ByLabel(after, Name, "reason")
            .Select(pair => (pair.Key, Value: pair.Value - earlier.GetValueOrDefault(pair.Key)))
            .Where(pair => pair.Value > 0)
            .ToDictionary(pair => pair.Key, pair => pair.Value);
    }

    // The worker's native allocator, from the one series of scipix_native_allocator_info set to 1.
    internal static string? Allocator(string exposition) =>
        PrometheusText.ByLabel(exposition, "scipix_native_allocator_info", "allocator").Where(pair => pair.Value > 0).Select(pair => pair.Key).FirstOrDefault();

    public static string Describe(Arrival arrival, double rate) => arrival switch
    {
        Arrival.Burst => "burst",
        _ => string.Create(CultureInfo.InvariantCulture, $"{arrival.ToString().ToLowerInvariant()} {rate:0.##}/s"),
    };

    /// <summary>The 1-minute load average (first field of /proc/loadavg), or "?".</summary>
    public static string LoadAverage()
    {
        try
        {
            return File.ReadAllText("/proc/loadavg").Split(' ')[0];
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>Deletes the run's queue, its error queue and exchanges (management API) and its containers.</summary>
    private static async Task CleanUpAsync(SubmitSettings settings, IConfiguration configuration, string queueName, BlobContainerClient[] containers, Action<string> log)
    {
        var managementPort = configuration["RabbitMq:ManagementPort"] ?? "15672";
        using var http = new HttpClient { BaseAddress = new Uri($"http://{settings.RabbitHost}:{managementPort}/"), Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{settings.Username}:{settings.Password}")));
        var vhost = Uri.EscapeDataString(settings.VirtualHost);
        foreach (var name in new[] { queueName, $"{queueName}_error", $"{queueName}_skipped", $"{queueName}-results" })
        {
            foreach (var kind in new[] { "queues", "exchanges" })
            {
                try
                {
                    using var response = await http.DeleteAsync(new Uri($"api/{kind}/{vhost}/{Uri.EscapeDataString(name)}", UriKind.Relative));
                }
                catch (HttpRequestException ex)
                {
                    log($"could not delete {kind[..^1]} {name}: {ex.Message}");
                }
                catch (TaskCanceledException)
                {
                    log($"could not delete {kind[..^1]} {name}: timed out");
                }
            }
        }

        foreach (var container in containers)
        {
            try
            {
                await container.DeleteIfExistsAsync();
            }
            catch (Azure.RequestFailedException ex)
            {
                log($"could not delete container {container.Name}: {ex.Message}");
            }
        }
    }
}
