using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// What <see cref="LexiconCorrection"/> adds to a line's decoding, and what building the bundled word list costs once a
/// process. The lines are the probabilities the real recognizer produced for the ten <c>line_*</c> SROIE crops of the
/// fixtures and the ten of <c>lexicon/</c> (seven with a misread word it puts right, one with two words run together, one
/// with a word parted by a space, one with a Malay word it leaves),
/// captured in the setup, decoded as the engine does by default (inferred spaces, look-alikes, the ink) with and without
/// the word list.
/// </summary>
/// <remarks>Every invocation of <see cref="AsRead"/> and <see cref="Corrected"/> decodes all the crops and declares them as its operations: the times are per line.</remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class LexiconCorrectionBenchmarks
{
    private const int Crops = 20;

    private CapturedLine[] _outputs = [];
    private CharacterDictionary _dictionary = null!;
    private Lexicon _lexicon = null!;

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        _dictionary = CharacterDictionary.Load(options.Resolve(options.Dictionary), options.UseSpaceCharacter);
        _lexicon = Lexicon.English;
        var files = Directory.EnumerateFiles(Assets.FixtureDirectory, "line_*.png")
            .Concat(Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "lexicon"), "*.png"));
        _outputs = CapturedLine.Capture(options, files);
        if (_outputs.Length != Crops)
        {
            throw new InvalidOperationException($"Expected {Crops} line crops in the fixtures, found {_outputs.Length}.");
        }
    }

    /// <summary>The engine's default decoding without the word list.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = Crops)]
    public int AsRead() => Decode(null);

    /// <summary>The engine's default decoding, the word list included.</summary>
    [Benchmark(OperationsPerInvoke = Crops)]
    public int Corrected() => Decode(_lexicon);

    /// <summary>Reading and building the bundled list, as the first recognizer of a process does.</summary>
    [Benchmark]
    public int Load() => Lexicon.LoadEnglish().Count;

    private int Decode(Lexicon? lexicon)
    {
        var characters = 0;
        foreach (var line in _outputs)
        {
            characters += CtcDecoder.Decode(
                line.Probabilities, line.Steps, line.Classes, _dictionary, inferSpaces: true, resolveLookalikes: true, line.Ink, trailingMarks: true, decimalPoints: true,
                lexicon: lexicon).Text.Length;
        }

        return characters;
    }
}
