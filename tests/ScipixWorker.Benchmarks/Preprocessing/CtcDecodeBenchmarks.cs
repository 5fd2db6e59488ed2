using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// CTC decoding of the probabilities the real recognizer produced for the SROIE line crops of the fixtures (the ten
/// <c>line_*</c> crops, the twenty-two of <c>lookalike/</c>, nineteen of which have a digit, letter, case, period or dollar sign to resolve, and
/// the seven of <c>colons/</c>; captured in the setup), as PaddleOCR decodes (neither option), with inferred spaces, and with look-alike
/// digits and letters resolved too; with <see cref="ReadInk"/>, what the engine reads from the model's input is read too,
/// the ink measured once a line as the engine measures it: spaces beside colons and after commas
/// (<see cref="PunctuationSpacing"/>; 23 of the 39 crops have a colon in their ground truth), spaces in monospaced print
/// (<see cref="MonospacedSpacing"/>) and a line's final period or comma (<see cref="TrailingMarks"/>). <see cref="Dropped"/>:
/// the characters a reading let go, which the engine counts for each line not condensed as read when it looks for condensed ones
/// (<see cref="CondensedLines.Dropped"/>; the same for every combination of the options).
/// </summary>
/// <remarks>Every invocation decodes all the crops and declares them as its operations: the times are per line.</remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class CtcDecodeBenchmarks
{
    private const int Crops = 39;

    private CapturedLine[] _outputs = [];
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
        var files = Directory.EnumerateFiles(Assets.FixtureDirectory, "line_*.png")
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "lookalike"), "*.png"))
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "colons"), "*.png"));
        _outputs = CapturedLine.Capture(options, files);
        if (_outputs.Length != Crops)
        {
            throw new InvalidOperationException($"Expected {Crops} line crops in the fixtures, found {_outputs.Length}.");
        }
    }

    [Benchmark(OperationsPerInvoke = Crops)]
    public int Decode()
    {
        var characters = 0;
        foreach (var line in _outputs)
        {
            // Decode measures it once a line, however many rules ask, as in the engine.
            Func<LineInk?>? ink = ReadInk ? line.Ink : null;
            characters += CtcDecoder.Decode(line.Probabilities, line.Steps, line.Classes, _dictionary, InferSpaces, ResolveLookalikes, ink, trailingMarks: ReadInk, decimalPoints: ResolveLookalikes).Text.Length;
        }

        return characters;
    }

    [Benchmark(OperationsPerInvoke = Crops)]
    public int Dropped()
    {
        var dropped = 0;
        foreach (var line in _outputs)
        {
            dropped += CondensedLines.Dropped(line.Probabilities, line.Steps, line.Classes, _dictionary);
        }

        return dropped;
    }
}
