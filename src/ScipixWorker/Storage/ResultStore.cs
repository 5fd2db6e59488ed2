using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;

namespace ScipixWorker.Storage;

/// <summary>Claim check: writes results too large for a message to BlobStorage:ResultContainer.</summary>
internal sealed class ResultStore(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private volatile bool _containerExists;

    /// <summary>One attempt; overwrites (a retried job writes the same result).</summary>
    public async Task<ImageLocation> SaveAsync(Guid jobId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        var container = service.GetBlobContainerClient(options.Value.ResultContainer);
        if (!_containerExists)
        {
            await ContainerCreation.EnsureAsync(container, cancellationToken);
            _containerExists = true;
        }

        var blob = container.GetBlobClient($"{jobId:D}.json");
        await blob.UploadAsync(
            new BinaryData(json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        return new ImageLocation(container.Name, blob.Name, blob.Uri);
    }
}
