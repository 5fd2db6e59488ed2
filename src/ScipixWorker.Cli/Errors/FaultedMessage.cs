using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ScipixWorker.Cli.Errors;

/// <summary>
/// A message MassTransit moved to an error queue, as <c>scipix errors</c> shows and moves it: the job it carries (its
/// <c>jobId</c> and <c>idempotencyKey</c>, read from a plain JSON job or from the <c>message</c> of a MassTransit
/// envelope, when the body has them) and why it was moved (the <c>MT-Reason</c> and <c>MT-Fault-*</c> headers).
/// </summary>
internal sealed record FaultedMessage(
    int Position,
    string? ContentType,
    string? MessageId,
    string? CorrelationId,
    IReadOnlyDictionary<string, object?> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>The header <c>scipix errors requeue</c> counts its moves in: a job that keeps coming back shows it.</summary>
    public const string RequeueCountHeader = "scipix-requeue-count";

    /// <summary>Headers that describe the fault or the host that moved the message, not the job: dropped when it goes back.</summary>
    private static readonly string[] FaultHeaderPrefixes = ["MT-Fault-", "MT-Host-", "MT-Reason", "x-dotnet-pub-seq-no", "x-first-death-", "x-death", "x-last-death-"];

    public Guid? JobId => Job is { } job && job["jobId"] is JsonValue value && value.TryGetValue<string>(out var text) && Guid.TryParse(text, out var id) ? id : null;

    public string? IdempotencyKey => Job?["idempotencyKey"] is JsonValue value && value.TryGetValue<string>(out var key) ? key : null;

    public string? Reason => Header("MT-Reason");

    public string? ExceptionType => Header("MT-Fault-ExceptionType");

    public string? FaultMessage => Header("MT-Fault-Message");

    public string? FaultTimestamp => Header("MT-Fault-Timestamp");

    public int RequeueCount => int.TryParse(Header(RequeueCountHeader), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 0;

    /// <summary>The job object: the body itself (raw JSON, as other languages send it) or a MassTransit envelope's <c>message</c>.</summary>
    private JsonObject? Job => _job.Value;

    private readonly Lazy<JsonObject?> _job = new(() => ReadJob(Body));

    /// <summary>A header's value as text (AMQP strings arrive as bytes); null when absent.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? Text(value) : null;

    /// <summary>Whether this message is one of those asked for: every message, or those whose jobId is listed.</summary>
    public bool IsSelected(IReadOnlySet<Guid>? jobIds) => jobIds is null || (JobId is { } id && jobIds.Contains(id));

    /// <summary>
    /// The headers the message goes back to its queue with: the job's own (trace context, MassTransit's message
    /// headers) without those that describe its fault, and the requeue count one higher.
    /// </summary>
    public Dictionary<string, object?> HeadersToRequeue()
    {
        var headers = Headers
            .Where(h => !FaultHeaderPrefixes.Any(prefix => h.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)))
            .ToDictionary(h => h.Key, h => h.Value, StringComparer.Ordinal);
        headers[RequeueCountHeader] = RequeueCount + 1;
        return headers;
    }

    /// <summary>The message as JSON (what <c>list --json</c> prints and <c>delete --save</c> writes): properties, headers and body.</summary>
    public JsonObject ToJson()
    {
        var headers = new JsonObject();
        foreach (var (name, value) in Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
        {
            headers[name] = value switch
            {
                null => null,
                bool flag => JsonValue.Create(flag),
                int or long or short or byte => JsonValue.Create(Convert.ToInt64(value, CultureInfo.InvariantCulture)),
                _ => JsonValue.Create(Text(value)),
            };
        }

        var json = new JsonObject
        {
            ["position"] = Position,
            ["jobId"] = JobId?.ToString(),
            ["idempotencyKey"] = IdempotencyKey,
            ["reason"] = Reason,
            ["exceptionType"] = ExceptionType,
            ["faultMessage"] = FaultMessage,
            ["faultTimestamp"] = FaultTimestamp,
            ["requeueCount"] = RequeueCount,
            ["contentType"] = ContentType,
            ["messageId"] = MessageId,
            ["correlationId"] = CorrelationId,
            ["headers"] = headers,
        };
        if (IsUtf8(Body.Span))
        {
            json["body"] = Encoding.UTF8.GetString(Body.Span);
        }
        else
        {
            json["bodyBase64"] = Convert.ToBase64String(Body.Span);
        }

        return json;
    }

    /// <summary>Why it faulted, on one line: the exception's type and its message's first line (what <c>list --summary</c> counts).</summary>
    public string ReasonLine() => $"{ExceptionType ?? Reason ?? "?"}: {FirstLine(FaultMessage ?? "(no MT-Fault-Message header)")}";

    /// <summary>One line naming the job and one saying why it faulted, for a terminal.</summary>
    public string Describe()
    {
        var job = JobId is { } id ? $"job {id}" : "no jobId";
        var key = IdempotencyKey is { } k ? $" (key {k})" : string.Empty;
        var when = FaultTimestamp is { } t ? $" at {t}" : string.Empty;
        var moved = RequeueCount > 0 ? $", requeued {RequeueCount} time(s) before" : string.Empty;
        return $"#{Position} {job}{key}: {Reason ?? "no MT-Reason"}{when}, {ContentType ?? "no content type"}, {Body.Length} bytes{moved}\n"
            + $"   {ReasonLine()}";
    }

    private static string FirstLine(string text)
    {
        var end = text.IndexOfAny(['\r', '\n']);
        return end < 0 ? text : text[..end];
    }

    private static JsonObject? ReadJob(ReadOnlyMemory<byte> body)
    {
        try
        {
            var node = JsonNode.Parse(body.Span, new JsonNodeOptions { PropertyNameCaseInsensitive = true });
            if (node is not JsonObject root)
            {
                return null;
            }

            // A MassTransit envelope (application/vnd.masstransit+json) carries the job in "message".
            return root["message"] is JsonObject message && root["messageType"] is not null ? message : root;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Text(object? value) => value switch
    {
        null => null,
        byte[] bytes => Encoding.UTF8.GetString(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static bool IsUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            _ = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetCharCount(bytes);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
