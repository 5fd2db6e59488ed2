using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Ocr.Precision;

/// <summary>A loaded model: its session, where it runs, which file and precision, and why.</summary>
internal sealed record LoadedModel(InferenceSession Session, ExecutionProvider Provider, string Path, ModelPrecision Precision, string Reason, TimeSpan LoadTime)
{
    public string File => System.IO.Path.GetFileName(Path);

    /// <summary>The session profiles its runs (<see cref="OcrEngineOptions.OrtProfilePrefix"/>): its profile is written when it closes.</summary>
    public bool Profiled { get; init; }

    /// <summary>Writes the profile, if any, and releases the session.</summary>
    public void Close()
    {
        if (Profiled)
        {
            Session.EndProfiling();
        }

        Session.Dispose();
    }
}

/// <summary>A representative input for timing a model (the shape of a typical call).</summary>
internal sealed record TimingInput(float[] Data, long[] Shape)
{
    /// <summary>A deterministic pattern in [-1, 1] (not zeros: the timing should see ordinary values).</summary>
    public static TimingInput Pattern(params long[] shape)
    {
        var count = 1L;
        foreach (var dimension in shape)
        {
            count *= dimension;
        }

        var data = new float[count];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = MathF.Sin(i * 0.618f) * 0.9f;
        }

        return new TimingInput(data, shape);
    }
}

/// <summary>
/// Loads one model at the precision <see cref="PrecisionSelector"/> decides, timing INT8 against FP32 at start-up
/// where the decision depends on this machine's speed.
/// </summary>
internal static class ModelLoader
{
    /// <summary>Loads one model outside an engine (a stage on its own: benchmarks, tools), reading the variant catalog itself.</summary>
    public static LoadedModel LoadAlone(ModelRole role, string baseModel, OcrEngineOptions options, Func<TimingInput> timingInput, ILogger logger) =>
        Load(role, baseModel, options, VariantCatalog.Load(options.Resolve(options.VariantsFile)), timingInput, logger);

    public static LoadedModel Load(ModelRole role, string baseModel, OcrEngineOptions options, VariantCatalog catalog,
        Func<TimingInput> timingInput, ILogger logger)
    {
        var basePath = options.Resolve(baseModel);
        var (requested, setting) = options.PrecisionFor(role);
        if (requested == ModelPrecision.Fp32)
        {
            return Chosen(role, Open(basePath, ModelPrecision.Fp32, $"{setting}=fp32", options, logger), logger);
        }

        var int8 = catalog.Status(basePath, ModelPrecision.Int8);
        var fp16 = catalog.Status(basePath, ModelPrecision.Fp16);
        if (requested != ModelPrecision.Auto)
        {
            var plan = (PrecisionPlan.Use)PrecisionSelector.Plan(role, requested, setting, options.ExecutionProvider, int8, fp16, options.AllowUngatedVariants);
            var path = requested == ModelPrecision.Int8 ? int8.Path : fp16.Path;
            return Chosen(role, Open(path, requested, plan.Reason, options, logger), logger);
        }

        // Auto: FP32 first, which also tells which provider really runs (CUDA can fall back to the CPU).
        var fp32 = Open(basePath, ModelPrecision.Fp32, string.Empty, options, logger);
        var autoPlan = PrecisionSelector.Plan(role, ModelPrecision.Auto, setting, fp32.Provider, int8, fp16);
        switch (autoPlan)
        {
            case PrecisionPlan.Use { Precision: ModelPrecision.Fp32 } use:
                return Chosen(role, fp32 with { Reason = use.Reason }, logger);
            case PrecisionPlan.Use use:
                var variant = Open(use.Precision == ModelPrecision.Int8 ? int8.Path : fp16.Path, use.Precision, use.Reason, options, logger);
                fp32.Session.Dispose();
                return Chosen(role, variant, logger);
            default:
                var time = (PrecisionPlan.TimeAgainstFp32)autoPlan;
                var candidate = Open(int8.Path, time.Candidate, time.Reason, options, logger);
                var (fp32Ms, candidateMs) = TimeBoth(fp32.Session, candidate.Session, timingInput(), options.AutoTimingRuns);
                var (choice, why) = PrecisionSelector.DecideByTiming(time.Candidate, fp32Ms, candidateMs, options.AutoMinSpeedup);
                Log.PrecisionTimed(logger, role.ToString(), fp32Ms, time.Candidate.Label(), candidateMs, options.AutoTimingRuns, fp32Ms / candidateMs, options.AutoMinSpeedup);
                var (keep, drop) = choice == time.Candidate ? (candidate, fp32) : (fp32, candidate);
                drop.Session.Dispose();
                return Chosen(role, keep with { Reason = $"{time.Reason}; {why}" }, logger);
        }
    }

    /// <summary>
    /// Median milliseconds of each session on the same input: one untimed run each, then alternating timed runs
    /// so that a noisy neighbour on a shared machine slows both alike.
    /// </summary>
    internal static (double First, double Second) TimeBoth(InferenceSession first, InferenceSession second, TimingInput input, int runs)
    {
        OrtRun.Run(first, input.Data, input.Shape, out _, CancellationToken.None);
        OrtRun.Run(second, input.Data, input.Shape, out _, CancellationToken.None);
        var a = new List<double>(runs);
        var b = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            a.Add(TimeOne(first, input));
            b.Add(TimeOne(second, input));
        }

        return (PrecisionSelector.Median(a), PrecisionSelector.Median(b));
    }

    private static double TimeOne(InferenceSession session, TimingInput input)
    {
        var started = Stopwatch.GetTimestamp();
        OrtRun.Run(session, input.Data, input.Shape, out _, CancellationToken.None);
        return Stopwatch.GetElapsedTime(started).TotalMilliseconds;
    }

    private static LoadedModel Open(string path, ModelPrecision precision, string reason, OcrEngineOptions options, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var (session, provider) = OrtSessionFactory.Create(path, options, logger);
        var elapsed = Stopwatch.GetElapsedTime(started);
        Log.ModelLoaded(logger, System.IO.Path.GetFileName(path), provider.ToString(), elapsed.TotalMilliseconds);
        return new LoadedModel(session, provider, path, precision, reason, elapsed) { Profiled = !string.IsNullOrWhiteSpace(options.OrtProfilePrefix) };
    }

    private static LoadedModel Chosen(ModelRole role, LoadedModel model, ILogger logger)
    {
        Log.PrecisionChosen(logger, role.ToString(), model.Precision.Label(), model.File, model.Provider.ToString(), model.Reason);
        return model;
    }
}
