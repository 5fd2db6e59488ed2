using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// CTC decoding of the probabilities the real recognizer produced for the SROIE line crops of the fixtures (the ten
/// <c>line_*</c> crops, the fourteen of <c>lookalike/</c>, eleven of which have a digit, letter or period to resolve, and
/// the seven of <c>colons/</c>; captured in the setup), as PaddleOCR decodes (neither option), with inferred spaces, and with look-alike
/// digits and letters resolved too; with <see cref="ReadInk"/>, what the engine reads from the model's input is read too,
/// the ink measured once a line as the engine measures it: spaces beside colons and after commas
/// (<see cref="PunctuationSpacing"/>; 11 of the 31 crops have a colon), spaces in monospaced print
/// (<see cref="MonospacedSpacing"/>) and a line's final period or comma (<see cref="TrailingMarks"/>).
/// </summary>
/// <remarks>Every invocation decodes all the crops and declares them as its operations: the times are per line.</remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class CtcDecodeBenchmarks
{
    private const int Crops = 31;

    private (float[] Probabilities, int Steps, int Classes, float[] Input, int Width, int ContentWidth)[] _outputs = [];
    private CharacterDictionary _dictionary = null!;

    [Params(false, true)]
    public bool InferSpaces { get; set; }

    [Params(false, true)]
    public bool ResolveLookalikes { get; set; }

    [Params(false, true)]
    public bool ReadInk { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        _dictionary = CharacterDictionary.Load(options.Resolve(options.Dictionary), options.UseSpaceCharacter);
        using var recognizer = new TextRecognizer(options, NullLogger.Instance);
        var files = Directory.EnumerateFiles(Assets.FixtureDirectory, "line_*.png")
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "lookalike"), "*.png"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "colons"), "*.png"));
        _outputs = files.Order(StringComparer.Ordinal).Select(path => Assets.Decode(File.ReadAllBytes(path))).Select(line =>
        {
            var width = TextRecognizer.BatchWidth([line], recognizer.Buckets.MinWidth);
            var input = TextRecognizer.BatchTensor([line], width);
            var probabilities = OrtRun.Run(recognizer.Model.Session, input, [1, 3, TextRecognizer.InputHeight, width], out var shape, CancellationToken.None);
            return (probabilities, (int)shape[1], (int)shape[2], input, width, LineResizer.Width(line, TextRecognizer.InputHeight, width));
        }).ToArray();
        if (_outputs.Length != Crops)
        {
            throw new InvalidOperationException($"Expected {Crops} line crops in the fixtures, found {_outputs.Length}.");
        }
    }

    [Benchmark(OperationsPerInvoke = Crops)]
    public int Decode()
    {
        var characters = 0;
        foreach (var (probabilities, steps, classes, input, width, contentWidth) in _outputs)
        {
            // Decode measures it once a line, however many rules ask, as in the engine.
            Func<LineInk?>? ink = ReadInk ? () => LineInk.Measure(input, width, TextRecognizer.InputHeight, contentWidth, steps) : null;
            characters += CtcDecoder.Decode(probabilities, steps, classes, _dictionary, InferSpaces, ResolveLookalikes, ink, trailingMarks: ReadInk, decimalPoints: ResolveLookalikes).Text.Length;
        }

        return characters;
    }
}
