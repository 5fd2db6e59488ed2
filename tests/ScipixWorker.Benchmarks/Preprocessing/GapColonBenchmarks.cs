using BenchmarkDotNet.Attributes;
using ScipixWorker.Benchmarks.Support;
using ScipixWorker.Ocr.Detection;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// The search for faint colons in the gaps after a page's lines (<see cref="GapColons"/>): a strip warped and looked
/// through per line, on the receipt at each size after a real detector run. What it finds is read by the recognizer
/// as well, a few narrow crops a page; that cost is the recognizer's (docs/benchmarks.md, "Faint colons").
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class GapColonBenchmarks : PageRowsBenchmark
{
    [Benchmark]
    public int Search() => GapColons.Find(Page, Lines, Bands(), Rows).Count;

    private protected override string Found() => $"{Search()} colons found";
}
