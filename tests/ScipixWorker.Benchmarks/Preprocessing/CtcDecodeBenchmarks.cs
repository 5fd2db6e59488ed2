using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// CTC decoding of the probabilities the real recognizer produced for the SROIE line crops of the fixtures (the ten
/// <c>line_*</c> crops and the nine of <c>lookalike/</c>, six of which have a digit or letter to resolve; captured in the setup),
/// as PaddleOCR decodes (neither option), with inferred spaces, and with look-alike digits and letters resolved too.
/// </summary>
/// <remarks>Every invocation decodes all the crops and declares them as its operations: the times are per line.</remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class CtcDecodeBenchmarks
{
    private const int Crops = 19;

    private (float[] Probabilities, int Steps, int Classes)[] _outputs = [];
    private CharacterDictionary _dictionary = null!;

    [Params(false, true)]
    public bool InferSpaces { get; set; }

    [Params(false, true)]
    public bool ResolveLookalikes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        _dictionary = CharacterDictionary.Load(options.Resolve(options.Dictionary), options.UseSpaceCharacter);
        using var recognizer = new TextRecognizer(options, NullLogger.Instance);
        var files = Directory.EnumerateFiles(Assets.FixtureDirectory, "line_*.png")
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "lookalike"), "*.png"));
        _outputs = files.Order(StringComparer.Ordinal).Select(path => Assets.Decode(File.ReadAllBytes(path))).Select(line =>
        {
            var width = TextRecognizer.BatchWidth([line], recognizer.Buckets.MinWidth);
            var probabilities = OrtRun.Run(recognizer.Model.Session, TextRecognizer.BatchTensor([line], width), [1, 3, TextRecognizer.InputHeight, width], out var shape, CancellationToken.None);
            return (probabilities, (int)shape[1], (int)shape[2]);
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
        foreach (var (probabilities, steps, classes) in _outputs)
        {
            characters += CtcDecoder.Decode(probabilities, steps, classes, _dictionary, InferSpaces, ResolveLookalikes).Text.Length;
        }

        return characters;
    }
}
