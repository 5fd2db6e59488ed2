namespace ScipixWorker.Contracts;

/// <summary>Event: a job could not be recognized. Exactly one per failed job.</summary>
/// <param name="JobId">The job's id.</param>
/// <param name="CorrelationId">The job's correlation id, if it had one.</param>
/// <param name="ErrorCode">A stable reason from <see cref="RecognitionErrorCodes"/>.</param>
/// <param name="Message">A human-readable explanation (no secrets, no image data).</param>
/// <param name="Retryable">True when sending the same job again later may succeed (a storage outage); false when it never will.</param>
public sealed record DocumentRecognitionFailed(Guid JobId, string? CorrelationId, string ErrorCode, string Message, bool Retryable);

/// <summary>The stable values of <see cref="DocumentRecognitionFailed.ErrorCode"/>.</summary>
public static class RecognitionErrorCodes
{
    /// <summary>The blob does not exist.</summary>
    public const string ImageNotFound = "image-not-found";

    /// <summary>The blob is on another account, in a container the worker may not read, or storage refused access.</summary>
    public const string AccessDenied = "access-denied";

    /// <summary>The bytes are not an image format the engine reads.</summary>
    public const string UnsupportedFormat = "unsupported-format";

    /// <summary>The blob, a page's pixel count, a side or the page count is over a limit.</summary>
    public const string ImageTooLarge = "image-too-large";

    /// <summary>The image is empty, damaged or truncated.</summary>
    public const string CorruptImage = "corrupt-image";

    /// <summary>The job was still running after the worker's Worker:JobTimeout and was stopped.</summary>
    public const string ProcessingTimeout = "processing-timeout";

    /// <summary>The job's options.firstPage is past the file's last page.</summary>
    public const string PageOutOfRange = "page-out-of-range";

    /// <summary>The job's deadline passed before it was recognized.</summary>
    public const string DeadlineExceeded = "deadline-exceeded";

    /// <summary>
    /// The job was delivered Worker:DeliveryLimit times without an answer (a quorum queue counts them): it, or a job in
    /// flight beside it, may stop the worker, or the connection kept dropping. Retryable: sent again, it runs.
    /// </summary>
    public const string DeliveryLimitExceeded = "delivery-limit-exceeded";

    /// <summary>
    /// The message names its job but is not a valid <c>RecognizeDocument</c> (an option the worker does not know, a value
    /// of the wrong type, an image with both a uri and a blob name, ...): the message says which field and why. Not
    /// retryable: the job must be sent again corrected. A message that names no job (no readable jobId) cannot be
    /// answered and goes to the error queue instead.
    /// </summary>
    public const string InvalidJob = "invalid-job";

    /// <summary>Anything else: a storage outage that outlasted the retries (then retryable) or a bug (not retryable).</summary>
    public const string Internal = "internal";
}
