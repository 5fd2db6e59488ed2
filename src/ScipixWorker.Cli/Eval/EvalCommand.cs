using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ScipixWorker.Cli.Bench;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Cli.Eval;

/// <summary>
/// <c>scipix eval &lt;set-dir&gt;</c>: runs a set (manifest.tsv: image, ground-truth file, nchars) and
/// reports CER, WER, mean confidence and latency. <c>--engine tesseract</c> scores Tesseract the same way.
/// </summary>
internal static class EvalCommand
{
    public static Command Create()
    {
        var set = new Argument<string>("set-dir") { Description = "Folder with manifest.tsv (image<TAB>ground_truth<TAB>nchars, header row)" };
        var lines = new Option<bool>("--lines") { Description = "Recognition only: every image is a single text line" };
        var caseInsensitive = new Option<bool>("--case-insensitive") { Description = "Compare case-insensitively (SROIE ground truth is upper case)" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object (cer, wer, images, ms_median, ms_p95, ...)" };
        var limit = new Option<int?>("--limit") { Description = "Only the first N items" };
        var engineName = new Option<string>("--engine") { Description = "scipix (default) or tesseract (needs tesseract on PATH)", DefaultValueFactory = _ => "scipix" };
        engineName.AcceptOnlyFromAmong("scipix", "tesseract");
        var errors = new Option<bool>("--show-errors") { Description = "Print each item whose text differs" };
        var batch = new Option<int>("--batch") { Description = "With --lines: recognize this many images per call (sorted by width, as PaddleOCR batches)", DefaultValueFactory = _ => 1 };
        var gate = new Option<bool>("--gate")
        {
            Description = "Accuracy gate: run FP32 and the variant named by --precision/--<model>-precision side by side, " +
                "print both CERs, the relative delta and the speed ratio; exit code 1 unless the variant's CER is within 5% (relative) of FP32's",
        };
        var record = new Option<bool>("--record") { Description = "With --gate: write the result into the variant's entry in models/variants.json" };
        var settings = new EngineSettings();
        var command = new Command("eval", "Measure CER/WER and speed on a ground-truth set") { set, lines, caseInsensitive, json, limit, engineName, errors, batch, gate, record };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            try
            {
                return Task.FromResult(Execute(parse, cancellationToken));
            }
            catch (PrecisionConfigurationException ex)
            {
                Console.Error.WriteLine($"scipix eval: {ex.Message}");
                return Task.FromResult(2);
            }
        });
        return command;

