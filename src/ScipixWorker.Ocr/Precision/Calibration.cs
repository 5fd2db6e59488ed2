using Microsoft.ML.OnnxRuntime;

namespace ScipixWorker.Ocr.Precision;

/// <summary>
/// The ranges values take on calibration inputs, for <see cref="Int8Quantizer"/>. MinMax keeps each value's whole range;
/// a percentile keeps the range between the <c>(100 − p)</c>th and the <c>p</c>th percentile of its elements, so that a few
/// outliers do not widen the quantization step of every other element (estimated from an even sample of at most
/// <see cref="SampleLimit"/> elements per value; the extremes themselves are exact).
/// </summary>
internal sealed class Calibration
{
    /// <summary>Elements kept per value for the percentiles.</summary>
    public const int SampleLimit = 1 << 20;

    private readonly Dictionary<string, Observed> _observed;

    /// <param name="values">The values to observe.</param>
    /// <param name="percentile">Null: min and max; else the percentile kept, 90 to 100 (e.g. 99.99).</param>
    public Calibration(IEnumerable<string> values, double? percentile = null)
    {
        if (percentile is { } p && (p < 90 || p > 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), p, "The percentile must be between 90 and 100.");
        }

        Percentile = percentile;
        _observed = values.ToDictionary(v => v, _ => new Observed(), StringComparer.Ordinal);
    }

    public double? Percentile { get; }

    /// <summary>How many elements each run of a value gives the sample (an even stride over them).</summary>
    public int PerRun { get; init; } = 8192;

    /// <summary>Takes in one run's elements of <paramref name="value"/>.</summary>
    public void Observe(string value, ReadOnlySpan<float> data)
    {
        var observed = _observed[value];
        foreach (var x in data)
        {
            observed.Min = Math.Min(observed.Min, x);
            observed.Max = Math.Max(observed.Max, x);
        }

        if (Percentile is null || data.Length == 0)
        {
            return;
        }

        var stride = Math.Max(1, data.Length / PerRun);
        for (var i = stride / 2; i < data.Length && observed.Sample.Count < SampleLimit; i += stride)
        {
            observed.Sample.Add(data[i]);
        }
    }

    /// <summary>Runs <paramref name="session"/> (a model with the values as outputs: <see cref="Int8Quantizer.WithOutputs"/>) on one input and observes every value.</summary>
    public void Run(InferenceSession session, float[] input, long[] shape)
    {
        using var tensor = OrtValue.CreateTensorValueFromMemory(input, shape);
        var names = _observed.Keys.ToList();
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [session.InputNames[0]], [tensor], names);
        for (var i = 0; i < names.Count; i++)
        {
            Observe(names[i], outputs[i].GetTensorDataAsSpan<float>());
        }
    }

    /// <summary>The range of every value observed at least once.</summary>
    public Dictionary<string, ValueRange> Ranges()
    {
        var ranges = new Dictionary<string, ValueRange>(StringComparer.Ordinal);
        foreach (var (value, observed) in _observed)
        {
            if (observed.Min > observed.Max)
            {
                continue;
            }

            if (Percentile is not { } p || observed.Sample.Count == 0)
            {
                ranges[value] = new ValueRange(observed.Min, observed.Max);
                continue;
            }

            observed.Sample.Sort();
            var low = Quantile(observed.Sample, (100 - p) / 100);
            var high = Quantile(observed.Sample, p / 100);
            ranges[value] = new ValueRange(Math.Max(low, observed.Min), Math.Min(high, observed.Max));
        }

        return ranges;
    }

    // The q-quantile of sorted values, interpolated between neighbours.
    internal static float Quantile(List<float> sorted, double q)
    {
        var at = q * (sorted.Count - 1);
        var below = (int)Math.Floor(at);
        var above = Math.Min(below + 1, sorted.Count - 1);
        return (float)(sorted[below] + ((sorted[above] - sorted[below]) * (at - below)));
    }

    private sealed class Observed
    {
        public float Min { get; set; } = float.PositiveInfinity;

        public float Max { get; set; } = float.NegativeInfinity;

        public List<float> Sample { get; } = [];
    }
}
