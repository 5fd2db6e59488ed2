using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ScipixWorker.Storage;

/// <summary>A container the worker writes to (results, idempotency keys), created when first needed.</summary>
internal sealed class WritableContainer(BlobContainerClient client)
{
    private volatile bool _exists;

    public BlobContainerClient Client { get; } = client;

    /// <summary>
    /// Creates the container the first time (unless it exists). A 403 is taken to mean that it exists and this
    /// identity may write blobs in it but not create containers (a role or SAS scoped to the container, as least
    /// privilege asks): the write that follows then succeeds, or fails with ContainerNotFound if it really is missing.
    /// </summary>
    private async Task EnsureAsync(CancellationToken cancellationToken)
    {
        if (_exists)
        {
            return;
        }

        try
        {
            await Client.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.Status == 403)
        {
        }

        _exists = true;
    }

    /// <summary>
    /// Runs <paramref name="write"/> in the container, created first if needed. A write that finds the container
    /// missing (deleted while the worker runs: by an operator, a clean-up script) creates it again and is repeated, once.
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<BlobContainerClient, CancellationToken, Task<T>> write, CancellationToken cancellationToken)
    {
        await EnsureAsync(cancellationToken);
        try
        {
            return await write(Client, cancellationToken);
        }
        catch (RequestFailedException exception) when (exception.ErrorCode == BlobErrorCode.ContainerNotFound)
        {
            _exists = false;
            await EnsureAsync(cancellationToken);
            return await write(Client, cancellationToken);
        }
    }
}
