using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.Storage;

/// <summary>
/// Reads job images in one request: the download's response headers give the size, checked before any of the body is
/// read, and the body is one consistent version of the blob.
/// </summary>
internal sealed class BlobImageSource(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private readonly BlobLocationPolicy _policy = new(service.Uri, service.AccountName, options.Value.AllowedContainers);

    /// <summary>Throws <see cref="JobFailedException"/> (access-denied, image-not-found) for a location the worker won't read.</summary>
    public BlobReference Resolve(ImageLocation location) => _policy.Resolve(location);

    /// <summary>
    /// One attempt: permanent problems throw <see cref="JobFailedException"/>, transient ones throw what the
    /// SDK threw (the caller retries). A blob over <see cref="BlobStorageOptions.MaxBlobBytes"/> fails before its body
    /// is read (the connection is dropped rather than drained). <paramref name="beforeBody"/> is given the size before
    /// the body is read, and may wait (the images downloaded ahead, Worker:ImageBytesAhead).
    /// </summary>
    public async Task<byte[]> DownloadAsync(BlobReference blob, Func<long, CancellationToken, Task>? beforeBody, CancellationToken cancellationToken)
    {
        var client = service.GetBlobContainerClient(blob.Container).GetBlobClient(blob.Name);
        try
        {
            var download = await client.DownloadStreamingAsync(cancellationToken: cancellationToken);
            await using var stream = download.Value.Content;
            var length = download.Value.Details.ContentLength;
            var max = options.Value.MaxBlobBytes;
            if (length > max)
            {
                throw JobFailedException.Permanent(RecognitionErrorCodes.ImageTooLarge, $"The blob is {length} bytes; the limit is {max} (BlobStorage:MaxBlobBytes).");
            }

            if (beforeBody is not null)
            {
                await beforeBody(length, cancellationToken);
            }

            var buffer = new byte[length];
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }
        catch (RequestFailedException exception) when (FailureMapping.FromStoragePermanent(exception, blob.ToString()) is { } failure)
        {
            throw new JobFailedException(failure, exception);
        }
    }
}
