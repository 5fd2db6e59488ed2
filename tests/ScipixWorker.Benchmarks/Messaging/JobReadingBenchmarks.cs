using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using BenchmarkDotNet.Attributes;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.Benchmarks.Messaging;

/// <summary>
/// Reading a job as the worker's MassTransit options read it (web defaults, enums as camel-case strings): with
/// System.Text.Json alone, as before, and through <see cref="RecognizeDocumentReader"/>, which parses the body once more so
/// that an invalid job naming itself can be answered <c>invalid-job</c> (the contract's example job, every field set).
/// </summary>
// Not sealed: BenchmarkDotNet derives its runner from the benchmark class.
[MemoryDiagnoser]
public class JobReadingBenchmarks
{
    private static readonly byte[] Job = Encoding.UTF8.GetBytes("""
        {"jobId":"3f2b8c1e-5a7d-4e21-9c55-0b1f7d2a6e90","idempotencyKey":"invoice-2026-0042","correlationId":"upload-7781",
         "image":{"container":"images","blobName":"2026/11/receipt-0042.jpg"},
         "options":{"recognitionOnly":false,"detailLevel":"full","outputs":["pdf"]},"deadline":"2026-11-27T14:00:00Z","priority":5}
        """);

    private readonly JsonSerializerOptions _plain = Options();
    private readonly JsonSerializerOptions _reader = Options(new RecognizeDocumentReader());

    [Benchmark(Baseline = true)]
    public RecognizeDocument? SystemTextJson() => JsonSerializer.Deserialize<RecognizeDocument>(Job, _plain);

    [Benchmark]
    public RecognizeDocument? ThroughTheReader() => JsonSerializer.Deserialize<RecognizeDocument>(Job, _reader);

    private static JsonSerializerOptions Options(params JsonConverter[] extra)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) } };
        foreach (var converter in extra)
        {
            options.Converters.Add(converter);
        }

        return options;
    }
}
