namespace ScipixWorker.Contracts;

/// <summary>
/// A blob: either <paramref name="Container"/> and <paramref name="BlobName"/> on the worker's storage
/// account, or a full <paramref name="Uri"/> (which must point to that account and an allowed container).
/// </summary>
/// <param name="Container">Container name, with <paramref name="BlobName"/>.</param>
/// <param name="BlobName">Blob name inside <paramref name="Container"/>.</param>
/// <param name="Uri">Absolute blob URI, instead of container and name.</param>
public sealed record ImageLocation(string? Container = null, string? BlobName = null, Uri? Uri = null);
