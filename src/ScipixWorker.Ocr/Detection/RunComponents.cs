using System.Buffers;

namespace ScipixWorker.Ocr.Detection;

/// <summary>
/// Horizontal runs of pixels grouped into connected components with union-find. A component's root is
/// always its smallest run index, i.e. its first run in raster order. After <see cref="Resolve"/>,
/// each component's runs are chained in raster order.
/// </summary>
internal sealed class RunComponents : IDisposable
{
    private const int InitialRuns = 4096;

    private int[] _x0 = ArrayPool<int>.Shared.Rent(InitialRuns);
    private int[] _x1 = ArrayPool<int>.Shared.Rent(InitialRuns);
    private int[] _y = ArrayPool<int>.Shared.Rent(InitialRuns);
    private int[] _link = ArrayPool<int>.Shared.Rent(InitialRuns);
    private int[] _firstRun = [];
    private int[] _rows = [];

    /// <summary>Number of runs.</summary>
    public int RunCount { get; private set; }

    /// <summary>Number of components (after <see cref="Resolve"/>).</summary>
    public int Count { get; private set; }

    public int X0(int run) => _x0[run];

    public int X1(int run) => _x1[run];

    public int Y(int run) => _y[run];

    /// <summary>The next run of the same component in raster order, or -1 (after <see cref="Resolve"/>).</summary>
    public int Next(int run) => _link[run];

    /// <summary>First run of a component: its top-most, left-most pixels.</summary>
    public int FirstRun(int component) => _firstRun[component];

    /// <summary>Rows spanned by a component.</summary>
    public int Rows(int component) => _rows[component];

    public int Add(int x0, int x1, int y)
    {
        if (RunCount == _x0.Length)
        {
            Grow(ref _x0);
            Grow(ref _x1);
            Grow(ref _y);
            Grow(ref _link);
        }

        var run = RunCount++;
        _x0[run] = x0;
        _x1[run] = x1;
        _y[run] = y;
        _link[run] = run;
        return run;
    }

    public int Find(int run)
    {
        var parent = _link;
        while (parent[run] != run)
        {
            parent[run] = parent[parent[run]];
            run = parent[run];
        }

        return run;
    }

    public void Union(int a, int b)
    {
        var rootA = Find(a);
        var rootB = Find(b);
        if (rootA < rootB)
        {
            _link[rootB] = rootA;
        }
        else if (rootB < rootA)
        {
            _link[rootA] = rootB;
        }
    }

    /// <summary>
    /// Numbers the components in raster order of their first run and chains their runs. Returns the
    /// component of each run in <paramref name="componentOfRun"/> (at least <see cref="RunCount"/> long).
    /// </summary>
    public void Resolve(Span<int> componentOfRun)
    {
        var count = 0;
        for (var run = 0; run < RunCount; run++)
        {
            var root = Find(run);
            componentOfRun[run] = root == run ? count++ : componentOfRun[root];
        }

        Count = count;
        _firstRun = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        _rows = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        var lastRun = ArrayPool<int>.Shared.Rent(Math.Max(count, 1));
        try
        {
            // Components appear in increasing order of their first run.
            var next = 0;
            for (var run = 0; run < RunCount; run++)
            {
                var component = componentOfRun[run];
                if (component == next)
                {
                    _firstRun[component] = run;
                    _rows[component] = 1;
                    next++;
                }
                else
                {
                    var last = lastRun[component];
                    _link[last] = run;
                    if (_y[last] != _y[run])
                    {
                        _rows[component]++;
                    }
                }

                lastRun[component] = run;
                _link[run] = -1;
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(lastRun);
        }
    }

    public void Dispose()
    {
        ArrayPool<int>.Shared.Return(_x0);
        ArrayPool<int>.Shared.Return(_x1);
        ArrayPool<int>.Shared.Return(_y);
        ArrayPool<int>.Shared.Return(_link);
        if (_firstRun.Length > 0)
        {
            ArrayPool<int>.Shared.Return(_firstRun);
            ArrayPool<int>.Shared.Return(_rows);
        }

        _x0 = _x1 = _y = _link = _firstRun = _rows = [];
    }

    private static void Grow(ref int[] array)
    {
        var larger = ArrayPool<int>.Shared.Rent(array.Length * 2);
        array.AsSpan().CopyTo(larger);
        ArrayPool<int>.Shared.Return(array);
        array = larger;
    }
}
