using System.Text.Json;
using System.Text.Json.Serialization;
using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class RecognizeDocumentReaderTests
{
    private static readonly Guid JobId = Guid.Parse("5d0c1c8e-0000-4000-8000-000000000001");

    // As MassTransit's options are in the worker: web defaults (camel case, any case on reading), enums as camel-case strings.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase), new RecognizeDocumentReader() },
    };

    private static RecognizeDocument Read(string json) => JsonSerializer.Deserialize<RecognizeDocument>(json, Options)!;

    private static string Job(string rest) => $$$"""{"jobId":"{{{JobId}}}","correlationId":"upload-7",{{{rest}}}}""";

    [Fact]
    public void A_valid_job_is_read_whole_with_no_problem()
    {
        var job = Read(Job("""
            "image":{"container":"images","blobName":"a.png"},"options":{"detailLevel":"words","outputs":["pdf","alto"],"firstPage":2},
            "deadline":"2026-11-27T14:00:00Z","priority":5
            """));

        Assert.Equal(new ImageLocation("images", "a.png"), job.Image);
        Assert.Equal(DetailLevel.Words, job.Options!.DetailLevel);
        Assert.Equal([OutputFormat.Pdf, OutputFormat.Alto], job.Options.Outputs);
        Assert.Equal(2, job.Options.FirstPage);
        Assert.Equal((byte)5, job.Priority);
        Assert.Null(RecognizeDocumentReader.ProblemOf(job));
        Assert.Null(JobValidator.Validate(job));
    }

    [Fact]
    public void A_location_without_image_bytes_is_written_without_a_data_member()
    {
        var json = JsonSerializer.Serialize(
            new ImageLocation("results", "a.json", new Uri("http://127.0.0.1:10000/devstoreaccount1/results/a.json")),
            MassTransit.Serialization.SystemTextJsonMessageSerializer.Options);

        using var written = JsonDocument.Parse(json);
        Assert.Equal("a.json", written.RootElement.GetProperty("blobName").GetString());
        Assert.False(written.RootElement.TryGetProperty("data", out _), json);
    }

    [Fact]
    public void An_image_in_the_message_is_read_from_base64()
    {
        var job = Read(Job(""" "image":{"data":"iVBORw0KGgo="} """));

        Assert.Equal([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], job.Image.Data);
        Assert.Null(job.Image.Container);
        Assert.Null(RecognizeDocumentReader.ProblemOf(job));
        Assert.Null(JobValidator.Validate(job));
    }

    [Theory]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"options":{"outputs":["hocr","docx"]}
        """, """options.outputs[1] is "docx": one of hocr, pdf, alto, markdown is expected.""")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"Options":{"DetailLevel":"everything"}
        """, """Options.DetailLevel is "everything": one of text, lines, full, words is expected.""")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"options":{"firstPage":"two"}
        """, """options.firstPage is "two": a whole number is expected.""")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"options":{"recognitionOnly":"yes"}
        """, """options.recognitionOnly is "yes": true or false is expected.""")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"priority":300
        """, "priority is 300: a whole number from 0 to 255 is expected.")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"deadline":"tomorrow"
        """, """deadline is "tomorrow": an ISO 8601 date and time (2026-11-27T14:00:00Z) is expected.""")]
    [InlineData("""
        "image":"a.png"
        """, """image is "a.png": an object is expected.""")]
    [InlineData("""
        "image":{"container":"c","blobName":"a.png"},"options":{"outputs":"pdf"}
        """, """options.outputs is "pdf": an array is expected.""")]
    [InlineData("""
        "image":{"container":["c"],"blobName":"a.png"}
        """, """image.container is ["c"]: a string is expected.""")]
    [InlineData("""
        "image":{"data":"not base64!"}
        """, """image.data is "not base64!": a base64 string is expected.""")]
    [InlineData("""
        "image":{"data":[137,80,78,71]}
        """, """image.data is [137,80,78,71]: a base64 string is expected.""")]
    public void A_job_that_names_itself_but_cannot_be_read_is_read_as_its_id_with_what_is_wrong(string rest, string problem)
    {
        var job = Read(Job(rest));

        Assert.Equal(JobId, job.JobId);
        Assert.Equal("upload-7", job.CorrelationId);
        Assert.Equal(problem, RecognizeDocumentReader.ProblemOf(job));
        Assert.Equal(problem, JobValidator.Validate(job));
    }

    [Theory]
    [InlineData("""{"jobId":"job-42","options":{"outputs":["docx"]}}""")]
    [InlineData("""{"jobId":"00000000-0000-0000-0000-000000000000","options":{"outputs":["docx"]}}""")]
    [InlineData("""{"options":{"outputs":["docx"]}}""")]
    [InlineData("""{"jobId":42,"options":{"outputs":["docx"]}}""")]
    [InlineData("""[{"jobId":"5d0c1c8e-0000-4000-8000-000000000001"}]""")]
    [InlineData("\"5d0c1c8e-0000-4000-8000-000000000001\"")]
    public void A_job_that_cannot_be_read_and_names_no_job_fails_as_before(string json)
    {
        Assert.ThrowsAny<JsonException>(() => Read(json));
    }

    [Fact]
    public void A_long_value_is_shortened_in_the_answer()
    {
        var job = Read(Job($$"""
            "image":{"container":"c","blobName":"a.png"},"options":{"detailLevel":"{{new string('x', 200)}}"}
            """));

        var problem = RecognizeDocumentReader.ProblemOf(job)!;
        Assert.StartsWith("options.detailLevel is \"xxx", problem, StringComparison.Ordinal);
        Assert.Contains("...: one of text, lines, full, words is expected.", problem, StringComparison.Ordinal);
        Assert.True(problem.Length < 160, problem);
    }

    [Fact]
    public void Writing_a_job_is_unchanged()
    {
        var job = new RecognizeDocument(JobId, new ImageLocation("images", "a.png"), new RecognitionOptions(Outputs: [OutputFormat.Hocr]));
        var plain = new JsonSerializerOptions(Options);
        plain.Converters.Remove(plain.Converters.OfType<RecognizeDocumentReader>().Single());

        Assert.Equal(JsonSerializer.Serialize(job, plain), JsonSerializer.Serialize(job, Options));
    }
}
