using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;

namespace ScipixWorker.Storage;

/// <summary>Claim check: writes results too large for a message to BlobStorage:ResultContainer.</summary>
internal sealed class ResultStore(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private readonly WritableContainer _container = new(service.GetBlobContainerClient(options.Value.ResultContainer));

    /// <summary>One attempt; overwrites (a retried job writes the same result).</summary>
    public async Task<ImageLocation> SaveAsync(Guid jobId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken)
    {
        await _container.EnsureAsync(cancellationToken);
        var container = _container.Client;

        var blob = container.GetBlobClient($"{jobId:D}.json");
        await blob.UploadAsync(
            new BinaryData(json),
            new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
            cancellationToken);
        return new ImageLocation(container.Name, blob.Name, blob.Uri);
    }
}
