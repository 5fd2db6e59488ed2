using System.Text;
using ScipixWorker.Cli.Errors;

namespace ScipixWorker.UnitTests.Cli;

public sealed class FaultedMessageTests
{
    private static readonly Guid JobId = Guid.Parse("5d0c1c8e-0000-4000-8000-000000000001");

    private static FaultedMessage Message(string body, Dictionary<string, object?>? headers = null) =>
        new(1, "application/json", null, null, headers ?? [], Encoding.UTF8.GetBytes(body));

    private static byte[] Amqp(string text) => Encoding.UTF8.GetBytes(text); // AMQP strings arrive as bytes

    [Fact]
    public void The_job_is_read_from_plain_json_and_from_a_masstransit_envelope()
    {
        var plain = Message($$$"""{"jobId":"{{{JobId}}}","idempotencyKey":"invoice-7","image":{"uri":"https://a/b/c.png"}}""");
        var envelope = Message($$$"""{"messageId":"1fbc0000-caae-ab74-be6a-08df1bf84509","messageType":["urn:message:ScipixWorker.Contracts:RecognizeDocument"],"message":{"jobId":"{{{JobId}}}"}}""");

        Assert.Equal(JobId, plain.JobId);
        Assert.Equal("invoice-7", plain.IdempotencyKey);
        Assert.Equal(JobId, envelope.JobId);
        Assert.Null(envelope.IdempotencyKey);
    }

    [Theory]
    [InlineData("{ this is not json")]
    [InlineData("""{"image":{"container":"images","blobName":"a.png"}}""")]
    [InlineData("""{"jobId":"not-a-guid"}""")]
    [InlineData("""{"jobId":42}""")]
    [InlineData("[1, 2]")]
    public void A_body_without_a_readable_job_id_has_none_and_is_selected_only_by_all(string body)
    {
        var message = Message(body);

        Assert.Null(message.JobId);
        Assert.True(message.IsSelected(null));
        Assert.False(message.IsSelected(new HashSet<Guid> { JobId }));
    }

    [Fact]
    public void The_fault_is_read_from_masstransit_headers_sent_as_bytes()
    {
        var message = Message("{}", new()
        {
            ["MT-Reason"] = Amqp("fault"),
            ["MT-Fault-ExceptionType"] = Amqp("System.Text.Json.JsonException"),
            ["MT-Fault-Message"] = Amqp("The JSON value could not be converted.\nPath: $.options"),
            ["MT-Fault-Timestamp"] = Amqp("2026-12-06T05:05:35.1744377Z"),
        });

        Assert.Equal("fault", message.Reason);
        Assert.Equal("System.Text.Json.JsonException", message.ExceptionType);
        Assert.Equal("2026-12-06T05:05:35.1744377Z", message.FaultTimestamp);
        Assert.Equal("System.Text.Json.JsonException: The JSON value could not be converted.", message.ReasonLine());
        Assert.Equal("?: (no MT-Fault-Message header)", Message("{}").ReasonLine());
        var description = message.Describe();
        Assert.Contains("no jobId: fault at 2026-12-06T05:05:35.1744377Z", description, StringComparison.Ordinal);
        Assert.EndsWith("System.Text.Json.JsonException: The JSON value could not be converted.", description, StringComparison.Ordinal);
    }

    [Fact]
    public void Requeued_headers_drop_the_fault_and_the_host_and_count_the_moves()
    {
        var message = Message("{}", new()
        {
            ["MT-Reason"] = Amqp("fault"),
            ["MT-Fault-Message"] = Amqp("boom"),
            ["MT-Fault-StackTrace"] = Amqp("at X"),
            ["MT-Host-MachineName"] = Amqp("vm"),
            ["x-dotnet-pub-seq-no"] = 4L,
            ["x-death"] = new List<object>(),
            ["MT-MessageId"] = Amqp("1fbc0000-caae-ab74-be6a-08df1bf84509"),
            ["traceparent"] = Amqp("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"),
            [FaultedMessage.RequeueCountHeader] = Amqp("2"),
        });

        var headers = message.HeadersToRequeue();

        Assert.Equal(new[] { "MT-MessageId", FaultedMessage.RequeueCountHeader, "traceparent" }, headers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(3, headers[FaultedMessage.RequeueCountHeader]);
        Assert.Equal(1, Message("{}").HeadersToRequeue()[FaultedMessage.RequeueCountHeader]);
    }

    [Fact]
    public void As_json_a_text_body_is_text_a_binary_one_base64_and_headers_are_text_or_numbers()
    {
        var text = Message($$"""{"jobId":"{{JobId}}"}""", new() { ["MT-Reason"] = Amqp("fault"), ["x-dotnet-pub-seq-no"] = 4L, ["flag"] = true }).ToJson();
        var binary = new FaultedMessage(2, "image/png", "m-1", "c-1", new Dictionary<string, object?>(), new byte[] { 0x89, 0x50, 0xff, 0xfe }).ToJson();

        Assert.Equal(JobId.ToString(), text["jobId"]!.GetValue<string>());
        Assert.Equal($$"""{"jobId":"{{JobId}}"}""", text["body"]!.GetValue<string>());
        Assert.Equal("fault", text["headers"]!["MT-Reason"]!.GetValue<string>());
        Assert.Equal(4L, text["headers"]!["x-dotnet-pub-seq-no"]!.GetValue<long>());
        Assert.True(text["headers"]!["flag"]!.GetValue<bool>());
        Assert.Null(binary["body"]);
        Assert.Equal("iVD//g==", binary["bodyBase64"]!.GetValue<string>());
        Assert.Equal("m-1", binary["messageId"]!.GetValue<string>());
    }
}
