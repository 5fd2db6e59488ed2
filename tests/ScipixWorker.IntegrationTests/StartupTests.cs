using Microsoft.Extensions.Options;
using ScipixWorker.IntegrationTests.Support;

namespace ScipixWorker.IntegrationTests;

public sealed class StartupTests
{
    [Theory]
    [InlineData("Worker:PrefetchCount", "3", "Worker:PrefetchCount")]
    [InlineData("BlobStorage:AllowedContainers:0", "Not_A_Container", "BlobStorage:AllowedContainers")]
    [InlineData("Health:Port", "0", "Port")]
    public async Task A_misconfigured_worker_fails_at_start_naming_the_setting(string key, string value, string named)
    {
        await using var worker = new WorkerUnderTest(new() { [key] = value });

        var exception = await Assert.ThrowsAsync<OptionsValidationException>(worker.StartAsync);

        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }
}
