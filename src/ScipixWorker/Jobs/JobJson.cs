using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScipixWorker.Contracts;

namespace ScipixWorker.Jobs;

/// <summary>
/// A message that could not be read as a <see cref="RecognizeDocument"/>, read again as plain JSON: enough to answer it
/// (its <c>jobId</c> and <c>correlationId</c>) and to say which field was wrong and what it may hold.
/// </summary>
internal sealed class JobJson
{
    private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

    private readonly JsonObject _job;

    private JobJson(JsonObject job, Guid jobId)
    {
        _job = job;
        JobId = jobId;
    }

    public Guid JobId { get; }

    public string? CorrelationId => _job["correlationId"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    /// <summary>
    /// The job in a message (plain JSON, or what MassTransit hands over of an envelope: its <c>message</c>) when it names
    /// itself with a readable, non-empty <c>jobId</c>; null otherwise (no or an unreadable jobId: nobody to answer).
    /// </summary>
    public static JobJson? TryRead(JsonElement element)
    {
        var job = element.ValueKind == JsonValueKind.Object ? JsonObject.Create(element, CaseInsensitive) : null;
        return job?["jobId"] is JsonValue id && id.TryGetValue<string>(out var text) && Guid.TryParse(text, out var jobId) && jobId != Guid.Empty
            ? new JobJson(job, jobId)
            : null;
    }

    /// <summary>
    /// What a deserialization error means for the sender: the field (<see cref="JsonException.Path"/>, as
    /// <c>options.outputs[0]</c>), the value it held and what the contract expects there (an enum's names, a number, a
    /// date), e.g. <c>options.outputs[0] is "docx": one of hocr, pdf, alto, markdown is expected.</c>
    /// </summary>
    public string Describe(JsonException exception)
    {
        if (exception.Path is not { Length: > 1 } path || !path.StartsWith('$'))
        {
            return FirstSentence(exception.Message);
        }

        var segments = Segments(path);
        var field = string.Concat(segments.Select((s, i) => s.Index is { } index ? $"[{index}]" : i == 0 ? s.Name : $".{s.Name}"));
        var expected = Expected(TypeAt(segments));
        var value = ValueAt(segments);
        var held = value is null ? "missing or null" : $"{Shorten(value.ToJsonString())}";
        return expected is null
            ? $"{field} is {held}: {FirstSentence(exception.Message)}"
            : $"{field} is {held}: {expected} is expected.";
    }

    private readonly record struct Segment(string? Name, int? Index);

    // "$.options.outputs[0]" -> options, outputs, [0]; a quoted name ($['first page']) is taken as it is written.
    private static List<Segment> Segments(string path)
    {
        var segments = new List<Segment>();
        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(new Segment(path[(i + 1)..end], null));
                i = end;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                end = end < 0 ? path.Length : end;
                var inside = path[(i + 1)..end];
                segments.Add(int.TryParse(inside, out var index) ? new Segment(null, index) : new Segment(inside.Trim('\''), null));
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    // The contract's type at the path: properties matched by name whatever their case, arrays by their element type.
    private static Type? TypeAt(List<Segment> segments)
    {
        Type? type = typeof(RecognizeDocument);
        foreach (var segment in segments)
        {
            type = Nullable.GetUnderlyingType(type!) ?? type;
            type = segment.Index is not null
                ? ElementType(type!)
                : type!.GetProperty(segment.Name!, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)?.PropertyType;
            if (type is null)
            {
                return null;
            }
        }

        return type is null ? null : Nullable.GetUnderlyingType(type) ?? type;
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))?.GetGenericArguments()[0];

    private JsonNode? ValueAt(List<Segment> segments)
    {
        JsonNode? node = _job;
        foreach (var segment in segments)
        {
            node = segment.Index is { } index
                ? node is JsonArray array && index < array.Count ? array[index] : null
                : node is JsonObject obj ? obj[segment.Name!] : null;
        }

        return node;
    }

    private static string? Expected(Type? type) => type switch
    {
        null => null,
        { IsEnum: true } => $"one of {string.Join(", ", Enum.GetNames(type).Select(JsonNamingPolicy.CamelCase.ConvertName))}",
        _ when type == typeof(bool) => "true or false",
        _ when type == typeof(byte) => "a whole number from 0 to 255",
        _ when type == typeof(int) || type == typeof(long) => "a whole number",
        _ when type == typeof(float) || type == typeof(double) => "a number",
        _ when type == typeof(Guid) => "a GUID",
        _ when type == typeof(DateTimeOffset) || type == typeof(DateTime) => "an ISO 8601 date and time (2026-11-27T14:00:00Z)",
        _ when type == typeof(string) || type == typeof(Uri) => "a string",
        _ when type == typeof(byte[]) => "a base64 string",
        _ when type != typeof(string) && ElementType(type) is not null => "an array",
        { IsClass: true } => "an object",
        _ => null,
    };

    private static string Shorten(string text) => text.Length <= 80 ? text : $"{text[..77]}...";

    // System.Text.Json appends " Path: $... | LineNumber: ... | BytePositionInLine: ..." to its messages.
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return end < 0 ? message : message[..end];
    }
}
