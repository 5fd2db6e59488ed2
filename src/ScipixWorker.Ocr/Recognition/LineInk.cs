using System.Buffers;
using System.Numerics.Tensors;
using ScipixWorker.Ocr.Imaging;

namespace ScipixWorker.Ocr.Recognition;

/// <summary>
/// Where the ink is across one line of the recognizer's input: the runs of columns that hold dark pixels inside the
/// text's band of rows, and the height of that band. It measures the gaps the recognizer's time steps are too coarse
/// for (one step is 8 px at the 48-px input height): the white space beside a colon decides whether a reader, and the
/// receipts' annotators, see <c>TEL : 03</c> or <c>TEL:03</c>.
/// <para>
/// Ink is a pixel darker than Otsu's threshold over the line's grey levels (the channel mean). The text's band is the
/// rows holding at least a quarter of the inkiest row's dark pixels, which leaves out the descenders of a line above
/// that a crop caught, and specks.
/// </para>
/// </summary>
internal sealed class LineInk
{
    private const int Levels = 64;

    private readonly List<(int Start, int End)> _runs;
    private readonly double _stride;

    private LineInk(List<(int Start, int End)> runs, int textHeight, double stride, double widthScale)
    {
        _runs = runs;
        TextHeight = textHeight;
        _stride = stride;
        WidthScale = widthScale;
    }

    /// <summary>The height of the text's band of rows, in pixels of the input.</summary>
    public int TextHeight { get; }

    /// <summary>The first and last row of the text's band (<see cref="TextHeight"/> rows), in pixels of the input.</summary>
    public int BandTop { get; private init; }

    /// <inheritdoc cref="BandTop"/>
    public int BandBottom { get; private init; }

    /// <summary>
    /// The first and last row holding ink in the columns of run <paramref name="run"/> of <see cref="Runs"/>, looked for a
    /// quarter of the band's height above and below it (a comma's tail reaches below the band): what tells a period from
    /// a comma, and either from a dash. Kept for a run at most <see cref="MarkRunWidth"/> of the band's height wide (a
    /// mark's); (-1, -1) for a wider run or one with no ink there.
    /// </summary>
    public (int Top, int Bottom) RunRows(int run) => _rows[run];

    /// <summary>The widest run whose rows are kept (<see cref="RunRows"/>), as a fraction of the band's height.</summary>
    public const double MarkRunWidth = 0.5;

    private (int Top, int Bottom)[] _rows = [];

    /// <summary>How many times as wide as printed the line was drawn (1, or <see cref="CondensedLines.Factor"/>).</summary>
    public double WidthScale { get; }

    /// <summary>The column runs holding ink, left to right (first and last column, inclusive).</summary>
    public IReadOnlyList<(int Start, int End)> Runs => _runs;

    /// <summary>
    /// <paramref name="measure"/> called at most once, however often the returned function is: each rule that reads a
    /// line's ink asks for it, and the line is measured for the first.
    /// </summary>
    public static Func<LineInk?> Once(Func<LineInk?> measure)
    {
        LineInk? ink = null;
        var measured = false;
        return () =>
        {
            if (!measured)
            {
                ink = measure();
                measured = true;
            }

            return ink;
        };
    }

    /// <summary>
    /// Measures one item of the recognizer's CHW input (normalized to [-1, 1]), of which the first
    /// <paramref name="contentWidth"/> columns are the line and the rest padding; <paramref name="steps"/> is the length
    /// of the model's output sequence for the item, so that a time step maps to its columns. A line drawn
    /// <paramref name="widthScale"/> times as wide as its print (<see cref="CondensedLines.Stretch"/>) has its gaps
    /// measured in the print's proportions. Null when the line has no contrast to speak of.
    /// </summary>
    public static LineInk? Measure(ReadOnlySpan<float> item, int tensorWidth, int height, int contentWidth, int steps, double widthScale = 1)
    {
        var width = Math.Min(contentWidth, tensorWidth);
        var grey = ArrayPool<float>.Shared.Rent(height * width); // a wide line's grey levels would be large-object garbage
        try
        {
            return Measure(item, tensorWidth, height, width, steps, widthScale, grey.AsSpan(0, height * width));
        }
        finally
        {
            ArrayPool<float>.Shared.Return(grey);
        }
    }

