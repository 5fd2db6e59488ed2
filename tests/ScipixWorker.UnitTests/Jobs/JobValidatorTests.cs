using ScipixWorker.Contracts;
using ScipixWorker.Jobs;

namespace ScipixWorker.UnitTests.Jobs;

public sealed class JobValidatorTests
{
    private static readonly Guid JobId = Guid.NewGuid();

    [Fact]
    public void A_job_with_a_container_and_blob_name_is_valid()
    {
        Assert.Null(JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation("images", "a.png"))));
    }

    [Fact]
    public void A_job_with_an_absolute_uri_is_valid()
    {
        Assert.Null(JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation(Uri: new Uri("http://127.0.0.1:10000/devstoreaccount1/images/a.png")))));
    }

    [Fact]
    public void A_job_with_the_image_in_the_message_is_valid()
    {
        Assert.Null(JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation(Data: [0x89, 0x50, 0x4E, 0x47]))));
    }

    [Fact]
    public void The_image_is_one_blob_or_its_bytes_never_both_and_never_empty_bytes()
    {
        const string OneOf = "image must have one of uri, container and blobName, or data.";
        var uri = new Uri("http://127.0.0.1:10000/devstoreaccount1/images/a.png");
        Assert.Equal(OneOf, JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation("images", "a.png", Data: [1]))));
        Assert.Equal(OneOf, JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation(Uri: uri, Data: [1]))));
        Assert.Equal(OneOf, JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation())));
        Assert.Equal("image.data is empty.", JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation(Data: []))));
    }

    [Theory]
    [InlineData(null, null, null)]
    [InlineData(1, null, null)]
    [InlineData(null, 3, null)]
    [InlineData(2, 2, null)]
    [InlineData(101, 200, null)]
    [InlineData(0, null, "1-based")]
    [InlineData(null, 0, "1-based")]
    [InlineData(-3, 2, "1-based")]
    [InlineData(3, 2, "options.lastPage (2) is before options.firstPage (3)")]
    public void A_page_range_is_1_based_and_in_order(int? first, int? last, string? error)
    {
        var job = new RecognizeDocument(JobId, new ImageLocation("images", "a.pdf"), new RecognitionOptions(FirstPage: first, LastPage: last));

        var result = JobValidator.Validate(job);

        if (error is null)
        {
            Assert.Null(result);
        }
        else
        {
            Assert.Contains(error, result, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Outputs_are_formats_the_worker_knows()
    {
        RecognizeDocument Job(params OutputFormat[] outputs) => new(JobId, new ImageLocation("images", "a.png"), new RecognitionOptions(Outputs: outputs));

        Assert.Null(JobValidator.Validate(Job()));
        Assert.Null(JobValidator.Validate(Job(OutputFormat.Hocr, OutputFormat.Pdf, OutputFormat.Alto, OutputFormat.Markdown, OutputFormat.Hocr)));
        Assert.Equal("options.outputs holds 7: the formats are pdf, hocr, alto and markdown.", JobValidator.Validate(Job(OutputFormat.Hocr, (OutputFormat)7)));
    }

    [Fact]
    public void A_missing_job_id_is_named()
    {
        Assert.Contains("jobId", JobValidator.Validate(new RecognizeDocument(Guid.Empty, new ImageLocation("images", "a.png"))), StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_image_is_named()
    {
        Assert.Contains("image", JobValidator.Validate(new RecognizeDocument(JobId, null!)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("images", null)]
    [InlineData(null, "a.png")]
    [InlineData(null, null)]
    public void An_incomplete_location_is_invalid(string? container, string? blobName)
    {
        Assert.NotNull(JobValidator.Validate(new RecognizeDocument(JobId, new ImageLocation(container, blobName))));
    }

    [Fact]
    public void A_location_with_both_a_uri_and_a_name_is_invalid()
    {
        var location = new ImageLocation("images", "a.png", new Uri("http://127.0.0.1:10000/devstoreaccount1/images/a.png"));

        Assert.NotNull(JobValidator.Validate(new RecognizeDocument(JobId, location)));
    }

    [Fact]
    public void An_undefined_detail_level_and_an_out_of_range_priority_are_invalid()
    {
        var image = new ImageLocation("images", "a.png");

        Assert.NotNull(JobValidator.Validate(new RecognizeDocument(JobId, image, new RecognitionOptions(DetailLevel: (DetailLevel)7))));
        Assert.NotNull(JobValidator.Validate(new RecognizeDocument(JobId, image, Priority: 10)));
        Assert.NotNull(JobValidator.Validate(new RecognizeDocument(JobId, image, IdempotencyKey: new string('k', 257))));
    }
}
