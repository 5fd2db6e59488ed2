using System.Text.Json.Serialization;

namespace ScipixWorker.Contracts;

/// <summary>
/// Where an image is: a blob, either <paramref name="Container"/> and <paramref name="BlobName"/> on the worker's storage
/// account or a full <paramref name="Uri"/> (which must point to that account and an allowed container); or, for a job,
/// in the message itself (<paramref name="Data"/>).
/// </summary>
/// <param name="Container">Container name, with <paramref name="BlobName"/>.</param>
/// <param name="BlobName">Blob name inside <paramref name="Container"/>.</param>
/// <param name="Uri">Absolute blob URI, instead of container and name.</param>
/// <param name="Data">
/// The image file's bytes (base64 in JSON), instead of a blob: a small image (a line crop, a label) needs no storage round
/// trip. At most <c>Worker:MaxInlineImageBytes</c> (256 KiB by default); a larger image goes to blob storage.
/// </param>
public sealed record ImageLocation(
    string? Container = null,
    string? BlobName = null,
    Uri? Uri = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] byte[]? Data = null);
