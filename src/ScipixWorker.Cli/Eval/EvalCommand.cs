using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using ScipixWorker.Cli.Common;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Evaluation;

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
        var settings = new EngineSettings();
        var command = new Command("eval", "Measure CER/WER and speed on a ground-truth set") { set, lines, caseInsensitive, json, limit, engineName, errors };
        settings.AddTo(command);
        command.SetAction((parse, cancellationToken) =>
        {
            var items = Manifest.Read(parse.GetRequiredValue(set), parse.GetValue(limit));
            var mode = parse.GetValue(lines) ? OcrMode.SingleLine : OcrMode.Full;
            Func<byte[], string, (string Text, float Confidence)> recognize;
            OcrEngine? engine = null;
            string engineLabel;
            if (parse.GetValue(engineName) == "tesseract")
            {
                recognize = (_, path) => (Tesseract.Recognize(path, mode), float.NaN);
                engineLabel = $"tesseract {Tesseract.Version()} (--psm {(mode == OcrMode.SingleLine ? 7 : 4)}, OMP_THREAD_LIMIT=1)";
            }
            else
            {
                engine = new OcrEngine(settings.Read(parse));
                engine.WarmUp(cancellationToken);
                recognize = (bytes, _) =>
                {
                    var document = engine.Recognize(bytes, mode, cancellationToken);
                    var all = document.Pages.SelectMany(p => p.Lines).ToList();
                    return (document.Text, all.Count == 0 ? 0f : all.Average(l => l.Confidence));
                };
                engineLabel = $"scipix {engine.Model.Recognizer} ({engine.Model.Precision}, {engine.Model.ExecutionProvider})";
            }

            using (engine)
            {
                var report = Evaluate(items, recognize, parse.GetValue(caseInsensitive), parse.GetValue(errors), cancellationToken);
                Print(report with { Engine = engineLabel, Set = Path.GetFileName(Path.GetFullPath(parse.GetRequiredValue(set)).TrimEnd('/')), Mode = mode.ToString() }, parse.GetValue(json));
            }

            return Task.FromResult(0);
        });
        return command;
    }

    private static EvalReport Evaluate(IReadOnlyList<ManifestItem> items, Func<byte[], string, (string Text, float Confidence)> recognize,
        bool caseInsensitive, bool showErrors, CancellationToken cancellationToken)
    {
        long charErrors = 0, chars = 0, wordErrors = 0, words = 0, bagErrors = 0, bagChars = 0;
        var exact = 0;
        var confidences = new List<double>();
        var latencies = new List<double>();
        var progress = new Progress("eval", items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var item = items[i];
            var bytes = File.ReadAllBytes(item.ImagePath);
            var started = Stopwatch.GetTimestamp();
            var (hypothesis, confidence) = recognize(bytes, item.ImagePath);
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!float.IsNaN(confidence))
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

            progress.Report(i + 1);
        }

        latencies.Sort();
        return new EvalReport
        {
            Images = items.Count,
            Characters = chars,
            Cer = chars == 0 ? 0 : (double)charErrors / chars,
            Wer = words == 0 ? 0 : (double)wordErrors / words,
            BagOfLinesCer = bagChars == 0 ? 0 : (double)bagErrors / bagChars,
            ExactMatch = items.Count == 0 ? 0 : (double)exact / items.Count,
            MeanConfidence = confidences.Count == 0 ? null : confidences.Average(),
            MsMedian = Percentile(latencies, 0.5),
            MsP95 = Percentile(latencies, 0.95),
            MsMean = latencies.Count == 0 ? 0 : latencies.Average(),
        };
    }

    internal static double Percentile(List<double> sorted, double p)
    {
        if (sorted.Count == 0)
        {
            return 0;
        }

        var rank = p * (sorted.Count - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
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
        Console.WriteLine($"CER:              {report.Cer:P2}");
        Console.WriteLine($"WER:              {report.Wer:P2}");
        Console.WriteLine($"bag-of-lines CER: {report.BagOfLinesCer:P2}");
        Console.WriteLine($"exact match:      {report.ExactMatch:P1}");
        Console.WriteLine($"mean confidence:  {(report.MeanConfidence is { } c ? c.ToString("F3", System.Globalization.CultureInfo.InvariantCulture) : "n/a")}");
        Console.WriteLine($"ms/image:         median {report.MsMedian:F1}, p95 {report.MsP95:F1}, mean {report.MsMean:F1}");
    }
}
