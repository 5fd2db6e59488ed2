using Azure;
using Azure.Storage.Blobs;

namespace ScipixWorker.Storage;

/// <summary>Containers the worker writes to (results, idempotency keys), created when first needed.</summary>
internal static class ContainerCreation
{
    /// <summary>
    /// Creates the container unless it exists. A 403 is taken to mean that it exists and this identity may write
    /// blobs in it but not create containers (a role or SAS scoped to the container, as least privilege asks): the
    /// write that follows then succeeds, or fails with ContainerNotFound if it really is missing.
    /// </summary>
    public static async Task EnsureAsync(BlobContainerClient container, CancellationToken cancellationToken)
    {
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 403)
        {
        }
    }
}
