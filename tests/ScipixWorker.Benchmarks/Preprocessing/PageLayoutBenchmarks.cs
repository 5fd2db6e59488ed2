using BenchmarkDotNet.Attributes;
using ScipixWorker.Ocr.Engine;
using ScipixWorker.Ocr.Geometry;

namespace ScipixWorker.Benchmarks.Preprocessing;

/// <summary>
/// What a page's layout costs once its lines are known: the sideways vote (<see cref="ReadingOrder.IsSideways"/>) and the
/// column search (<see cref="ColumnLayout.Blocks"/>), on a receipt of 60 rows (an item and its price: no columns, the
/// search cuts it row by row) and on a page of two columns of 50 lines under a heading.
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
public class PageLayoutBenchmarks
{
    private Quad[] _receipt = [];
    private int[] _receiptLengths = [];
    private Quad[] _columns = [];
    private int[] _columnLengths = [];

    [GlobalSetup]
    public void Setup()
    {
        var receipt = Enumerable.Range(0, 60)
            .SelectMany(row => new[] { (Quad.FromRectangle(20, 30 * row, 280, 22), 26), (Quad.FromRectangle(380, 30 * row, 60, 22), 6) })
            .ToArray();
        (_receipt, _receiptLengths) = (receipt.Select(r => r.Item1).ToArray(), receipt.Select(r => r.Item2).ToArray());
        var columns = Enumerable.Range(0, 50)
            .SelectMany(row => new[] { (Quad.FromRectangle(60, 80 + (25 * row), 420, 20), 48), (Quad.FromRectangle(540, 80 + (25 * row), 420, 20), 47) })
            .Prepend((Quad.FromRectangle(300, 20, 400, 30), 30))
            .ToArray();
        (_columns, _columnLengths) = (columns.Select(r => r.Item1).ToArray(), columns.Select(r => r.Item2).ToArray());
    }

    [Benchmark]
    public bool ReceiptSidewaysVote() => ReadingOrder.IsSideways(_receipt);

    [Benchmark]
    public IReadOnlyList<IReadOnlyList<int>>? ReceiptColumnSearch() => ColumnLayout.Blocks(_receipt, _receiptLengths);

    [Benchmark]
    public IReadOnlyList<IReadOnlyList<int>>? TwoColumnSearch() => ColumnLayout.Blocks(_columns, _columnLengths);
}
