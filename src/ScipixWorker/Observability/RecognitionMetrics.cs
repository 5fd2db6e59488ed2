using ScipixWorker.Ocr.Batching;

namespace ScipixWorker.Observability;

/// <summary>Exports the OCR engine's recognition batching (the engine knows nothing of Prometheus).</summary>
internal sealed class RecognitionMetrics : IRecognitionObserver
{
    private static readonly IReadOnlyDictionary<BatchReason, string> Reasons = new Dictionary<BatchReason, string>
    {
        [BatchReason.Idle] = "idle",
        [BatchReason.KeepUp] = "keep_up",
        [BatchReason.Saturated] = "saturated",
        [BatchReason.Explore] = "explore",
        [BatchReason.BackOff] = "back_off",
        [BatchReason.Static] = "static",
    };

    public void BatchDecided(BatchDecision decision, int queueDepth)
    {
        WorkerMetrics.RecognitionBatchSize.Set(decision.Size);
        WorkerMetrics.RecognitionBatchWaitSeconds.Set(decision.MaxWait.TotalSeconds);
        WorkerMetrics.RecognitionBatchDecisionsTotal.WithLabels(Reasons.GetValueOrDefault(decision.Reason, "other")).Inc();
        WorkerMetrics.RecognitionQueueDepth.Set(queueDepth);
    }

    public void BatchCompleted(RecognitionBatch batch)
    {
        WorkerMetrics.RecognitionBatchCrops.Observe(batch.Size);
        WorkerMetrics.RecognitionLinesReadAgainTotal.Inc(batch.ReadAgain);
        WorkerMetrics.RecognitionQueueDepth.Set(batch.QueueDepth);
    }
}
