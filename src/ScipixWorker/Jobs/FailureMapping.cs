using System.Net.Sockets;
using Azure;
using ScipixWorker.Contracts;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.Jobs;

/// <summary>Maps exceptions from the engine and from storage to the stable error codes of the contract.</summary>
internal static class FailureMapping
{
    public static JobFailure FromOcr(OcrException exception) => exception.Code switch
    {
        OcrErrorCode.UnsupportedFormat => new(RecognitionErrorCodes.UnsupportedFormat, exception.Message, false),
        OcrErrorCode.ImageTooLarge => new(RecognitionErrorCodes.ImageTooLarge, exception.Message, false),
        OcrErrorCode.CorruptImage => new(RecognitionErrorCodes.CorruptImage, exception.Message, false),
        OcrErrorCode.EmptyImage => new(RecognitionErrorCodes.CorruptImage, exception.Message, false),
        _ => new(RecognitionErrorCodes.Internal, exception.Message, false),
    };

    /// <summary>A storage response that will not change if asked again: not found, forbidden, bad name.</summary>
    public static JobFailure? FromStoragePermanent(RequestFailedException exception, string blob) => exception.Status switch
    {
        404 => new(RecognitionErrorCodes.ImageNotFound, $"Blob '{blob}' does not exist.", false),
        401 or 403 => new(RecognitionErrorCodes.AccessDenied, $"Storage refused access to '{blob}' ({exception.ErrorCode ?? exception.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)}).", false),
        400 => new(RecognitionErrorCodes.ImageNotFound, $"'{blob}' is not a valid blob name ({exception.ErrorCode}).", false),
        _ => null,
    };

    /// <summary>
    /// True for errors that may go away on their own: storage 5xx, 408, 412 (changed while read), 429,
    /// no response at all, I/O and timeouts that are not our own cancellation.
    /// </summary>
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken) => exception switch
    {
        RequestFailedException { Status: 0 or 408 or 412 or 429 or >= 500 } => true,
        RequestFailedException => false,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        HttpRequestException or IOException or TimeoutException or SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Count > 0 && aggregate.InnerExceptions.All(e => IsTransient(e, cancellationToken)),
        _ => false,
    };
}
