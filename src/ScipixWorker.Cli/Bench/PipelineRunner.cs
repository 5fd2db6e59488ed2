using System.Collections.Concurrent;
using System.Diagnostics;
using ScipixWorker.Cli.Common;
using ScipixWorker.Cli.Eval;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Bench;

/// <summary>One load level of one batching configuration, in-process.</summary>
/// <param name="Label">static N or adaptive.</param>
/// <param name="Offered">saturated (closed loop) or Poisson at a rate.</param>
/// <param name="Jobs">Jobs that finished inside the measured window.</param>
/// <param name="Lines">Lines those jobs recognized.</param>
/// <param name="Seconds">The measured window.</param>
/// <param name="Unfinished">Jobs still waiting when the drain limit after the window ran out (an offered rate above what the
/// configuration sustains), cancelled and left out of the latencies.</param>
/// <param name="MeanBatchSize">Crops per recognizer call, weighted by crops: the batch size a line met.</param>
/// <param name="CommonSizes">The batch sizes that carried most crops, with their shares.</param>
/// <param name="Reasons">Why the batches were taken (the controller's reasons, or static), with their shares.</param>
/// <param name="MeanExecutionMs">Mean time of a recognizer call.</param>
/// <param name="CpuCores">Process CPU time over the window, in cores.</param>
/// <param name="PeakRssBytes">Largest resident set sampled in the window.</param>
internal sealed record PipelineRun(
    string Label,
    string Offered,
    int Jobs,
    int Lines,
    double Seconds,
    double P50Ms,
    double P95Ms,
    double P99Ms,
    int Failed,
    int Unfinished,
    int Batches,
    double MeanBatchSize,
    string CommonSizes,
    string Reasons,
    double MeanExecutionMs,
    double CpuCores,
    long PeakRssBytes)
{
    public double LinesPerSecond => Seconds > 0 ? Lines / Seconds : 0;

    public double JobsPerSecond => Seconds > 0 ? Jobs / Seconds : 0;
}

/// <summary>Every run of one <c>scipix bench pipeline</c>.</summary>
internal sealed record PipelineResult(
    string Set, string Mode, string Engine, int Executors, int IntraOpThreads, int MaxBatchSize, int Concurrency, string ConvAlgoSearch, IReadOnlyList<PipelineRun> Runs, string LoadAverage);

