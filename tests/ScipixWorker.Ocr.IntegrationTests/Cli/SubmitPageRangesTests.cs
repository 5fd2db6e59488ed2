using ScipixWorker.Cli.Submit;
using ScipixWorker.Contracts;
using ScipixWorker.Ocr.IntegrationTests.Support;

namespace ScipixWorker.Ocr.IntegrationTests.Cli;

/// <summary><c>scipix submit --pages-per-job</c>: a multi-page file as one job a range of pages, counted from the real file.</summary>
public sealed class SubmitPageRangesTests
{
    private static readonly FileInfo TwoPages = new(Fixtures.Path("pdf", "scan_two_pages_second_turned.pdf"));

    [Theory]
    [InlineData(1, null, null, "1-1 2-2")]
    [InlineData(5, null, null, "1-2")]
    [InlineData(1, 2, null, "2-2")]
    [InlineData(1, null, 1, "1-1")]
    [InlineData(1, 3, null, "3-")] // past the end: one job, which the worker answers page-out-of-range
    public void A_two_page_pdf_is_cut_into_ranges_of_the_size_asked_for(int perJob, int? first, int? last, string expected)
    {
        var ranges = SubmitCommand.PageRanges(TwoPages, new RecognitionOptions(FirstPage: first, LastPage: last), perJob);

        Assert.Equal(expected, string.Join(' ', ranges.Select(r => $"{r.FirstPage}-{r.LastPage}")));
    }

    [Fact]
    public void Without_pages_per_job_a_file_is_one_job_with_the_options_as_given()
    {
        var options = new RecognitionOptions(DetailLevel: DetailLevel.Full, FirstPage: 2);

        Assert.Equal([options], SubmitCommand.PageRanges(TwoPages, options, null));
    }

    [Fact]
    public void A_single_image_is_one_range_of_one_page()
    {
        var jpeg = new FileInfo(Fixtures.Path("sroie", "receipt_000.jpg"));

        Assert.Equal("1-1", string.Join(' ', SubmitCommand.PageRanges(jpeg, new RecognitionOptions(), 10).Select(r => $"{r.FirstPage}-{r.LastPage}")));
    }
}
