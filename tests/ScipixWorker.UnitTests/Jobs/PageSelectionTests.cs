using ScipixWorker.Contracts;
using ScipixWorker.Jobs;
using ScipixWorker.Ocr.Engine;

namespace ScipixWorker.UnitTests.Jobs;

/// <summary>A job's 1-based, inclusive options.firstPage and options.lastPage as the engine's 0-based page range.</summary>
public sealed class PageSelectionTests
{
    [Theory]
    [InlineData(null, null, 0, int.MaxValue)]
    [InlineData(1, null, 0, int.MaxValue)]
    [InlineData(3, null, 2, int.MaxValue - 2)]
    [InlineData(null, 1, 0, 1)]
    [InlineData(2, 2, 1, 1)]
    [InlineData(101, 200, 100, 100)]
    public void Pages_are_counted_from_one_and_the_last_is_included(int? first, int? last, int rangeFirst, int rangeCount)
    {
        var range = JobProcessor.Selection(new RecognitionOptions(FirstPage: first, LastPage: last));

        Assert.Equal((rangeFirst, rangeCount), (range.First, range.Count));
    }

    [Fact]
    public void No_options_is_every_page()
    {
        Assert.Equal(PageRange.All, JobProcessor.Selection(null));
    }
}