    private static LineInk? Measure(ReadOnlySpan<float> item, int tensorWidth, int height, int width, int steps, double widthScale, Span<float> grey)
    {
        var plane = tensorWidth * height;
        Span<int> histogram = stackalloc int[Levels];
        histogram.Clear();
        for (var y = 0; y < height; y++)
        {
            var row = grey.Slice(y * width, width);
            var at = y * tensorWidth;
            TensorPrimitives.Add(item.Slice(at, width), item.Slice(plane + at, width), row);
            TensorPrimitives.Add(row, item.Slice((2 * plane) + at, width), row);
            TensorPrimitives.Multiply(row, 1f / 6f, row);
            TensorPrimitives.Add(row, 0.5f, row); // the channels' mean, [-1, 1] -> [0, 1]
            foreach (var value in row)
            {
                histogram[Math.Clamp((int)(value * Levels), 0, Levels - 1)]++;
            }
        }

        var level = OtsuLevel(histogram, grey.Length);
        if (level < 0)
        {
            return null;
        }

        var threshold = (level + 1) / (float)Levels;
        Span<int> rowInk = height <= 256 ? stackalloc int[height] : new int[height];
        rowInk.Clear();
        var most = 0;
        for (var y = 0; y < height; y++)
        {
            foreach (var value in grey.Slice(y * width, width))
            {
                rowInk[y] += value < threshold ? 1 : 0;
            }

            most = Math.Max(most, rowInk[y]);
        }

        if (most == 0)
        {
            return null;
        }

        var (top, bottom) = Band(rowInk, most);

        var inked = ArrayPool<bool>.Shared.Rent(width + 1);
        try
        {
            Array.Clear(inked, 0, width + 1);
            for (var y = top; y <= bottom; y++)
            {
                var row = grey.Slice(y * width, width);
                for (var x = 0; x < width; x++)
                {
                    inked[x] |= row[x] < threshold;
                }
            }

            var runs = new List<(int, int)>();
            var start = -1;
            for (var x = 0; x <= width; x++)
            {
                if (inked[x] && start < 0)
                {
                    start = x;
                }
                else if (!inked[x] && start >= 0)
                {
                    runs.Add((start, x - 1));
                    start = -1;
                }
            }

            var (first, last) = (Math.Max(0, top - ((bottom - top + 1) / 4)), Math.Min(height - 1, bottom + ((bottom - top + 1) / 4)));
            var markWidth = MarkRunWidth * (bottom - top + 1) * widthScale;
            var rows = new (int Top, int Bottom)[runs.Count];
            for (var i = 0; i < runs.Count; i++)
            {
                rows[i] = runs[i].Item2 - runs[i].Item1 + 1 <= markWidth ? RowsOf(grey, width, runs[i], first, last, threshold) : (-1, -1);
            }

            return new LineInk(runs, bottom - top + 1, tensorWidth / (double)Math.Max(1, steps), widthScale)
            {
                BandTop = top,
                BandBottom = bottom,
                _rows = rows,
            };
        }
        finally
        {
            ArrayPool<bool>.Shared.Return(inked);
        }
    }

    /// <summary>
    /// The white space between the ink under time step <paramref name="left"/> and the ink under time step
    /// <paramref name="right"/>, as a fraction of <see cref="TextHeight"/>: 0 where both fall in one run of ink, null
    /// where a step has no ink within one step's width.
    /// </summary>
    public float? Gap(int left, int right)
    {
        var a = RunAt(left);
        var b = RunAt(right);
        if (a < 0 || b < 0)
        {
            return null;
        }

        return b <= a ? 0f : (float)((_runs[b].Start - _runs[a].End - 1) / (TextHeight * WidthScale));
    }