        int Execute(ParseResult parse, CancellationToken cancellationToken)
        {
            var items = Manifest.Read(parse.GetRequiredValue(set), parse.GetValue(limit));
            var mode = parse.GetValue(lines) ? OcrMode.SingleLine : OcrMode.Full;
            var setName = Path.GetFileName(Path.GetFullPath(parse.GetRequiredValue(set)).TrimEnd('/'));
            if (parse.GetValue(record) && !parse.GetValue(gate))
            {
                Console.Error.WriteLine("scipix eval: --record needs --gate (it records the gate's result).");
                return 2;
            }

            if (parse.GetValue(gate))
            {
                var gateOptions = settings.Read(parse);
                gateOptions.AllowUngatedVariants = true;
                var gateBatch = mode == OcrMode.SingleLine ? Math.Max(1, parse.GetValue(batch)) : 1;
                gateOptions.RecognizerBatchSize = Math.Max(gateOptions.RecognizerBatchSize, gateBatch);
                return GateRun.Run(gateOptions, items, setName, mode, parse.GetValue(caseInsensitive), gateBatch,
                    parse.GetValue(json), parse.GetValue(record), cancellationToken);
            }

            Func<IReadOnlyList<ManifestItem>, IReadOnlyList<ItemReading>> recognize;
            OcrEngine? engine = null;
            string engineLabel;
            var chunk = 1;
            if (parse.GetValue(engineName) == "tesseract")
            {
                recognize = chunkItems => [new ItemReading(Tesseract.Recognize(chunkItems[0].ImagePath, mode), float.NaN)];
                engineLabel = $"tesseract {Tesseract.Version()} (--psm {(mode == OcrMode.SingleLine ? 7 : 4)}, OMP_THREAD_LIMIT=1)";
            }
            else
            {
                var options = settings.Read(parse);
                // eval is how variants are measured before they are gated: it may run them (and says so).
                options.AllowUngatedVariants = true;
                chunk = mode == OcrMode.SingleLine ? Math.Max(1, parse.GetValue(batch)) : 1;
                options.RecognizerBatchSize = Math.Max(options.RecognizerBatchSize, chunk);
                engine = new OcrEngine(options);
                engine.WarmUp(cancellationToken);
                recognize = chunkItems => Recognize(engine, chunkItems, mode, cancellationToken);
                engineLabel = $"scipix {engine.Model.Recognizer} ({engine.Model.PrecisionSummary}, {engine.Model.ExecutionProvider})";
                foreach (var choice in engine.Model.Choices.Where(c => c.Reason.Contains("UNGATED", StringComparison.Ordinal)))
                {
                    Console.Error.WriteLine($"note: {choice.Role} {choice.Reason}");
                }
            }

            using (engine)
            {
                var report = Evaluate(items, chunk, recognize, parse.GetValue(caseInsensitive), parse.GetValue(errors), cancellationToken);
                Print(report with { Engine = engineLabel, Set = setName, Mode = mode.ToString() }, parse.GetValue(json));
            }

            return 0;
        }
    }

    internal static IReadOnlyList<ItemReading> Recognize(OcrEngine engine, IReadOnlyList<ManifestItem> items, OcrMode mode, CancellationToken cancellationToken)
    {
        if (items.Count > 1)
        {
            var lines = engine.RecognizeLines(items.Select(i => (ReadOnlyMemory<byte>)File.ReadAllBytes(i.ImagePath)).ToList(), cancellationToken);
            return lines.Select(l => l.Line is { } line ? new ItemReading(line.Text, line.Confidence) : ItemReading.Failure(l.Error is { } e ? $"{e.Code}: {e.Message}" : null)).ToList();
        }

        try
        {
            var document = engine.Recognize(File.ReadAllBytes(items[0].ImagePath), mode, cancellationToken);
            var all = document.Pages.SelectMany(p => p.Lines).ToList();
            return [new ItemReading(document.Text, all.Count == 0 ? 0f : all.Average(l => l.Confidence))];
        }
        catch (OcrException ex)
        {
            // An image the engine refuses (too large, corrupt, unsupported) is counted as read empty: the set goes on.
            return [ItemReading.Failure($"{ex.Code}: {ex.Message}")];
        }
    }

    /// <summary>
    /// Scores <paramref name="items"/>, <paramref name="chunk"/> at a time through <paramref name="recognize"/>. An item
    /// that failed is scored as read empty (all its characters deleted) and named on standard error.
    /// </summary>
    internal static EvalReport Evaluate(IReadOnlyList<ManifestItem> items, int chunk, Func<IReadOnlyList<ManifestItem>, IReadOnlyList<ItemReading>> recognize,
        bool caseInsensitive, bool showErrors, CancellationToken cancellationToken)
    {
        long charErrors = 0, chars = 0, wordErrors = 0, words = 0, bagErrors = 0, bagChars = 0;
        var exact = 0;
        var failed = 0;
        var confidences = new List<double>();
        var latencies = new List<double>();
        var progress = new Progress("eval", items.Count);
        for (var start = 0; start < items.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var chunkItems = items.Skip(start).Take(chunk).ToList();
            var started = Stopwatch.GetTimestamp();
            var results = recognize(chunkItems);
            var perItem = Stopwatch.GetElapsedTime(started).TotalMilliseconds / chunkItems.Count;
            for (var k = 0; k < chunkItems.Count; k++)
            {
                var item = chunkItems[k];
                var (hypothesis, confidence, error) = results[k];
                latencies.Add(perItem);
                if (error is not null)
                {
                    failed++;
                    Console.Error.WriteLine($"scipix eval: {Path.GetFileName(item.ImagePath)}: {error}");
                }
                else if (!float.IsNaN(confidence))
                {
                    confidences.Add(confidence);
                }

                var reference = TextMetrics.Normalize(item.GroundTruth, caseInsensitive);
                var hyp = TextMetrics.Normalize(hypothesis, caseInsensitive);
                var ce = TextMetrics.CharacterErrors(reference, hyp);
                charErrors += ce;
                chars += reference.Length;
                wordErrors += TextMetrics.WordErrors(reference, hyp);
                words += TextMetrics.Words(reference).Length;
                var bagReference = TextMetrics.BagOfLines(item.GroundTruth, caseInsensitive);
                bagErrors += TextMetrics.CharacterErrors(bagReference, TextMetrics.BagOfLines(hypothesis, caseInsensitive));
                bagChars += bagReference.Length;
                if (ce == 0)
                {
                    exact++;
                }
                else if (showErrors)
                {
                    Console.Error.WriteLine($"{Path.GetFileName(item.ImagePath)}\tgt: {reference}\n{new string(' ', Path.GetFileName(item.ImagePath).Length)}\tgot: {hyp}");
                }
            }

            progress.Report(Math.Min(items.Count, start + chunk));
        }

        latencies.Sort();
        return new EvalReport
        {
            Images = items.Count,
            Failed = failed,
            Characters = chars,
            Cer = chars == 0 ? 0 : (double)charErrors / chars,
            Wer = words == 0 ? 0 : (double)wordErrors / words,
            BagOfLinesCer = bagChars == 0 ? 0 : (double)bagErrors / bagChars,
            ExactMatch = items.Count == 0 ? 0 : (double)exact / items.Count,
            MeanConfidence = confidences.Count == 0 ? null : confidences.Average(),
            MsMedian = LatencyStats.Percentile(latencies, 0.5),
            MsP95 = LatencyStats.Percentile(latencies, 0.95),
            MsMean = latencies.Count == 0 ? 0 : latencies.Average(),
        };
    }

    private static void Print(EvalReport report, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, EvalReport.JsonOptions));
            return;
        }

        Console.WriteLine($"set:              {report.Set} ({report.Mode}, {report.Images} images, {report.Characters} chars)");
        Console.WriteLine($"engine:           {report.Engine}");
        if (report.Failed > 0)
        {
            Console.WriteLine($"failed:           {report.Failed} (scored as read empty; the reasons are on standard error)");
        }

        Console.WriteLine($"CER:              {report.Cer:P2}");
        Console.WriteLine($"WER:              {report.Wer:P2}");
        Console.WriteLine($"bag-of-lines CER: {report.BagOfLinesCer:P2}");
        Console.WriteLine($"exact match:      {report.ExactMatch:P1}");
        Console.WriteLine($"mean confidence:  {(report.MeanConfidence is { } c ? c.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}");
        Console.WriteLine($"ms/image:         median {report.MsMedian:F1}, p95 {report.MsP95:F1}, mean {report.MsMean:F1}");
    }
}

/// <summary>
/// What the engine read for one item of a set: its text and mean confidence (NaN where the engine gives none), or the
/// reason it failed (<see cref="Error"/> not null; the text is then empty).
/// </summary>
internal readonly record struct ItemReading(string Text, float Confidence, string? Error = null)
{
    public static ItemReading Failure(string? reason) => new(string.Empty, float.NaN, reason ?? "failed");
}
