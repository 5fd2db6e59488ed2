using ScipixWorker.Jobs;
using ScipixWorker.Messaging;
using ScipixWorker.Storage;

namespace ScipixWorker.UnitTests;

public sealed class OptionsValidationTests
{
    private const string Azurite = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    [Fact]
    public void The_worker_defaults_are_valid_and_prefetch_covers_every_concurrent_batch()
    {
        var options = new WorkerOptions();

        Assert.True(new WorkerOptionsValidator().Validate(null, options).Succeeded);
        Assert.Equal(options.MaxBatchSize * options.ConcurrentBatches, options.EffectivePrefetchCount);
        var shutdown = TimeSpan.FromSeconds(30);
        Assert.True(WorkerOptions.ConsumerStopTimeout(shutdown) < WorkerOptions.BusStopTimeout(shutdown));
        Assert.True(WorkerOptions.BusStopTimeout(shutdown) < shutdown);
    }

    [Fact]
    public void A_prefetch_count_below_batch_size_times_concurrency_fails_naming_the_setting()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { MaxBatchSize = 10, ConcurrentBatches = 2, PrefetchCount = 5 });

        Assert.True(result.Failed);
        Assert.Contains("Worker:PrefetchCount", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void An_out_of_range_batch_size_fails_naming_the_setting()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { MaxBatchSize = 0 });

        Assert.True(result.Failed);
        Assert.Contains("MaxBatchSize", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_queue_name_fails_naming_the_setting()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { QueueName = "has space" });

        Assert.Contains("Worker:QueueName", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lease_for_shared_idempotency_keys_out_of_range_fails_naming_the_setting()
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { IdempotencyStore = IdempotencyStore.Blob, IdempotencyLease = TimeSpan.FromHours(2) });

        Assert.True(result.Failed);
        Assert.Contains("IdempotencyLease", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3600)]
    public void A_publish_timeout_out_of_range_fails_naming_the_setting(int seconds)
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { PublishTimeout = TimeSpan.FromSeconds(seconds) });

        Assert.True(result.Failed);
        Assert.Contains("PublishTimeout", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(900, true)]
    [InlineData(86400, true)]
    [InlineData(86401, false)]
    [InlineData(-1, false)]
    public void The_job_timeout_is_up_to_a_day_and_0_turns_it_off(int seconds, bool valid)
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { JobTimeout = TimeSpan.FromSeconds(seconds), StallTimeout = TimeSpan.Zero });

        Assert.Equal(valid, result.Succeeded);
    }

    [Theory]
    [InlineData(1200, 900, true)]
    [InlineData(900, 900, false)]
    [InlineData(600, 900, false)]
    [InlineData(0, 900, true)]
    [InlineData(60, 0, true)]
    public void The_stall_timeout_is_above_the_job_timeout(int stallSeconds, int jobSeconds, bool valid)
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { StallTimeout = TimeSpan.FromSeconds(stallSeconds), JobTimeout = TimeSpan.FromSeconds(jobSeconds) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Worker:StallTimeout", result.FailureMessage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Priorities_on_a_quorum_queue_fail_naming_both_settings()
    {
        var quorum = new WorkerOptionsValidator().Validate(null, new WorkerOptions { QueueType = QueueType.Quorum, MaxPriority = 10 });
        var classic = new WorkerOptionsValidator().Validate(null, new WorkerOptions { QueueType = QueueType.Classic, MaxPriority = 10 });

        Assert.True(quorum.Failed);
        Assert.Contains("Worker:MaxPriority", quorum.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Worker:QueueType", quorum.FailureMessage, StringComparison.Ordinal);
        Assert.True(classic.Succeeded);
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1000, true)]
    [InlineData(1001, false)]
    public void The_delivery_limit_is_0_to_1000(int limit, bool valid)
    {
        var result = new WorkerOptionsValidator().Validate(null, new WorkerOptions { QueueType = QueueType.Quorum, DeliveryLimit = limit });

        Assert.Equal(valid, result.Succeeded);
    }

    [Fact]
    public void A_bad_idempotency_container_name_fails_naming_the_setting()
    {
        var result = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions { ConnectionString = Azurite, AllowedContainers = ["images"], IdempotencyContainer = "Keys_Here" });

        Assert.True(result.Failed);
        Assert.Contains("'Keys_Here'", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("BlobStorage:IdempotencyContainer", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Blob_storage_with_a_connection_string_and_an_allowed_container_is_valid()
    {
        var result = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions { ConnectionString = Azurite, AllowedContainers = ["images"] });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Blob_storage_needs_exactly_one_of_connection_string_and_account_url()
    {
        var neither = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions { AllowedContainers = ["images"] });
        var both = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions
        {
            ConnectionString = Azurite,
            AccountUrl = new Uri("https://a.blob.core.windows.net"),
            AllowedContainers = ["images"],
        });

        Assert.Contains("BlobStorage:ConnectionString", neither.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("BlobStorage:AccountUrl", both.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_malformed_connection_string_fails_at_start_naming_the_setting()
    {
        var result = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions
        {
            ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=not-base64;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;",
            AllowedContainers = ["images"],
        });

        Assert.Contains("BlobStorage:ConnectionString", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void No_allowed_container_or_an_invalid_container_name_fails()
    {
        var none = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions { ConnectionString = Azurite });
        var invalid = new BlobStorageOptionsValidator().Validate(null, new BlobStorageOptions { ConnectionString = Azurite, AllowedContainers = ["Images_1"] });

        Assert.Contains("BlobStorage:AllowedContainers", none.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Images_1", invalid.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void A_broker_port_out_of_range_fails_naming_the_setting()
    {
        var result = new RabbitMqOptionsValidator().Validate(null, new RabbitMqOptions { Port = 0 });

        Assert.Contains("Port", result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, true)]
    [InlineData(600, true)]
    [InlineData(601, false)]
    public void The_broker_heartbeat_is_one_second_to_ten_minutes(int seconds, bool valid)
    {
        var result = new RabbitMqOptionsValidator().Validate(null, new RabbitMqOptions { Heartbeat = TimeSpan.FromSeconds(seconds) });

        Assert.Equal(valid, result.Succeeded);
        if (!valid)
        {
            Assert.Contains("Heartbeat", result.FailureMessage, StringComparison.Ordinal);
        }
    }
}
