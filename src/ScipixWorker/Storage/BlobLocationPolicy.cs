using Azure.Storage.Blobs;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.Storage;

/// <summary>A blob the worker may read: a container in the allow-list on the configured account.</summary>
internal readonly record struct BlobReference(string Container, string Name)
{
    public override string ToString() => $"{Container}/{Name}";
}

/// <summary>
/// Turns a job's <see cref="ImageLocation"/> into a <see cref="BlobReference"/> on the configured account,
/// refusing (access-denied) a URI on another account or a container not in BlobStorage:AllowedContainers.
/// </summary>
internal sealed class BlobLocationPolicy(Uri accountUri, string accountName, IEnumerable<string> allowedContainers)
{
    private readonly HashSet<string> _allowed = new(allowedContainers, StringComparer.Ordinal);

    public BlobReference Resolve(ImageLocation location)
    {
        string container;
        string name;
        if (location.Uri is { } uri)
        {
            if (!uri.IsAbsoluteUri || !SameEndpoint(uri))
            {
                throw Denied("The image URI is not on the worker's storage account.");
            }

            var parts = new BlobUriBuilder(uri);
            if (!string.Equals(parts.AccountName, accountName, StringComparison.OrdinalIgnoreCase))
            {
                throw Denied("The image URI is not on the worker's storage account.");
            }

            container = parts.BlobContainerName;
            name = parts.BlobName;
        }
        else
        {
            container = location.Container ?? string.Empty;
            name = location.BlobName ?? string.Empty;
        }

        if (!_allowed.Contains(container))
        {
            throw Denied($"Container '{container}' is not one the worker may read (BlobStorage:AllowedContainers).");
        }

        if (string.IsNullOrEmpty(name))
        {
            throw JobFailedException.Permanent(RecognitionErrorCodes.ImageNotFound, "The image location names no blob.");
        }

        return new BlobReference(container, name);
    }

    private bool SameEndpoint(Uri uri) =>
        string.Equals(uri.Scheme, accountUri.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(uri.IdnHost, accountUri.IdnHost, StringComparison.OrdinalIgnoreCase)
        && uri.Port == accountUri.Port;

    private static JobFailedException Denied(string message) => JobFailedException.Permanent(RecognitionErrorCodes.AccessDenied, message);
}
