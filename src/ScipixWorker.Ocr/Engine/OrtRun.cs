using Microsoft.ML.OnnxRuntime;

namespace ScipixWorker.Ocr.Engine;

/// <summary>Runs a single-input, single-output session on a float tensor, cancellable through RunOptions.Terminate.</summary>
internal static class OrtRun
{
    public static float[] Run(InferenceSession session, float[] input, long[] shape, out long[] outputShape, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var runOptions = new RunOptions();
        using var registration = cancellationToken.Register(static state => ((RunOptions)state!).Terminate = true, runOptions);
        using var inputValue = OrtValue.CreateTensorValueFromMemory(input, shape);
        try
        {
            using var outputs = session.Run(runOptions, session.InputNames, [inputValue], session.OutputNames);
            var output = outputs[0];
            outputShape = output.GetTensorTypeAndShape().Shape;
            return output.GetTensorDataAsSpan<float>().ToArray();
        }
        catch (OnnxRuntimeException) when (cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException(cancellationToken);
        }
    }
}
