using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Storage;

/// <summary>The storage account images are read from and results written to (section <c>BlobStorage</c>).</summary>
public sealed partial class BlobStorageOptions : IValidatableObject
{
    public const string SectionName = "BlobStorage";

    /// <summary>A connection string (Azurite, or an account key); set this or <see cref="AccountUrl"/>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The account's blob endpoint, authenticated with DefaultAzureCredential; set this or <see cref="ConnectionString"/>.</summary>
    public Uri? AccountUrl { get; set; }

    /// <summary>The allow-list when none is configured.</summary>
    public const string DefaultContainer = "images";

    /// <summary>Containers jobs may read images from (default: images); any other container is access-denied.</summary>
    public List<string> AllowedContainers { get; set; } = [];

    /// <summary>Larger blobs are refused (image-too-large) before they are downloaded.</summary>
    [Range(1, 2L * 1024 * 1024 * 1024)]
    public long MaxBlobBytes { get; set; } = 20L * 1024 * 1024;

    /// <summary>Container for results too large for a message (claim check); created when first needed.</summary>
    [Required]
    public string ResultContainer { get; set; } = "results";

    /// <summary>Container for the idempotency keys shared by replicas (Worker:IdempotencyStore=Blob); created when first needed.</summary>
    [Required]
    public string IdempotencyContainer { get; set; } = "idempotency";

    /// <summary>Timeout of one storage request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        if (hasConnectionString == (AccountUrl is not null))
        {
            yield return new ValidationResult("Set exactly one of BlobStorage:ConnectionString and BlobStorage:AccountUrl.", [nameof(ConnectionString), nameof(AccountUrl)]);
        }

        if (hasConnectionString && !IsValidConnectionString(ConnectionString!))
        {
            yield return new ValidationResult("BlobStorage:ConnectionString is not a valid storage connection string (check the AccountKey and the BlobEndpoint).", [nameof(ConnectionString)]);
        }

        if (AccountUrl is not null && (!AccountUrl.IsAbsoluteUri || (AccountUrl.Scheme != Uri.UriSchemeHttps && AccountUrl.Scheme != Uri.UriSchemeHttp)))
        {
            yield return new ValidationResult("BlobStorage:AccountUrl must be an absolute http(s) URL such as https://ACCOUNT.blob.core.windows.net.", [nameof(AccountUrl)]);
        }

        if (AllowedContainers.Count == 0)
        {
            yield return new ValidationResult("BlobStorage:AllowedContainers must name at least one container that jobs may read.", [nameof(AllowedContainers)]);
        }

        foreach (var container in AllowedContainers.Append(ResultContainer).Append(IdempotencyContainer))
        {
            if (!IsValidContainerName(container))
            {
                yield return new ValidationResult(
                    $"'{container}' is not a valid container name (3-63 lowercase letters, digits and single hyphens): check BlobStorage:AllowedContainers, BlobStorage:ResultContainer and BlobStorage:IdempotencyContainer.",
                    [nameof(AllowedContainers)]);
            }
        }
    }

    private static bool IsValidConnectionString(string connectionString)
    {
        try
        {
            _ = new Azure.Storage.Blobs.BlobServiceClient(connectionString);
            return true;
        }
        catch (Exception exception) when (exception is FormatException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Azure's container naming rule.</summary>
    public static bool IsValidContainerName(string? name) => name is not null && ContainerName().IsMatch(name);

    [GeneratedRegex("^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$")]
    private static partial Regex ContainerName();
}

[OptionsValidator]
internal sealed partial class BlobStorageOptionsValidator : IValidateOptions<BlobStorageOptions>;
