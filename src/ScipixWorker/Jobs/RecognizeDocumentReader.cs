using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>
/// Reads jobs for MassTransit (plain JSON, or a MassTransit envelope's message) as System.Text.Json would, except that
/// a job that cannot be read (a value of the wrong type, an option the worker does not know: <c>"outputs": ["docx"]</c>)
/// but names itself with a readable jobId is still read: as a job with that id and correlation id and nothing else,
/// with what was wrong kept beside it (<see cref="ProblemOf"/>), so that <see cref="JobValidationFilter"/> answers it
/// <c>invalid-job</c> like any other invalid job. A message that names no job fails to deserialize as before (error queue).
/// </summary>
internal sealed class RecognizeDocumentReader : JsonConverter<RecognizeDocument>
{
    private static readonly ConditionalWeakTable<RecognizeDocument, string> Problems = [];

    // The caller's options without this converter, to read the job the ordinary way.
    private static readonly ConditionalWeakTable<JsonSerializerOptions, JsonSerializerOptions> Plain = [];

    /// <summary>What made the job unreadable, when it was read as a placeholder; null for a job read whole.</summary>
    public static string? ProblemOf(RecognizeDocument job) => Problems.TryGetValue(job, out var problem) ? problem : null;

    public override RecognizeDocument? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        try
        {
            return document.RootElement.Deserialize<RecognizeDocument>(PlainOf(options));
        }
        catch (Exception exception) when (exception is JsonException or FormatException
            && JobJson.TryRead(document.RootElement) is { } named)
        {
            var placeholder = new RecognizeDocument(named.JobId, null!, CorrelationId: named.CorrelationId);
            Problems.AddOrUpdate(placeholder, exception is JsonException json ? named.Describe(json) : exception.Message);
            return placeholder;
        }
    }

    public override void Write(Utf8JsonWriter writer, RecognizeDocument value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, PlainOf(options));

    private static JsonSerializerOptions PlainOf(JsonSerializerOptions options) => Plain.GetValue(options, o =>
    {
        var plain = new JsonSerializerOptions(o);
        foreach (var reader in plain.Converters.OfType<RecognizeDocumentReader>().ToList())
        {
            plain.Converters.Remove(reader);
        }

        return plain;
    });
}