    /// <summary>
    /// The index in <see cref="Runs"/> of the ink under time step <paramref name="step"/> (the nearest run within one
    /// step's width of the step's centre); -1 where there is none.
    /// </summary>
    public int RunAt(int step)
    {
        var centre = (step + 0.5) * _stride;
        var best = -1;
        var bestDistance = _stride;
        for (var i = 0; i < _runs.Count; i++)
        {
            var (start, end) = _runs[i];
            var distance = centre < start ? start - centre : centre > end ? centre - end : 0;
            if (distance < bestDistance || (best < 0 && distance == bestDistance))
            {
                best = i;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary>
    /// The text band of a crop in an RGB image, as <see cref="Measure(ReadOnlySpan{float}, int, int, int, int, double)"/>
    /// finds it on the recognizer's input: its first and last row as fractions of the crop's height, with the grey level
    /// of the crop's darkest ink (its 2nd percentile); null when the crop has no contrast to speak of.
    /// </summary>
    public static (float Top, float Bottom, byte Dark)? TextBand(RgbBuffer crop)
    {
        var (width, height) = (crop.Width, crop.Height);
        Span<int> histogram = stackalloc int[Levels];
        Span<int> greys = stackalloc int[256];
        histogram.Clear();
        greys.Clear();
        var data = crop.Data;
        for (var i = 0; i < width * height; i++)
        {
            var grey = (data[3 * i] + data[(3 * i) + 1] + data[(3 * i) + 2]) / 3;
            greys[grey]++;
            histogram[grey * Levels / 256]++;
        }

        var level = OtsuLevel(histogram, width * height);
        if (level < 0)
        {
            return null;
        }

        var threshold = (level + 1) * 256 / Levels; // grey levels below it are ink
        Span<int> rowInk = height <= 256 ? stackalloc int[height] : new int[height];
        rowInk.Clear();
        var most = 0;
        for (var y = 0; y < height; y++)
        {
            var row = crop.ReadOnlyRow(y);
            for (var x = 0; x < width; x++)
            {
                rowInk[y] += (row[3 * x] + row[(3 * x) + 1] + row[(3 * x) + 2]) / 3 < threshold ? 1 : 0;
            }

            most = Math.Max(most, rowInk[y]);
        }

        if (most == 0)
        {
            return null;
        }

        var (top, bottom) = Band(rowInk, most);
        var (dark, seen) = (0, greys[0]);
        while (seen * 50 < width * height)
        {
            seen += greys[++dark];
        }

        return (top / (float)height, (bottom + 1) / (float)height, (byte)dark);
    }

    // The text's band: the first and last row holding at least a quarter of the inkiest row's dark pixels.
    private static (int Top, int Bottom) Band(ReadOnlySpan<int> rowInk, int most)
    {
        var top = 0;
        while (rowInk[top] * 4 < most)
        {
            top++;
        }

        var bottom = rowInk.Length - 1;
        while (rowInk[bottom] * 4 < most)
        {
            bottom--;
        }

        return (top, bottom);
    }

    // The first and last row in first..last holding ink within the run's columns; (-1, -1) when none does.
    private static (int Top, int Bottom) RowsOf(ReadOnlySpan<float> grey, int width, (int Start, int End) run, int first, int last, float threshold)
    {
        var (top, bottom) = (-1, -1);
        for (var y = first; y <= last; y++)
        {
            if (TensorPrimitives.Min(grey.Slice((y * width) + run.Start, run.End - run.Start + 1)) < threshold)
            {
                top = top < 0 ? y : top;
                bottom = y;
            }
        }

        return (top, bottom);
    }

    /// <summary>Otsu's threshold level: the histogram split with the largest between-class variance; -1 when all pixels share one level.</summary>
    private static int OtsuLevel(ReadOnlySpan<int> histogram, int total)
    {
        var sumAll = 0.0;
        for (var i = 0; i < histogram.Length; i++)
        {
            sumAll += i * (double)histogram[i];
        }

        double weightBelow = 0, sumBelow = 0, bestVariance = 0;
        var best = -1;
        for (var i = 0; i < histogram.Length; i++)
        {
            weightBelow += histogram[i];
            var weightAbove = total - weightBelow;
            if (weightBelow == 0)
            {
                continue;
            }

            if (weightAbove == 0)
            {
                break;
            }

            sumBelow += i * (double)histogram[i];
            var meanBelow = sumBelow / weightBelow;
            var meanAbove = (sumAll - sumBelow) / weightAbove;
            var variance = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove);
            if (variance > bestVariance)
            {
                bestVariance = variance;
                best = i;
            }
        }

        return best;
    }
}
