using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using ScipixWorker.Cli.Common;
using ScipixWorker.Contracts;
using ScipixWorker.Ocr.Batching;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Cli.Bench;

/// <summary>
/// <c>scipix bench e2e|ceiling|matrix|pipeline|memory</c>: load tests through the real broker and blob store, the in-process
/// ceiling they are compared with, a matrix of both (docs/load-test.md), and the memory of one model run.
/// </summary>
internal static class BenchCommand
{
    private static readonly JsonSerializerOptions ReportJson = new(Json.Options) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Command Create() => new("bench", "Load-test the worker end to end (RabbitMQ + Azurite) and measure the in-process ceiling")
    {
        E2e(),
        Ceiling(),
        Matrix(),
        Pipeline(),
        ActivationMemoryProbe.Create(),
    };

    private sealed class Common
    {
        public Option<string> Set { get; } = new("--set") { Required = true, Description = "Folder with manifest.tsv (as for scipix eval)" };

        public Option<bool> Lines { get; } = new("--lines") { Description = "Every image is a single text line (recognition only)" };

        public Option<bool> Json { get; } = new("--json") { Description = "Print the results as JSON" };

        public Option<double> SecondsPerSize { get; } = new("--seconds-per-size") { Description = "Ceiling: most seconds per batch size (Tesseract: 3x this)", DefaultValueFactory = _ => 10 };
    }

    private sealed class WorkerOptions
    {
        public Option<string?> Worker { get; } = new("--worker") { Description = "Path to ScipixWorker.dll (default: src/ScipixWorker/bin/Release/net10.0 above the working directory)" };

        public Option<string[]> WorkerConfig { get; } = new("--worker-config") { Description = "key=value worker settings (Batching:Mode=static), passed as environment variables", AllowMultipleArgumentsPerToken = true };

        public Option<int> DrainTimeout { get; } = new("--timeout") { Description = "Seconds to wait for the last results after the last publish", DefaultValueFactory = _ => 120 };

        public Option<int?> Warmup { get; } = new("--warmup") { Description = "Unmeasured jobs published first, in a burst: JIT, connections (default 1000 lines or 20 pages); a rate run then offers its rate for 5 s, unmeasured (0: neither)" };

        public Option<double?> JitSettle { get; } = new("--jit-settle")
        {
            Description = "After the warm-up, unmeasured bursts of half its size follow while the worker's JIT took more than this share of the last one's time, "
                + $"at most {JitSettling.MaxRounds} (default {JitSettling.DefaultShare:0.##}, 0 with --warmup given: that many jobs exactly; 0: the warm-up alone)",
        };

        public void AddTo(Command command)
        {
            command.Options.Add(Worker);
            command.Options.Add(WorkerConfig);
            command.Options.Add(DrainTimeout);
            command.Options.Add(Warmup);
            command.Options.Add(JitSettle);
        }

        public string WorkerDll(ParseResult parse) =>
            parse.GetValue(Worker) is { } path ? Path.GetFullPath(path)
            : WorkerProcess.FindWorkerDll() ?? throw new FileNotFoundException("ScipixWorker.dll not found: build it (dotnet build src/ScipixWorker -c Release) or pass --worker.");

        public int? WarmupJobs(ParseResult parse) => parse.GetValue(Warmup) is { } jobs ? Math.Clamp(jobs, 0, 10_000) : null;

        public double? JitSettleShare(ParseResult parse) => parse.GetValue(JitSettle) is { } share ? Math.Clamp(share, 0, 1) : null;

        public Dictionary<string, string> Config(ParseResult parse) => ParseConfig(parse.GetValue(WorkerConfig) ?? []);
    }

