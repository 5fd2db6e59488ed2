using Microsoft.ML.OnnxRuntime;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Reads a model's output in place, while ONNX Runtime still owns it.</summary>
internal delegate TResult OutputReader<out TResult>(ReadOnlySpan<float> output, long[] shape);

/// <summary>Runs a single-input, single-output session on a float tensor, cancellable through RunOptions.Terminate.</summary>
internal static class OrtRun
{
    /// <summary>Runs the model and copies its output (small outputs, tests and timings).</summary>
    public static float[] Run(InferenceSession session, float[] input, long[] shape, out long[] outputShape, CancellationToken cancellationToken)
    {
        var (data, resultShape) = Run(session, input, shape, static (output, s) => (output.ToArray(), s), cancellationToken);
        outputShape = resultShape;
        return data;
    }

    /// <summary>
    /// Runs the model and hands its output to <paramref name="read"/> without copying it: a recognizer batch's
    /// output is about 1 MB per line, and copying it put every call on the large-object heap.
    /// </summary>
    public static TResult Run<TResult>(InferenceSession session, Memory<float> input, long[] shape, OutputReader<TResult> read, CancellationToken cancellationToken)
    {
        using var inputValue = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, input, shape);
        return Run(session, inputValue, read, cancellationToken);
    }

    /// <summary>Runs the model on a tensor in native memory (the engine's model inputs), reading its output in place.</summary>
    public static TResult Run<TResult>(InferenceSession session, NativeTensor input, long[] shape, OutputReader<TResult> read, CancellationToken cancellationToken)
    {
        using var inputValue = input.ToOrtValue(shape);
        return Run(session, inputValue, read, cancellationToken);
    }

    private static TResult Run<TResult>(InferenceSession session, OrtValue inputValue, OutputReader<TResult> read, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        try
        {
            using var outputs = session.Run(runOptions, session.InputNames, [inputValue], session.OutputNames);
            var output = outputs[0];
            return read(output.GetTensorDataAsSpan<float>(), output.GetTensorTypeAndShape().Shape);
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
