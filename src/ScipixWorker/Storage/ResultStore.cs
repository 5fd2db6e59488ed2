using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;

namespace ScipixWorker.Storage;

/// <summary>Claim check: writes results too large for a message to BlobStorage:ResultContainer.</summary>
internal sealed class ResultStore(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private readonly WritableContainer _container = new(service.GetBlobContainerClient(options.Value.ResultContainer));

    /// <summary>One attempt (a container deleted since start is created again); overwrites (a retried job writes the same result).</summary>
    public Task<ImageLocation> SaveAsync(Guid jobId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        _container.WriteAsync(
            async (container, token) =>
            {
                var blob = container.GetBlobClient($"{jobId:D}.json");
                await blob.UploadAsync(
                    new BinaryData(json),
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                    token);
                return new ImageLocation(container.Name, blob.Name, blob.Uri);
            },
            cancellationToken);
}
