namespace ScipixWorker.Ocr.Batching;

/// <summary>
/// Receives the recognition scheduler's decisions and batches, so a host can export them (as metrics)
/// without the OCR library depending on a metrics library. Called on the executor threads: keep it cheap
/// and never throw.
/// </summary>
public interface IRecognitionObserver
{
    /// <summary>
    /// A batch size and wait were chosen and a batch taken with them (just before it runs); <paramref name="queueDepth"/>
    /// crops were waiting when it was decided.
    /// </summary>
    void BatchDecided(BatchDecision decision, int queueDepth);

    /// <summary>A recognizer call completed (or failed).</summary>
    void BatchCompleted(RecognitionBatch batch);
}

/// <summary>One recognizer call of the scheduler.</summary>
/// <param name="Size">Crops in the batch.</param>
/// <param name="TensorWidth">The width the batch was padded to.</param>
/// <param name="Execution">Time of the recognizer call.</param>
/// <param name="FillWait">Time the executor waited for the batch to fill.</param>
/// <param name="QueueDepth">Crops still waiting after the batch was taken.</param>
/// <param name="Jobs">Distinct callers (documents) whose crops the batch held.</param>
/// <param name="ReadAgain">Crops that were condensed and read again stretched, in a second model call inside this one (<c>Ocr:CondensedLines</c>).</param>
/// <param name="LineWidth">The mean width the crops need on their own (<see cref="Recognition.TextRecognizer.MeanWidth"/>): <paramref name="TensorWidth"/> less the padding, per crop; what the controller's costs are per column of.</param>
public readonly record struct RecognitionBatch(
    int Size, int TensorWidth, TimeSpan Execution, TimeSpan FillWait, int QueueDepth, int Jobs, int ReadAgain, int LineWidth);
