namespace ScipixWorker.Jobs;

/// <summary>The RabbitMQ queue type the worker declares its queue with (<see cref="WorkerOptions.QueueType"/>).</summary>
public enum QueueType
{
    /// <summary>RabbitMQ's default: on one node, no delivery count.</summary>
    Classic,

    /// <summary>Replicated (Raft) across the cluster's nodes; counts each message's unanswered deliveries.</summary>
    Quorum,
}
