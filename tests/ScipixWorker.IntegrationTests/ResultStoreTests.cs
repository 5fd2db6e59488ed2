using System.Text;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Options;
using ScipixWorker.IntegrationTests.Support;
using ScipixWorker.Storage;

namespace ScipixWorker.IntegrationTests;

/// <summary>The claim-check store for large results (BlobStorage:ResultContainer), on the real Azurite.</summary>
public sealed class ResultStoreTests : IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly BlobServiceClient _storage = new(TestEnvironment.BlobConnectionString, new BlobClientOptions { Retry = { MaxRetries = 0 } });
    private readonly string _container = $"it-results-{Guid.NewGuid().ToString("N")[..12]}";

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync() => await _storage.GetBlobContainerClient(_container).DeleteIfExistsAsync();

    private ResultStore Store() => new(_storage, Options.Create(new BlobStorageOptions { ResultContainer = _container }));

    [Fact]
    public async Task A_result_is_written_as_json_into_a_container_created_on_first_use()
    {
        var jobId = Guid.NewGuid();

        var location = await Store().SaveAsync(jobId, Encoding.UTF8.GetBytes("""{"text":"a"}"""), None);

        Assert.Equal((_container, $"{jobId:D}.json"), (location.Container, location.BlobName));
        var blob = await _storage.GetBlobContainerClient(_container).GetBlobClient(location.BlobName).DownloadContentAsync(None);
        Assert.Equal("""{"text":"a"}""", blob.Value.Content.ToString());
        Assert.Equal("application/json", blob.Value.Details.ContentType);
    }

    [Fact]
    public async Task A_container_deleted_while_the_worker_runs_is_created_again()
    {
        var store = Store();
        await store.SaveAsync(Guid.NewGuid(), Encoding.UTF8.GetBytes("{}"), None);

        await _storage.GetBlobContainerClient(_container).DeleteAsync(cancellationToken: None);
        var after = Guid.NewGuid();
        await store.SaveAsync(after, Encoding.UTF8.GetBytes("""{"after":true}"""), None); // Azurite frees the name at once (Azure: after a while)

        Assert.True(await _storage.GetBlobContainerClient(_container).GetBlobClient($"{after:D}.json").ExistsAsync(None));
    }
}
