using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Support;

/// <summary>
/// What the real recognizer made of one line crop, captured once in a benchmark's setup so that the benchmark times the
/// decoding alone: its probabilities (<see cref="Steps"/> x <see cref="Classes"/>), its input tensor of
/// <see cref="Width"/> columns, of which the crop fills <see cref="ContentWidth"/>.
/// </summary>
internal readonly record struct CapturedLine(float[] Probabilities, int Steps, int Classes, float[] Input, int Width, int ContentWidth)
{
    /// <summary>The ink the engine measures in this line's input, as <see cref="CtcDecoder.Decode"/> asks for it.</summary>
    public LineInk? Ink() => LineInk.Measure(Input, Width, TextRecognizer.InputHeight, ContentWidth, Steps);

    /// <summary>Runs the recognizer of <paramref name="options"/> on each crop (batch 1, the crop's own width bucket), in the order of the files' names.</summary>
    public static CapturedLine[] Capture(OcrEngineOptions options, IEnumerable<string> files)
    {
        using var recognizer = new TextRecognizer(options, NullLogger.Instance);
        return [.. files.Order(StringComparer.Ordinal).Select(path => Assets.Decode(File.ReadAllBytes(path))).Select(line =>
        {
            var width = TextRecognizer.BatchWidth([line], recognizer.Buckets.MinWidth);
            var input = TextRecognizer.BatchTensor([line], width);
            var probabilities = OrtRun.Run(recognizer.Model.Session, input, [1, 3, TextRecognizer.InputHeight, width], out var shape, CancellationToken.None);
            return new CapturedLine(probabilities, (int)shape[1], (int)shape[2], input, width, LineResizer.Width(line, TextRecognizer.InputHeight, width));
        })];
    }
}
