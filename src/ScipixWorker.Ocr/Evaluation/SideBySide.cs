using System.Diagnostics;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;
using ScipixWorker.Ocr.Precision;

namespace ScipixWorker.Ocr.Evaluation;

/// <summary>An image with its ground truth.</summary>
/// <param name="Name">For messages (the file name).</param>
/// <param name="Image">The encoded image.</param>
/// <param name="GroundTruth">The text it says.</param>
public sealed record LabeledImage(string Name, ReadOnlyMemory<byte> Image, string GroundTruth);

/// <summary>One engine's score in a side-by-side run.</summary>
/// <param name="CharacterErrors">Edit distance summed over the items.</param>
/// <param name="Characters">Ground-truth characters.</param>
/// <param name="Time">Time spent in the engine (decoding included, as a job pays it).</param>
public sealed record SideScore(long CharacterErrors, long Characters, TimeSpan Time)
{
    /// <summary>Character error rate.</summary>
    public double Cer => Characters == 0 ? 0 : (double)CharacterErrors / Characters;
}

/// <summary>The result of running FP32 and a variant over the same items in one process.</summary>
/// <param name="Fp32">The FP32 engine's score.</param>
/// <param name="Variant">The variant engine's score.</param>
/// <param name="Items">How many items.</param>
/// <param name="TextAgreement">Share of items where both engines produced the same text.</param>
/// <param name="Verdict">The accuracy gate's verdict.</param>
public sealed record SideBySideReport(SideScore Fp32, SideScore Variant, int Items, double TextAgreement, GateVerdict Verdict)
{
    /// <summary>FP32 time / variant time: above 1 means the variant is faster.</summary>
    public double SpeedRatio => Variant.Time > TimeSpan.Zero ? Fp32.Time / Variant.Time : 0;
}

/// <summary>
/// Runs an FP32 engine and a variant engine over the same items, alternating which goes first per chunk so that
/// both see the same machine load, and judges the variant with <see cref="AccuracyGate"/>. On full pages the
/// detector's boxes are compared too.
/// </summary>
public static class SideBySide
{
    /// <summary>Runs both engines; <paramref name="chunk"/> line images go to each call in <see cref="OcrMode.SingleLine"/> mode.</summary>
    public static SideBySideReport Run(OcrEngine fp32, OcrEngine variant, IReadOnlyList<LabeledImage> items, OcrMode mode,
        bool caseInsensitive, int chunk = 1, double absoluteSlack = 0, Action<int>? progress = null, CancellationToken cancellationToken = default)
    {
        chunk = mode == OcrMode.SingleLine ? Math.Max(1, chunk) : 1;
        long errorsA = 0, errorsB = 0, characters = 0;
        var timeA = TimeSpan.Zero;
        var timeB = TimeSpan.Zero;
        int boxesA = 0, boxesB = 0, matches = 0, same = 0;
        for (var start = 0; start < items.Count; start += chunk)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = items.Skip(start).Take(chunk).ToList();
            var fp32First = (start / chunk) % 2 == 0;
            (IReadOnlyList<(string Text, IReadOnlyList<Quad> Boxes)> Results, TimeSpan Time) a, b;
            if (fp32First)
            {
                a = Recognize(fp32, batch, mode, cancellationToken);
                b = Recognize(variant, batch, mode, cancellationToken);
            }
            else
            {
                b = Recognize(variant, batch, mode, cancellationToken);
                a = Recognize(fp32, batch, mode, cancellationToken);
            }

            timeA += a.Time;
            timeB += b.Time;
            for (var k = 0; k < batch.Count; k++)
            {
                var reference = TextMetrics.Normalize(batch[k].GroundTruth, caseInsensitive);
                var textA = TextMetrics.Normalize(a.Results[k].Text, caseInsensitive);
                var textB = TextMetrics.Normalize(b.Results[k].Text, caseInsensitive);
                characters += reference.Length;
                errorsA += TextMetrics.CharacterErrors(reference, textA);
                errorsB += TextMetrics.CharacterErrors(reference, textB);
                same += textA == textB ? 1 : 0;
                if (mode == OcrMode.Full)
                {
                    boxesA += a.Results[k].Boxes.Count;
                    boxesB += b.Results[k].Boxes.Count;
                    matches += BoxAgreement.Matches(a.Results[k].Boxes, b.Results[k].Boxes);
                }
            }

            progress?.Invoke(Math.Min(items.Count, start + chunk));
        }

        var scoreA = new SideScore(errorsA, characters, timeA);
        var scoreB = new SideScore(errorsB, characters, timeB);
        double? boxAgreement = mode == OcrMode.Full ? BoxAgreement.F1(matches, boxesA, boxesB) : null;
        var verdict = AccuracyGate.Judge(scoreA.Cer, scoreB.Cer, boxAgreement, absoluteSlack);
        return new SideBySideReport(scoreA, scoreB, items.Count, items.Count == 0 ? 1 : (double)same / items.Count, verdict);
    }

    private static (IReadOnlyList<(string Text, IReadOnlyList<Quad> Boxes)> Results, TimeSpan Time) Recognize(
        OcrEngine engine, IReadOnlyList<LabeledImage> batch, OcrMode mode, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        if (mode == OcrMode.SingleLine && batch.Count > 1)
        {
            var lines = engine.RecognizeLines(batch.Select(i => i.Image).ToList(), cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            return (lines.Select(l => (l.Line?.Text ?? string.Empty, (IReadOnlyList<Quad>)[])).ToList(), elapsed);
        }

        var document = engine.Recognize(batch[0].Image, mode, cancellationToken);
        var time = Stopwatch.GetElapsedTime(started);
        var boxes = document.Pages.SelectMany(p => p.Lines).Select(l => l.Box).ToList();
        return ([(document.Text, boxes)], time);
    }
}