    private static Command E2e()
    {
        var common = new Common();
        var worker = new WorkerOptions();
        var rate = new Option<double?>("--rate") { Description = "Offered jobs per second (default 5)" };
        var burst = new Option<int?>("--burst") { Description = "Publish N jobs at once instead of at a rate" };
        var constant = new Option<bool>("--constant") { Description = "Evenly spaced jobs instead of Poisson arrivals" };
        var jobs = new Option<int>("--jobs") { Description = "Most jobs to publish", DefaultValueFactory = _ => 100 };
        var duration = new Option<double>("--duration") { Description = "Most seconds to publish for (a rate run stops at --jobs or here)", DefaultValueFactory = _ => 30 };
        var durableResults = new Option<bool>("--durable-results")
        {
            Description = "Receive the results on a durable queue that outlives a broker restart (deleted 10 minutes after its last use), for outage checks: by default a private queue that a restart deletes, with the results in it",
        };
        var detail = new Option<DetailLevel>("--detail")
        {
            Description = "What the results carry: text (the default), lines, full (with boxes) or words (with each word's box too)",
            DefaultValueFactory = _ => DetailLevel.Text,
        };
        var inline = new Option<bool>("--inline")
        {
            Description = "Send each image in its job message (base64) instead of as a blob: no upload or download a job (the worker takes up to Worker:MaxInlineImageBytes)",
        };
        var command = new Command("e2e", "Start the worker, publish jobs at a rate or in a burst, time each job from publish to its result event")
        {
            common.Set, common.Lines, common.Json, rate, burst, constant, jobs, duration, durableResults, detail, inline,
        };
        worker.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (parse.GetValue(rate) is not null && parse.GetValue(burst) is not null)
            {
                await Console.Error.WriteLineAsync("scipix bench e2e: give --rate or --burst, not both.");
                return 2;
            }

            var burstJobs = parse.GetValue(burst);
            var request = new E2eRequest(
                parse.GetRequiredValue(common.Set),
                parse.GetValue(common.Lines),
                burstJobs is not null ? Arrival.Burst : parse.GetValue(constant) ? Arrival.Constant : Arrival.Poisson,
                parse.GetValue(rate) ?? 5,
                Math.Clamp(burstJobs ?? parse.GetValue(jobs), 1, 100_000),
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(duration), 1, 3600)),
                worker.Config(parse),
                worker.WorkerDll(parse),
                TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(worker.DrainTimeout), 1, 3600)),
                "e2e",
                worker.WarmupJobs(parse),
                worker.JitSettleShare(parse))
            {
                DurableResults = parse.GetValue(durableResults),
                Detail = parse.GetValue(detail),
                Inline = parse.GetValue(inline),
            };
            E2eResult result;
            try
            {
                result = await E2eRunner.RunAsync(request, Log, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                await Console.Error.WriteLineAsync($"scipix bench e2e: {ex.Message}");
                return 1;
            }

            if (parse.GetValue(common.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(result, ReportJson));
            }
            else
            {
                Console.WriteLine(BenchMarkdown.Runs([result], ceiling: null));
            }

            return result.Missing > 0 ? 3 : 0;
        });
        return command;
    }

    private static Command Ceiling()
    {
        var common = new Common();
        var engine = new EngineSettings();
        var tesseract = new Option<int?>("--tesseract-limit") { Description = "Run Tesseract on only the first N images (0: not at all)" };
        var batchSizes = new Option<int[]>("--batch-sizes") { Description = "Batch sizes for lines", DefaultValueFactory = _ => CeilingRunner.LineBatchSizes, AllowMultipleArgumentsPerToken = true };
        var command = new Command("ceiling", "In-process throughput of the engine alone at batch sizes 1-32, and of Tesseract on the same images")
        {
            common.Set, common.Lines, common.Json, common.SecondsPerSize, tesseract, batchSizes,
        };
        engine.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var result = CeilingRunner.Run(parse.GetRequiredValue(common.Set), parse.GetValue(common.Lines), engine.Read(parse), parse.GetValue(tesseract), parse.GetValue(common.SecondsPerSize), Log, cancellationToken, parse.GetValue(batchSizes));
            Console.WriteLine(parse.GetValue(common.Json) ? JsonSerializer.Serialize(result, ReportJson) : BenchMarkdown.Ceiling(result));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Pipeline()
    {
        var common = new Common();
        var engine = new EngineSettings();
        var staticSizes = new Option<int[]>("--static") { Description = "Static batch sizes to run before the adaptive controller (--static 0: none)", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
        var rates = new Option<double[]>("--rates") { Description = "Offered rates (jobs/s, Poisson) to run after the saturated run of each configuration", DefaultValueFactory = _ => [], AllowMultipleArgumentsPerToken = true };
        var concurrency = new Option<int?>("--concurrency") { Description = "Jobs in flight in the saturated runs (default 2 x Batching:Executors x Batching:MaxBatchSize)" };
        var warmup = new Option<double>("--warmup-seconds") { Description = "Unmeasured seconds at the start of each run", DefaultValueFactory = _ => 3 };
        var seconds = new Option<double>("--seconds") { Description = "Measured seconds of each run", DefaultValueFactory = _ => 10 };
        var maxBatch = new Option<int?>("--max-batch") { Description = "Largest batch the controller may choose (Batching:MaxBatchSize)" };
        var executors = new Option<int?>("--executors") { Description = "Recognition batches run at once (Batching:Executors)" };
        var command = new Command("pipeline", "The worker's recognition pipeline in-process (no broker, no storage): static batch sizes and the adaptive controller, saturated and at given rates")
        {
            common.Set, common.Lines, common.Json, staticSizes, rates, concurrency, warmup, seconds, maxBatch, executors,
        };
        engine.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var batching = EngineSettings.Configuration().GetSection(BatchingOptions.SectionName).Get<BatchingOptions>() ?? new BatchingOptions();
            batching.MaxBatchSize = parse.GetValue(maxBatch) ?? batching.MaxBatchSize;
            batching.Executors = parse.GetValue(executors) ?? batching.Executors;
            var result = PipelineRunner.Run(
                parse.GetRequiredValue(common.Set),
                parse.GetValue(common.Lines),
                engine.Read(parse),
                batching,
                (parse.GetValue(staticSizes) ?? []).Where(size => size > 0).ToList(),
                parse.GetValue(rates) ?? [],
                parse.GetValue(concurrency),
                TimeSpan.FromSeconds(parse.GetValue(warmup)),
                TimeSpan.FromSeconds(parse.GetValue(seconds)),
                Log,
                cancellationToken);
            Console.WriteLine(parse.GetValue(common.Json) ? JsonSerializer.Serialize(result, ReportJson) : BenchMarkdown.Pipeline(result));
            return Task.FromResult(0);
        });
        return command;
    }

    private static Command Matrix()
    {
        var common = new Common();
        var worker = new WorkerOptions();
        var engine = new EngineSettings();
        var fractions = new Option<double[]>("--rates") { Description = "Offered rates as fractions of the measured ceiling", DefaultValueFactory = _ => [0.2, 0.6, 1.5], AllowMultipleArgumentsPerToken = true };
        var staticSizes = new Option<int[]>("--static") { Description = "Static batch sizes to run", DefaultValueFactory = _ => [1, 8, 32], AllowMultipleArgumentsPerToken = true };
        var runSeconds = new Option<double>("--run-seconds") { Description = "Seconds of publishing per run", DefaultValueFactory = _ => 10 };
        var maxJobs = new Option<int>("--max-jobs") { Description = "Most jobs per run", DefaultValueFactory = _ => 200 };
        var tesseract = new Option<int?>("--tesseract-limit") { Description = "Images for the Tesseract comparison", DefaultValueFactory = _ => 100 };
        var rounds = new Option<int>("--rounds")
        {
            Description = "Runs of every configuration at every rate, alternating (the order turns by one each round); the summary table gives medians",
            DefaultValueFactory = _ => 1,
        };
        var command = new Command("matrix", "The ceiling, then e2e runs for static batch sizes and adaptive batching at rates derived from it, alternating; markdown tables")
        {
            common.Set, common.Lines, common.Json, common.SecondsPerSize, fractions, staticSizes, runSeconds, maxJobs, tesseract, rounds,
        };
        worker.AddTo(command);
        engine.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var set = parse.GetRequiredValue(common.Set);
            var lines = parse.GetValue(common.Lines);
            var workerDll = worker.WorkerDll(parse);
            var extra = worker.Config(parse);
            var ceiling = CeilingRunner.Run(set, lines, engine.Read(parse), parse.GetValue(tesseract), parse.GetValue(common.SecondsPerSize), Log, cancellationToken);
            var best = ceiling.Best.ImagesPerSecond;
            var configs = MatrixConfigs(parse.GetValue(staticSizes) ?? [], extra);
            var roundCount = Math.Max(1, parse.GetValue(rounds));
            var results = new List<E2eResult>();

            // Rate by rate, the configurations one after another: the runs compared with each other are minutes apart, not
            // a whole matrix apart, on a machine whose load drifts.
            foreach (var fraction in parse.GetValue(fractions) ?? [])
            {
                var rate = Math.Max(0.1, best * fraction);
                var jobs = (int)Math.Clamp(rate * parse.GetValue(runSeconds), 10, Math.Max(10, parse.GetValue(maxJobs)));
                for (var round = 0; round < roundCount; round++)
                {
                    foreach (var (label, config) in MatrixSummary.Rotation(configs, round))
                    {
                        Log(string.Create(CultureInfo.InvariantCulture, $"matrix: {label} at {fraction:P0} of the ceiling ({rate:F1}/s, {jobs} jobs), round {round + 1} of {roundCount}"));
                        var request = new E2eRequest(set, lines, Arrival.Poisson, rate, jobs, TimeSpan.FromSeconds(Math.Max(1, parse.GetValue(runSeconds)) * 3), config, workerDll,
                            TimeSpan.FromSeconds(Math.Clamp(parse.GetValue(worker.DrainTimeout), 1, 3600)), label, worker.WarmupJobs(parse), worker.JitSettleShare(parse));
                        try
                        {
                            results.Add(await E2eRunner.RunAsync(request, Log, cancellationToken));
                        }
                        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
                        {
                            Log($"matrix: {label} at {fraction:P0} failed: {ex.Message}");
                        }
                    }
                }
            }

            var summary = MatrixSummary.Summarize(results);
            if (parse.GetValue(common.Json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new { ceiling, runs = results, summary }, ReportJson));
                return 0;
            }

            Console.WriteLine(BenchMarkdown.Ceiling(ceiling));
            var engineBest = ceiling.EngineBest.ImagesPerSecond;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"End to end, {ceiling.Set} ({ceiling.Mode}); % of ceiling = throughput / {best:F1} images/s ({ceiling.Best.Engine}), % of engine = throughput / {engineBest:F1} images/s:"));
            Console.WriteLine();
            Console.WriteLine(BenchMarkdown.Runs(results, best, engineBest));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Medians over {roundCount} round(s); against the best static size at each rate (throughput) and static 1 (p50):"));
            Console.WriteLine();
            Console.WriteLine(BenchMarkdown.Summary(summary));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The matrix's worker configurations. A static size N is the well-tuned static worker: recognizer calls of N
    /// (Batching:*) fed by MassTransit deliveries of N jobs, two at a time (Worker:MaxBatchSize, ConcurrentBatches;
    /// the prefetch 2N), the baseline every matrix so far ran; and the memory budget off (Ocr:MemoryBudgetMegabytes=0),
    /// which would otherwise cap batches of wide crops: a static size is the baseline exactly as configured. The
    /// adaptive run is the worker's defaults.
    /// </summary>
    internal static IReadOnlyList<(string Label, Dictionary<string, string> Config)> MatrixConfigs(IEnumerable<int> staticSizes, IReadOnlyDictionary<string, string> extra)
    {
        var configs = new List<(string, Dictionary<string, string>)>();
        foreach (var size in staticSizes)
        {
            var value = size.ToString(CultureInfo.InvariantCulture);
            configs.Add(($"static {size}", With(extra, ("Batching:Mode", "static"), ("Batching:StaticBatchSize", value), ("Worker:MaxBatchSize", value), ("Worker:ConcurrentBatches", "2"), ("Ocr:MemoryBudgetMegabytes", "0"))));
        }

        configs.Add(("adaptive", With(extra, ("Batching:Mode", "adaptive"))));
        return configs;
    }

    internal static Dictionary<string, string> ParseConfig(IEnumerable<string> pairs)
    {
        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--worker-config expects key=value, got '{pair}'.");
            }

            config[pair[..equals].Trim()] = pair[(equals + 1)..].Trim();
        }

        return config;
    }

    private static Dictionary<string, string> With(IReadOnlyDictionary<string, string> extra, params (string Key, string Value)[] settings)
    {
        var config = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        foreach (var (key, value) in extra)
        {
            config[key] = value;
        }

        return config;
    }

    private static void Log(string message) => Console.Error.WriteLine($"{DateTime.UtcNow:HH:mm:ss} {message}");
}
