namespace ScipixWorker.IntegrationTests.Support;

/// <summary>
/// Where the real RabbitMQ and Azurite are: the worker's own configuration keys read from environment
/// variables (RabbitMq__Host, BlobStorage__ConnectionString, ...), with local defaults.
/// </summary>
internal static class TestEnvironment
{
    /// <summary>Azurite's well-known development account (public, documented by Microsoft).</summary>
    public const string AzuriteConnectionString =
        "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1;";

    public static string RabbitHost { get; } = Get("RabbitMq:Host") ?? "localhost";

    public static int RabbitPort { get; } = int.TryParse(Get("RabbitMq:Port"), out var port) ? port : 5672;

    public static string VirtualHost { get; } = Get("RabbitMq:VirtualHost") ?? "/";

    public static string Username { get; } = Get("RabbitMq:Username") ?? "guest";

    public static string Password { get; } = Get("RabbitMq:Password") ?? "guest";

    public static string BlobConnectionString { get; } = Get("BlobStorage:ConnectionString") ?? AzuriteConnectionString;

    /// <summary>The models folder: Ocr__ModelDirectory, else the nearest models/ with SHA256SUMS above the test binaries.</summary>
    public static string ModelDirectory { get; } = Get("Ocr:ModelDirectory") ?? FindModels();

    /// <summary>A plain AMQP connection factory for the test broker, as a non-.NET client would connect.</summary>
    public static RabbitMQ.Client.ConnectionFactory ConnectionFactory() => new()
    {
        HostName = RabbitHost,
        Port = RabbitPort,
        VirtualHost = VirtualHost,
        UserName = Username,
        Password = Password,
    };

    public static string Asset(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    private static string? Get(string key)
    {
        var value = Environment.GetEnvironmentVariable(key.Replace(":", "__", StringComparison.Ordinal));
        return string.IsNullOrWhiteSpace(value) ? null : value;
    }

    private static string FindModels()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "models");
            if (File.Exists(Path.Combine(candidate, "SHA256SUMS")))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("No models/ folder above the test binaries: run `make models` (or set Ocr__ModelDirectory).");
    }
}
