using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Options;
using ScipixWorker.Contracts;

namespace ScipixWorker.Storage;

/// <summary>
/// Writes to BlobStorage:ResultContainer: results too large for a message (claim check) and the documents jobs ask for
/// beside their results (searchable PDF, hOCR, ALTO).
/// </summary>
internal sealed class ResultStore(BlobServiceClient service, IOptions<BlobStorageOptions> options)
{
    private readonly WritableContainer _container = new(service.GetBlobContainerClient(options.Value.ResultContainer));

    /// <summary>The result as JSON, <c>&lt;jobId&gt;.json</c>. One attempt; overwrites (a retried job writes the same result).</summary>
    public Task<ImageLocation> SaveAsync(Guid jobId, ReadOnlyMemory<byte> json, CancellationToken cancellationToken) =>
        SaveAsync($"{jobId:D}.json", "application/json", new BinaryData(json).ToStream(), cancellationToken);

    /// <summary>
    /// One attempt at writing <paramref name="name"/> from a seekable stream, read from its start on every attempt (a
    /// container deleted since start is created again); overwrites (a retried job writes the same document).
    /// </summary>
    public Task<ImageLocation> SaveAsync(string name, string contentType, Stream content, CancellationToken cancellationToken) =>
        _container.WriteAsync(
            async (container, token) =>
            {
                content.Position = 0;
                var blob = container.GetBlobClient(name);
                await blob.UploadAsync(
                    content,
                    new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = contentType } },
                    token);
                return new ImageLocation(container.Name, blob.Name, blob.Uri);
            },
            cancellationToken);
}
