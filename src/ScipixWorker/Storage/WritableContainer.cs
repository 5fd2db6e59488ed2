using Azure;
using Azure.Storage.Blobs;

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
    public async Task EnsureAsync(CancellationToken cancellationToken)
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

    /// <summary>A write found it missing (deleted since): the next <see cref="EnsureAsync"/> creates it again.</summary>
    public void Forget() => _exists = false;
}