/// <summary>
/// The worker's recognition pipeline in-process, with no broker or storage: jobs call
/// <see cref="OcrEngine.RecognizeAsync(ReadOnlyMemory{byte}, OcrMode, CancellationToken, CancellationToken)"/> as the
/// worker's consumers do (decode and pre-processing on the caller, crops of all jobs into the shared width-bucketed
/// scheduler, the recognizer, CTC decoding), once per batching configuration: static sizes and the adaptive
/// controller, on the same engine settings and images. Saturated runs keep a fixed number of jobs in flight
/// (closed loop); rate runs offer Poisson arrivals (open loop). What it answers that <c>scipix bench ceiling</c>
/// does not: what the scheduler and the controller make of the hardware they are on, CPU or CUDA.
/// </summary>
internal static class PipelineRunner
{
    public static PipelineResult Run(
        string setDirectory,
        bool lines,
        OcrEngineOptions options,
        BatchingOptions batching,
        IReadOnlyList<int> staticSizes,
        IReadOnlyList<double> rates,
        int? concurrency,
        TimeSpan warmup,
        TimeSpan window,
        Action<string> log,
        CancellationToken cancellationToken)
    {
        var images = Manifest.Read(setDirectory, limit: null).Select(i => (ReadOnlyMemory<byte>)File.ReadAllBytes(i.ImagePath)).ToArray();
        if (images.Length == 0)
        {
            throw new InvalidOperationException($"{setDirectory}: the manifest lists no images.");
        }

        options.ShareCoresAmong(batching.Executors); // as the worker does (JobsHostingExtensions)

        var inFlight = concurrency ?? DefaultConcurrency(batching);
        var mode = lines ? OcrMode.SingleLine : OcrMode.Full;
        var loadBefore = E2eRunner.LoadAverage();
        var runs = new List<PipelineRun>();
        var engineLabel = string.Empty;
        foreach (var (label, config) in Configs(batching, staticSizes))
        {
            var observer = new BatchLog();
            using (var engine = new OcrEngine(options, StderrLogger<OcrEngine>.Instance, config, observer))
            {
                var warm = engine.WarmUp(cancellationToken);
                engineLabel = $"scipix {engine.Model.Recognizer} ({engine.Model.Precision}, {engine.Model.ExecutionProvider})";
                log($"pipeline: {label}: engine warm in {warm.TotalSeconds:F1} s ({engineLabel})");

                var run = Measure(engine, images, mode, label, rate: null, inFlight, warmup, window, observer, cancellationToken);
                log($"pipeline: {label}, saturated: {run.LinesPerSecond:F1} lines/s, p50 {run.P50Ms:F0} ms, mean batch {run.MeanBatchSize:F1}");
                runs.Add(run);
                foreach (var rate in rates)
                {
                    run = Measure(engine, images, mode, label, rate, inFlight, warmup, window, observer, cancellationToken);
                    log($"pipeline: {label}, {rate:0.#}/s: {run.LinesPerSecond:F1} lines/s, p50 {run.P50Ms:F0} ms, mean batch {run.MeanBatchSize:F1}");
                    runs.Add(run);
                }
            }

            // The next configuration's resident set should not hold this engine's garbage.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        return new PipelineResult(
            Path.GetFileName(Path.GetFullPath(setDirectory).TrimEnd('/')),
            lines ? "lines" : "pages",
            engineLabel,
            batching.Executors,
            options.IntraOpThreads,
            batching.MaxBatchSize,
            inFlight,
            options.CudnnConvAlgoSearch.ToString(),
            runs,
            $"{loadBefore} -> {E2eRunner.LoadAverage()}");
    }

    /// <summary>How long a run waits for its last jobs after the window: the window's length, at least 5 s.</summary>
    internal static TimeSpan DrainLimit(TimeSpan window) => window > TimeSpan.FromSeconds(5) ? window : TimeSpan.FromSeconds(5);

    /// <summary>Enough jobs in flight that every executor can always take a full batch of the largest size, with as many queued behind.</summary>
    internal static int DefaultConcurrency(BatchingOptions batching) => 2 * batching.Executors * batching.MaxBatchSize;

    /// <summary>Static sizes first, then the adaptive controller, each on a copy of <paramref name="batching"/>.</summary>
    internal static IEnumerable<(string Label, BatchingOptions Options)> Configs(BatchingOptions batching, IEnumerable<int> staticSizes)
    {
        foreach (var size in staticSizes)
        {
            var config = Copy(batching);
            config.Mode = BatchingMode.Static;
            config.StaticBatchSize = size;
            yield return ($"static {size}", config);
        }

        var adaptive = Copy(batching);
        adaptive.Mode = BatchingMode.Adaptive;
        yield return ("adaptive", adaptive);
    }

    internal static BatchingOptions Copy(BatchingOptions source) => new()
    {
        Mode = source.Mode,
        StaticBatchSize = source.StaticBatchSize,
        Executors = source.Executors,
        QueueCapacity = source.QueueCapacity,
        MinBatchSize = source.MinBatchSize,
        MaxBatchSize = source.MaxBatchSize,
        LatencyObjective = source.LatencyObjective,
        MaxWait = source.MaxWait,
        Headroom = source.Headroom,
        Smoothing = source.Smoothing,
        ExploreInterval = source.ExploreInterval,
        BehindWait = source.BehindWait,
        Hysteresis = source.Hysteresis,
    };

