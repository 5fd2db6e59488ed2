using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace ScipixWorker.Storage;

public static class BlobStorageHostingExtensions
{
    /// <summary>
    /// Binds BlobStorage (validated at start) and registers the <see cref="BlobServiceClient"/> (connection
    /// string, or AccountUrl with DefaultAzureCredential), the image source and the result store.
    /// </summary>
    public static TBuilder AddBlobSource<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<BlobStorageOptions>()
            .BindConfiguration(BlobStorageOptions.SectionName)
            .PostConfigure<IConfiguration>(AcceptCommaSeparatedContainers)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<BlobStorageOptions>, BlobStorageOptionsValidator>();
        builder.Services.AddSingleton(sp => CreateClient(sp.GetRequiredService<IOptions<BlobStorageOptions>>().Value));
        builder.Services.AddSingleton<BlobImageSource>();
        builder.Services.AddSingleton<ResultStore>();
        return builder;
    }

    private static BlobServiceClient CreateClient(BlobStorageOptions options)
    {
        // One retry policy: the worker's own (Worker:TransientRetryCount), per job, so the SDK does not retry too.
        var clientOptions = new BlobClientOptions { Retry = { MaxRetries = 0, NetworkTimeout = options.NetworkTimeout, Mode = RetryMode.Fixed } };
        return string.IsNullOrWhiteSpace(options.ConnectionString)
            ? new BlobServiceClient(options.AccountUrl, new DefaultAzureCredential(), clientOptions)
            : new BlobServiceClient(options.ConnectionString, clientOptions);
    }

    // Unset means "images" only; "a,b" in one variable (BlobStorage__AllowedContainers=a,b) works as well as an indexed list.
    private static void AcceptCommaSeparatedContainers(BlobStorageOptions options, IConfiguration configuration)
    {
        var scalar = configuration[$"{BlobStorageOptions.SectionName}:{nameof(BlobStorageOptions.AllowedContainers)}"];
        var entries = string.IsNullOrWhiteSpace(scalar) ? options.AllowedContainers : options.AllowedContainers.Append(scalar);
        options.AllowedContainers = entries
            .SelectMany(e => e.Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (options.AllowedContainers.Count == 0)
        {
            // Not in the class's initializer: the binder appends configured entries to a default list.
            options.AllowedContainers = [BlobStorageOptions.DefaultContainer];
        }
    }
}
