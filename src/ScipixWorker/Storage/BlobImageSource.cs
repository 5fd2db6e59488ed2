using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.Storage;

/// <summary>Reads job images: checks the size first (GetProperties), then downloads exactly that version.</summary>
internal sealed class BlobImageSource(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private readonly BlobLocationPolicy _policy = new(service.Uri, service.AccountName, options.Value.AllowedContainers);

    /// <summary>Throws <see cref="JobFailedException"/> (access-denied, image-not-found) for a location the worker won't read.</summary>
    public BlobReference Resolve(ImageLocation location) => _policy.Resolve(location);

    /// <summary>
    /// One attempt: permanent problems throw <see cref="JobFailedException"/>, transient ones throw what the
    /// SDK threw (the caller retries).
    /// </summary>
    public async Task<byte[]> DownloadAsync(BlobReference blob, CancellationToken cancellationToken)
    {
        var client = service.GetBlobContainerClient(blob.Container).GetBlobClient(blob.Name);
        try
        {
            BlobProperties properties = await client.GetPropertiesAsync(cancellationToken: cancellationToken);
            var max = options.Value.MaxBlobBytes;
            if (properties.ContentLength > max)
            {
                throw JobFailedException.Permanent(RecognitionErrorCodes.ImageTooLarge, $"The blob is {properties.ContentLength} bytes; the limit is {max} (BlobStorage:MaxBlobBytes).");
            }

            var buffer = new byte[properties.ContentLength];
            var download = await client.DownloadStreamingAsync(
                new BlobDownloadOptions { Conditions = new BlobRequestConditions { IfMatch = properties.ETag } }, cancellationToken);
            await using var stream = download.Value.Content;
            await stream.ReadExactlyAsync(buffer, cancellationToken);
            return buffer;
        }
        catch (RequestFailedException exception) when (FailureMapping.FromStoragePermanent(exception, blob.ToString()) is { } failure)
        {
            throw new JobFailedException(failure, exception);
        }
    }
}
