namespace ScipixWorker.Contracts;

/// <summary>
/// Command: recognize the text of one image stored in blob storage (or, small, carried in the message). Send it to the <c>recognize-document</c>
/// queue (or publish it); the worker answers with exactly one <see cref="DocumentRecognized"/> or
/// <see cref="DocumentRecognitionFailed"/> per job, like the asynchronous job APIs of Azure Document
/// Intelligence, Amazon Textract and Google Document AI.
/// </summary>
/// <param name="JobId">The caller's id for this job; echoed in the result. Required (not <see cref="Guid.Empty"/>).</param>
/// <param name="Image">Where the image is: a blob, or the image itself (<see cref="ImageLocation.Data"/>).</param>
/// <param name="Options">What to recognize and how much detail to return; <c>null</c> means the defaults.</param>
/// <param name="IdempotencyKey">
/// Jobs with the same key are done once: a repeat is acknowledged without a second result. When absent the
/// <paramref name="JobId"/> is the key.
/// </param>
/// <param name="CorrelationId">The caller's correlation id; echoed in the result.</param>
/// <param name="Deadline">When the result stops being useful: a job picked up later fails with <c>deadline-exceeded</c> without being recognized.</param>
/// <param name="Priority">0 (lowest) to 9: the AMQP priority the sender should also set; it has an effect only on a priority queue (<c>Worker:MaxPriority</c>).</param>
public sealed record RecognizeDocument(
    Guid JobId,
    ImageLocation Image,
    RecognitionOptions? Options = null,
    string? IdempotencyKey = null,
    string? CorrelationId = null,
    DateTimeOffset? Deadline = null,
    byte? Priority = null);
