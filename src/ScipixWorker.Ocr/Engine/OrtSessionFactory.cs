using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.ML.OnnxRuntime;
using ScipixWorker.Ocr.Engine.Graph;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Creates ONNX Runtime sessions on the configured execution provider, falling back to the CPU.</summary>
internal static class OrtSessionFactory
{
    public static (InferenceSession Session, ExecutionProvider Provider) Create(string modelPath, OcrEngineOptions options, ILogger logger)
    {
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException($"Model file '{modelPath}' does not exist (run `make models`, or set Ocr:ModelDirectory).", modelPath);
        }

        var simplified = options.SimplifyGraphs ? Simplified(modelPath, logger) : null;
        if (simplified is null)
        {
            return Open(modelPath, options, logger, sessionOptions => new InferenceSession(modelPath, sessionOptions));
        }

        var created = Open(modelPath, options, logger, sessionOptions => new InferenceSession(simplified, sessionOptions));

        // The model read and rewritten is tens of megabytes of large-object heap, garbage once ONNX Runtime has parsed it,
        // which the GC would keep committed (about 50 MiB of resident memory for the three models): give it back now.
        // Once per model, at start-up.
        simplified = null;
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        return created;
    }

    // A session on the configured provider, the CPU where CUDA cannot be used.
    private static (InferenceSession Session, ExecutionProvider Provider) Open(
        string modelPath, OcrEngineOptions options, ILogger logger, Func<SessionOptions, InferenceSession> open)
    {
        if (options.ExecutionProvider == ExecutionProvider.Cuda)
        {
            try
            {
                using var cudaOptions = CreateOptions(options);
                using var cuda = new OrtCUDAProviderOptions();
                cuda.UpdateOptions(CudaSettings(options));
                cudaOptions.AppendExecutionProvider_CUDA(cuda);
                return (open(cudaOptions), ExecutionProvider.Cuda);
            }
            catch (Exception ex) when (ex is OnnxRuntimeException or DllNotFoundException or EntryPointNotFoundException)
            {
                Log.CudaUnavailable(logger, Path.GetFileName(modelPath), options.DeviceId, ex.Message);
            }
        }

        using var cpuOptions = CreateOptions(options);
        return (open(cpuOptions), ExecutionProvider.Cpu);
    }

    /// <summary>
    /// The model with its graph simplified (<see cref="GraphSimplifier"/>); null where there was nothing to simplify, or
    /// the file could not be read as a model here (ONNX Runtime then reads it as it is and reports what is wrong).
    /// </summary>
    internal static byte[]? Simplified(string modelPath, ILogger logger)
    {
        var started = Stopwatch.GetTimestamp();
        var name = Path.GetFileName(modelPath);
        try
        {
            var (model, report) = GraphSimplifier.Simplify(File.ReadAllBytes(modelPath));
            if (report.Skipped is { } reason)
            {
                Log.GraphNotSimplified(logger, name, reason);
            }
            else if (report.Changed)
            {
                Log.GraphSimplified(logger, name, Stopwatch.GetElapsedTime(started).TotalMilliseconds, report.AffinesIntoConvs,
                    report.AffinesIntoPointwiseConvs, report.HardSwishes, report.NodesBefore, report.NodesAfter);
            }

            return report.Changed ? model : null;
        }
        catch (InvalidDataException ex)
        {
            Log.GraphNotSimplified(logger, name, ex.Message);
            return null;
        }
    }

    /// <summary>The CUDA provider's settings (ONNX Runtime's names and values).</summary>
    internal static Dictionary<string, string> CudaSettings(OcrEngineOptions options) => new()
    {
        ["device_id"] = options.DeviceId.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["cudnn_conv_algo_search"] = options.CudnnConvAlgoSearch switch
        {
            CudnnConvAlgoSearch.Exhaustive => "EXHAUSTIVE",
            CudnnConvAlgoSearch.Default => "DEFAULT",
            _ => "HEURISTIC",
        },
        ["cudnn_conv_use_max_workspace"] = options.CudnnConvUseMaxWorkspace ? "1" : "0",
    };

    private static SessionOptions CreateOptions(OcrEngineOptions options)
    {
        var sessionOptions = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            IntraOpNumThreads = options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount,
            InterOpNumThreads = 1,
            LogSeverityLevel = options.OrtLogLevel switch
            {
                OrtLogLevel.Verbose => OrtLoggingLevel.ORT_LOGGING_LEVEL_VERBOSE,
                OrtLogLevel.Info => OrtLoggingLevel.ORT_LOGGING_LEVEL_INFO,
                OrtLogLevel.Warning => OrtLoggingLevel.ORT_LOGGING_LEVEL_WARNING,
                _ => OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR,
            },
            // Input shapes vary per image and per batch: the CPU arena keeps every peak-sized block it ever
            // grew to and memory patterns only pay off for fixed shapes, so both only inflate resident memory.
            EnableCpuMemArena = options.CpuMemoryArena,
            EnableMemoryPattern = options.CpuMemoryArena,
        };

        if (!string.IsNullOrWhiteSpace(options.OrtProfilePrefix))
        {
            // The prefix first: enabling profiling hands ONNX Runtime the prefix set at that moment.
            sessionOptions.ProfileOutputPathPrefix = options.OrtProfilePrefix;
            sessionOptions.EnableProfiling = true;
        }

        // Idle intra-op threads spin by default, which steals the CPU from concurrent runs and from
        // image decoding on small machines.
        sessionOptions.AddSessionConfigEntry("session.intra_op.allow_spinning", options.AllowSpinning ? "1" : "0");
        return sessionOptions;
    }
}
