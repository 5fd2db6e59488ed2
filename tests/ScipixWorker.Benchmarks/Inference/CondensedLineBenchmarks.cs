using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Imaging;
using ScipixWorker.Ocr.Recognition;

namespace ScipixWorker.Benchmarks.Inference;

/// <summary>
/// What reading condensed lines again costs (<c>Ocr:CondensedLines</c>, <see cref="CondensedLines"/>): the recognizer
/// stage (<see cref="TextRecognizer.RecognizeBatch"/>, one line a call, as a single-line job runs) on the ten SROIE
/// <c>line_*</c> crops of the fixtures, a mix of receipt lines of which four are read again (<c>(JM0517726)</c>,
/// <c>Salesperson</c>, <c>Sub-total</c>, <c>Total 6% supplies (excl. GST):</c>), and on the five of <c>condensed/</c>, all
/// read again, with and without the option.
/// </summary>
/// <remarks>Every invocation recognizes <see cref="Lines"/> crops cycling through its set and declares them as its operations: the times are per line.</remarks>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class CondensedLineBenchmarks : IDisposable
{
    /// <summary>Lines per invocation: the ten mixed crops once, the five condensed ones twice.</summary>
    public const int Lines = 10;

    private TextRecognizer? _recognizer;
    private RgbBuffer[] _lines = [];

    [Params(false, true)]
    public bool Condensed { get; set; }

    [Params(false, true)]
    public bool CondensedLines { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = Assets.Options();
        options.CondensedLines = CondensedLines;
        _recognizer = new TextRecognizer(options, NullLogger.Instance);
        var files = Condensed
            ? Directory.EnumerateFiles(Path.Combine(Assets.FixtureDirectory, "condensed"), "*.png")
            : Directory.EnumerateFiles(Assets.FixtureDirectory, "line_*.png");
        _lines = Assets.Cycle(files.Order(StringComparer.Ordinal).Select(path => Assets.Decode(File.ReadAllBytes(path))).ToArray(), Lines);
    }

    [Benchmark(OperationsPerInvoke = Lines)]
    public int Recognize()
    {
        var characters = 0;
        foreach (var line in _lines)
        {
            characters += _recognizer!.RecognizeBatch([line], CancellationToken.None)[0].Text.Length;
        }

        return characters;
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _recognizer?.Dispose();
        _recognizer = null;
        GC.SuppressFinalize(this);
    }
}