    /// <summary>
    /// Runs jobs for <paramref name="warmup"/> unmeasured, then for <paramref name="window"/>: saturated (<paramref name="rate"/>
    /// null: <paramref name="inFlight"/> callers, each starting its next job when the last finishes) or Poisson arrivals at
    /// <paramref name="rate"/> jobs/s. Throughput counts the jobs that finished inside the window, latency those that started in
    /// it (waiting for them to finish, at most <see cref="DrainLimit"/>: a rate beyond what the configuration sustains builds a
    /// backlog that is cancelled then and counted as unfinished), batches those that finished in it.
    /// </summary>
    private static PipelineRun Measure(
        OcrEngine engine,
        ReadOnlyMemory<byte>[] images,
        OcrMode mode,
        string label,
        double? rate,
        int inFlight,
        TimeSpan warmup,
        TimeSpan window,
        BatchLog batches,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        double Now() => Stopwatch.GetElapsedTime(started).TotalSeconds;
        var from = warmup.TotalSeconds;
        var to = from + window.TotalSeconds;
        var latencies = new ConcurrentQueue<double>();
        var jobs = 0;
        var lines = 0;
        var failed = 0;
        var unfinished = 0;
        var next = -1;
        using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        drain.CancelAfter(TimeSpan.FromSeconds(to) + DrainLimit(window));

        async Task One(int index, double issued)
        {
            var image = images[index % images.Length];
            int count;
            try
            {
                var document = await engine.RecognizeAsync(image, mode, drain.Token);
                count = document.Pages.Sum(p => p.Lines.Count);
            }
            catch (OcrException)
            {
                Interlocked.Increment(ref failed);
                return;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                Interlocked.Increment(ref unfinished);
                return;
            }

            var done = Now();
            if (done >= from && done < to)
            {
                Interlocked.Increment(ref jobs);
                Interlocked.Add(ref lines, count);
            }

            if (issued >= from && issued < to)
            {
                latencies.Enqueue((done - issued) * 1000);
            }
        }

        using var sampler = new ProcessSampler(from, to, Now);
        Task load;
        if (rate is { } perSecond)
        {
            var offsets = RateSchedule.Create(Arrival.Poisson, perSecond, int.MaxValue, TimeSpan.FromSeconds(to));
            load = Task.Run(
                async () =>
                {
                    var running = new List<Task>(offsets.Count);
                    foreach (var offset in offsets)
                    {
                        var wait = offset.TotalSeconds - Now();
                        if (wait > 0.002)
                        {
                            await Task.Delay(TimeSpan.FromSeconds(wait), cancellationToken);
                        }

                        var index = Interlocked.Increment(ref next);
                        var issued = Now();
                        running.Add(Task.Run(() => One(index, issued), cancellationToken));
                    }

                    await Task.WhenAll(running);
                },
                cancellationToken);
        }
        else
        {
            load = Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(
                async () =>
                {
                    while (Now() < to)
                    {
                        await One(Interlocked.Increment(ref next), Now());
                    }
                },
                cancellationToken)));
        }

        load.GetAwaiter().GetResult();
        var (cpu, peakRss) = sampler.Result();
        var measured = batches.Between(started, from, to);
        var crops = measured.Sum(b => (long)b.Size);
        var (p50, p95, p99) = LatencyStats.Summarize(latencies);
        return new PipelineRun(
            label,
            rate is { } r ? $"poisson {r:0.#}/s" : $"saturated, {inFlight} in flight",
            jobs,
            lines,
            window.TotalSeconds,
            p50,
            p95,
            p99,
            failed,
            unfinished,
            measured.Count,
            crops > 0 ? measured.Sum(b => (double)b.Size * b.Size) / crops : 0,
            CommonSizes(measured, crops),
            Reasons(batches.DecisionsBetween(started, from, to)),
            measured.Count > 0 ? measured.Average(b => b.ExecutionMs) : 0,
            cpu,
            peakRss);
    }

    /// <summary>The three batch sizes that carried most crops: "32: 81 %, 31: 6 %, ...".</summary>
    internal static string CommonSizes(IReadOnlyList<BatchLog.Entry> batches, long crops) =>
        crops == 0
            ? "-"
            : string.Join(", ", batches
                .GroupBy(b => b.Size)
                .Select(g => (Size: g.Key, Crops: g.Sum(b => (long)b.Size)))
                .OrderByDescending(g => g.Crops)
                .ThenByDescending(g => g.Size)
                .Take(3)
                .Select(g => FormattableString.Invariant($"{g.Size}: {100.0 * g.Crops / crops:F0} %")));

    /// <summary>The reasons behind <paramref name="decisions"/>, most frequent first: "Saturated 90 %, Explore 6 %".</summary>
    internal static string Reasons(IReadOnlyList<BatchReason> decisions) =>
        decisions.Count == 0
            ? "-"
            : string.Join(", ", decisions
                .GroupBy(r => r)
                .OrderByDescending(g => g.Count())
                .ThenBy(g => g.Key)
                .Select(g => FormattableString.Invariant($"{g.Key} {100.0 * g.Count() / decisions.Count:F0} %")));

    /// <summary>Every decision and recognizer call of the scheduler, stamped when it was made or completed.</summary>
    internal sealed class BatchLog : IRecognitionObserver
    {
        private readonly ConcurrentQueue<Entry> _entries = new();
        private readonly ConcurrentQueue<(long Timestamp, BatchReason Reason)> _decisions = new();

        public void BatchDecided(BatchDecision decision, int queueDepth) =>
            _decisions.Enqueue((Stopwatch.GetTimestamp(), decision.Reason));

        /// <summary>The reasons of the decisions made between <paramref name="from"/> and <paramref name="to"/> seconds after <paramref name="origin"/>.</summary>
        public IReadOnlyList<BatchReason> DecisionsBetween(long origin, double from, double to) =>
            _decisions.Where(d => Within(origin, d.Timestamp, from, to)).Select(d => d.Reason).ToList();

        private static bool Within(long origin, long timestamp, double from, double to)
        {
            var at = Stopwatch.GetElapsedTime(origin, timestamp).TotalSeconds;
            return timestamp >= origin && at >= from && at < to;
        }

        public void BatchCompleted(RecognitionBatch batch) =>
            _entries.Enqueue(new Entry(Stopwatch.GetTimestamp(), batch.Size, batch.Execution.TotalMilliseconds));

        /// <summary>The calls that completed between <paramref name="from"/> and <paramref name="to"/> seconds after <paramref name="origin"/>.</summary>
        public IReadOnlyList<Entry> Between(long origin, double from, double to) =>
            _entries.Where(e => Within(origin, e.Timestamp, from, to)).ToList();

        internal readonly record struct Entry(long Timestamp, int Size, double ExecutionMs);
    }

    /// <summary>Samples this process's CPU time at the window's edges and its resident set inside it (every 50 ms).</summary>
    private sealed class ProcessSampler : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task<(double Cores, long PeakRss)> _task;

        public ProcessSampler(double from, double to, Func<double> now)
        {
            _task = Task.Run(async () =>
            {
                using var process = Process.GetCurrentProcess();
                while (now() < from)
                {
                    await Task.Delay(10, _stop.Token);
                }

                process.Refresh();
                var cpuFrom = process.TotalProcessorTime;
                var wallFrom = now();
                long peak = 0;
                while (now() < to && !_stop.IsCancellationRequested)
                {
                    process.Refresh();
                    peak = Math.Max(peak, process.WorkingSet64);
                    await Task.Delay(50, CancellationToken.None);
                }

                process.Refresh();
                return ((process.TotalProcessorTime - cpuFrom).TotalSeconds / Math.Max(1e-9, now() - wallFrom), peak);
            });
        }

        public (double Cores, long PeakRss) Result()
        {
            try
            {
                return _task.GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                return (0, 0);
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _stop.Dispose();
        }
    }
}
